"""A demo county: a lead county school, four rural partners and a year and more of every record.

Teachers and assignments of each kind, mentor pairs, actions of every kind from the community's
first day to today with their attendance and photos, research, quality tests over two years,
money, commendations, the review of the actions and the 融安县 rules (see the demo_* modules).
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID, uuid5

import msgspec

from domain.codes import CommunityType, SchoolLocation, SchoolStage
from domain.community.school import School
from domain.periods import Semester, Term, school_year_of, semester_of
from infra.tenancy import Role, create_tenant, list_tenants, revoke_labelled
from service.command import Env, create
from service.commands.community.communities import FormCommunity, form_community
from service.commands.community.schools import RegisterSchool, register_school
from service.demo_actions import record_actions
from service.demo_assignments import pay_subsidies
from service.demo_files import signed_pdf, upload
from service.demo_quality import record_quality
from service.demo_research import record_money_and_honours, record_research
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
    """The community's period, and the first day of the current semester (the rules change).

    The period starts a school year back and lasts three; during the August break the actions
    are those of the spring semester just ended.
    """
    starts_on = school_year_of(today).starts_on.replace(year=school_year_of(today).start_year - 1)
    ends_on = starts_on.replace(year=starts_on.year + 3) - timedelta(days=1)
    semester = semester_of(today) or Semester(today.year, Term.SPRING)
    return starts_on, ends_on, semester.starts_on


async def create_demo_county(
    pool: asyncpg.Pool,
    store: EventStore,
    today: date,
    name: str = "示范县教育局",
    *,
    files: FileStore,
    keyring: Keyring,
) -> DemoCounty:
    """Creates the county, its tokens, schools, community, staff and every kind of record."""
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
    agreement = await upload(
        pool,
        files,
        writer,
        "教共体合作协议（签字盖章）.pdf",
        signed_pdf(tenant_id),
        "application/pdf",
    )
    staff = await add_staff(
        writer,
        lead,
        partners,
        starts_on=starts_on,
        community_id=formed.id,
        document=agreement,
    )
    county.teachers = staff.teachers
    # The actions and the ledgers name none of each other's records: written side by side.
    recorded, *_ = await asyncio.gather(
        record_actions(
            writer,
            community_id=formed.id,
            names={schools[code]: school_name for school_name, code, _, _ in (LEAD, *PARTNERS)},
            lead=lead,
            partners=partners,
            starts_on=starts_on,
            today=today,
            pairs=staff.pairs,
            teachers=staff.names,
            pool=pool,
            files=files,
        ),
        record_research(
            writer,
            lead=lead,
            partners=partners,
            community_id=formed.id,
            starts_on=starts_on,
            authors=staff.teachers[:3],
        ),
        record_quality(
            writer,
            lead=lead,
            partners=partners,
            community_id=formed.id,
            starts_on=starts_on,
            today=today,
        ),
        pay_subsidies(writer, staff.served, today),
        record_money_and_honours(
            writer,
            lead=lead,
            community_id=formed.id,
            starts_on=starts_on,
            today=today,
            sent=staff.served[0].teacher_id,
        ),
    )
    county.activities = recorded.activities
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
