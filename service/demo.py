"""A demo county: a lead county school, four rural partners, a semester of their actions, staff."""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID, uuid5

import msgspec

from domain.codes import ActivityKind, CommunityType, SchoolLocation, SchoolStage, Subject
from domain.community.activity import Activity
from domain.community.school import School
from domain.periods import Semester, Term, school_year_of, semester_of
from infra.evidence_files import keep
from infra.tenancy import Role, create_tenant, list_tenants, revoke_labelled
from service.command import Env, change, create
from service.commands.community.activities import (
    CorrectActivity,
    EvidenceIn,
    ParticipantIn,
    RecordActivity,
    VoidActivity,
    correct_activity,
    record_activity,
    void_activity,
)
from service.commands.community.communities import FormCommunity, form_community
from service.commands.community.schools import RegisterSchool, register_school
from service.demo_research import record_research
from service.demo_review import issue_for, review_demo, written_by
from service.demo_rules import publish_rules
from service.demo_staff import add_staff

if TYPE_CHECKING:
    import asyncpg

    from infra.crypto import Keyring
    from infra.event_store import EventStore
    from infra.file_store import FileStore

LEAD = ("城关第一小学", "DEMO-CG01", SchoolLocation.URBAN, "城关学区")
PARTNERS = (
    ("青山乡中心小学", "DEMO-QS02", SchoolLocation.TOWN, "青山学区"),
    ("白云村小学", "DEMO-BY03", SchoolLocation.VILLAGE, "青山学区"),
    ("石桥镇中心小学", "DEMO-SQ04", SchoolLocation.TOWN, "石桥学区"),
    ("溪口村小学", "DEMO-XK05", SchoolLocation.VILLAGE, "石桥学区"),
)
TEACHERS = ("李华", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊")
# The labels of the tokens a demo prints; a restart of `jgt serve --demo` revokes the last ones.
LABELS = {
    Role.ADMIN: "示范县 管理员",
    Role.RECORDER: "城关第一小学 教务处",
    Role.SUPERVISOR: "县教育局督导室",
    Role.AUDITOR: "县审计组",
}


@dataclass
class DemoCounty:
    tenant_id: UUID
    name: str
    tokens: dict[str, str]
    schools: dict[str, UUID]  # code -> id
    community_id: UUID
    activities: list[UUID] = field(default_factory=list)
    teachers: list[UUID] = field(default_factory=list)

    def as_json(self) -> bytes:
        return msgspec.json.encode(
            {
                "tenant_id": self.tenant_id,
                "name": self.name,
                "tokens": self.tokens,
                "schools": self.schools,
                "lead_school_id": self.schools[LEAD[1]],
                "community_id": self.community_id,
            }
        )


def demo_period(today: date) -> tuple[date, date, date]:
    """The community's period, and the first day of the semester whose actions are recorded.

    The period starts a school year back and lasts three; during the August break the actions
    are those of the spring semester just ended.
    """
    starts_on = school_year_of(today).starts_on.replace(year=school_year_of(today).start_year - 1)
    ends_on = starts_on.replace(year=starts_on.year + 3) - timedelta(days=1)
    semester = semester_of(today) or Semester(today.year, Term.SPRING)
    return starts_on, ends_on, semester.starts_on


def demo_photo(seed: str) -> bytes:
    """A valid 1x1 PNG standing for a photo of the sign-in sheet, `seed` in its comment."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + seed.encode("ascii", "replace"))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


async def create_demo_county(
    pool: asyncpg.Pool,
    store: EventStore,
    today: date,
    name: str = "示范县教育局",
    *,
    files: FileStore,
    keyring: Keyring,
) -> DemoCounty:
    """Creates the county, its tokens, schools, community, a semester of actions and staff."""
    async with pool.acquire() as conn, conn.transaction():
        tenant_id = await create_tenant(conn, name, is_demo=True)
        admin = await issue_for(conn, tenant_id, Role.ADMIN, label=LABELS[Role.ADMIN])
    writer = Env(
        store=store,
        write=written_by(admin),
        role=Role.ADMIN,
        school_id=None,
        today=today,
        keyring=keyring,
    )
    schools: dict[str, UUID] = {}
    for school_name, code, location, district in (LEAD, *PARTNERS):
        registered, _ = await create(
            writer,
            register_school,
            RegisterSchool(
                name=school_name,
                code=code,
                stage=SchoolStage.PRIMARY,
                location=location,
                district=district,
            ),
        )
        schools[code] = registered.id
    lead, partners = schools[LEAD[1]], [schools[code] for _, code, _, _ in PARTNERS]
    starts_on, ends_on, semester_start = demo_period(today)
    community_id = uuid5(tenant_id, "demo-community")
    formed, _ = await create(
        writer,
        functools.partial(form_community, community_id=community_id),
        FormCommunity(
            name="城关一小教育共同体",
            type=CommunityType.CO_BUILT,
            lead_school_id=lead,
            member_school_ids=partners,
            starts_on=starts_on,
            ends_on=ends_on,
            agreement="共建型教共体合作协议：师资互派、集体备课、送教下乡、质量共测，考核捆绑。",
        ),
    )
    county = DemoCounty(tenant_id, name, {"admin": admin.secret}, schools, formed.id)
    await _record_semester(
        writer, county, first=semester_start, today=today, pool=pool, files=files
    )
    await record_research(
        writer,
        lead=lead,
        partners=partners,
        community_id=formed.id,
        starts_on=starts_on,
        today=today,
    )
    county.teachers = await add_staff(
        writer, lead, partners, starts_on=starts_on, community_id=county.community_id
    )
    await publish_rules(writer, starts_on, ends_on, semester_start)  # 融安县, changed mid-year
    await review_demo(writer, county.activities)
    async with pool.acquire() as conn, conn.transaction():
        for role, school in ((Role.RECORDER, lead), (Role.SUPERVISOR, None), (Role.AUDITOR, None)):
            issued = await issue_for(
                conn,
                tenant_id,
                role,
                label=LABELS[role],
                school_id=school,
                created_by=writer.actor_id,
            )
            county.tokens[role.value] = issued.secret
    return county


async def ensure_demo_county(
    pool: asyncpg.Pool, store: EventStore, today: date, *, files: FileStore, keyring: Keyring
) -> DemoCounty:
    """The first demo county, with fresh tokens (secrets are shown once); created if none.

    The demo tokens printed before are revoked (within a second on running servers).
    """
    async with pool.acquire() as conn:
        demo = next((t for t in await list_tenants(conn) if t.is_demo), None)
    if demo is None:
        return await create_demo_county(pool, store, today, files=files, keyring=keyring)
    county = DemoCounty(
        tenant_id=demo.tenant_id,
        name=demo.name,
        tokens={},
        schools={code: School.id_for(demo.tenant_id, code) for _, code, _, _ in (LEAD, *PARTNERS)},
        community_id=uuid5(demo.tenant_id, "demo-community"),
    )
    async with pool.acquire() as conn, conn.transaction():
        # The tokens printed at the last start stop working: only this start's are valid.
        await revoke_labelled(conn, demo.tenant_id, LABELS.values())
        for role, label in LABELS.items():
            school = county.schools[LEAD[1]] if role is Role.RECORDER else None
            issued = await issue_for(conn, demo.tenant_id, role, label=label, school_id=school)
            county.tokens[role.value] = issued.secret
    return county


def _spread(first: date, last: date, count: int) -> list[date]:
    span = max((last - first).days, 0)
    return [first + timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


@dataclass(frozen=True)
class _Planned:
    kind: ActivityKind
    title: str
    host: UUID
    others: list[UUID]
    subjects: list[Subject]


def _plan(lead: UUID, partners: list[UUID]) -> list[_Planned]:
    """A semester of a 共建型 community's work, as the seeds' quotas ask for it."""
    plan = []
    for (partner_name, *_), partner in zip(PARTNERS, partners, strict=True):
        plan += [
            _Planned(
                ActivityKind.MANAGEMENT_VISIT, f"校长视导：{partner_name}", lead, [partner], []
            ),
            _Planned(
                ActivityKind.SENDING_LESSONS,
                f"送教下乡：{partner_name}四年级数学",
                lead,
                [partner],
                [Subject.MATH],
            ),
            _Planned(
                ActivityKind.COLLECTIVE_LESSON_PREP,
                f"集体备课：{partner_name}语文组",
                lead,
                [partner],
                [Subject.CHINESE],
            ),
        ]
    return [
        *plan,
        _Planned(
            ActivityKind.TEACHER_TRAINING,
            "学期初教师培训",
            lead,
            partners,
            [Subject.CHINESE, Subject.MATH, Subject.ENGLISH],
        ),
        _Planned(
            ActivityKind.TEACHING_RESEARCH,
            "英语教研活动：绘本阅读",
            partners[0],
            [lead, partners[1]],
            [Subject.ENGLISH],
        ),
        _Planned(
            ActivityKind.QUALITY_TEST,
            "期中教学质量联合检测",
            lead,
            partners,
            [Subject.CHINESE, Subject.MATH],
        ),
        _Planned(
            ActivityKind.DEMONSTRATION_LESSON,
            "示范课：分数的初步认识",
            lead,
            partners[2:],
            [Subject.MATH],
        ),
    ]


async def _photo(pool: asyncpg.Pool, files: FileStore, writer: Env, seed: str) -> EvidenceIn:
    """The sign-in sheet's photo, uploaded as a recorder would before naming it."""
    data = demo_photo(seed)
    stored = await keep(
        pool,
        files,
        writer.tenant_id,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        media_type="image/png",
        by=writer.actor_id,
    )
    return EvidenceIn(name="签到表.png", sha256=stored.sha256, size=stored.size)


async def _record_semester(
    writer: Env,
    county: DemoCounty,
    *,
    first: date,
    today: date,
    pool: asyncpg.Pool,
    files: FileStore,
) -> None:
    lead = county.schools[LEAD[1]]
    partners = [county.schools[code] for _, code, _, _ in PARTNERS]
    plan = _plan(lead, partners)
    days = _spread(first, today, len(plan))
    for day, planned in zip(days, plan, strict=True):
        teacher = TEACHERS[len(county.activities) % len(TEACHERS)]
        photo = await _photo(pool, files, writer, f"{county.tenant_id}:{len(county.activities)}")
        command = RecordActivity(
            community_id=county.community_id,
            kind=planned.kind,
            title=planned.title,
            host_school_id=planned.host,
            participating_school_ids=planned.others,
            held_on=day,
            subjects=planned.subjects,
            participants=[ParticipantIn(name=teacher, school_id=planned.host, role="主讲教师")],
            evidence=[photo],
        )
        activity, _ = await create(writer, record_activity, command)
        county.activities.append(activity.id)
    # A wrong record is corrected, a duplicate voided: both stay in the ledger.
    await change(
        writer,
        None,
        correct_activity,
        Activity,
        county.activities[1],
        CorrectActivity(reason="授课学科登记有误", subjects=[Subject.MATH, Subject.SCIENCE]),
    )
    duplicate = RecordActivity(
        community_id=county.community_id,
        kind=plan[1].kind,
        title=plan[1].title,
        host_school_id=lead,
        participating_school_ids=plan[1].others,
        held_on=days[1],
    )
    recorded, _ = await create(writer, record_activity, duplicate)
    await change(
        writer, None, void_activity, Activity, recorded.id, VoidActivity(reason="重复登记")
    )
