"""The demo community's actions, from its first day to today, each with its sheet's photo.

Every semester's quota plan, and in the first school year every other kind of action once.

Places, notices, an online stand-in and a follow-up are where the seeds look for them: 送教
at the member school, a 抽测 told a day ahead, a 送教 moved online with its reason, a 同步教学研讨
after a 同步课堂; the apprentices' report lessons are linked to their mentorships.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from domain.codes import LABELS, ActivityKind, ActivityMode, Subject
from domain.community.activity import Activity
from domain.periods import Semester, Term, semester_of
from domain.staff.mentorship import Mentorship
from service.command import change, create
from service.commands.community.activities import (
    CorrectActivity,
    RecordActivity,
    VoidActivity,
    correct_activity,
    record_activity,
    void_activity,
)
from service.commands.staff.mentorships import LinkLesson, link_lesson
from service.demo_attendance import (
    BEIJING,
    name_pools,
    participants,
    phone_sign_ins,
    reflections,
    sheet,
    starts_at,
)
from service.demo_files import AT_ONCE, demo_photo, upload

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg

    from infra.file_store import FileStore
    from service.command import Env

PLANNED = (
    ActivityKind.MANAGEMENT_VISIT,
    ActivityKind.SENDING_LESSONS,
    ActivityKind.COLLECTIVE_LESSON_PREP,
    ActivityKind.TEACHER_TRAINING,
    ActivityKind.TEACHING_RESEARCH,
    ActivityKind.QUALITY_TEST,
    ActivityKind.DEMONSTRATION_LESSON,
)
PHONE_EVERY = 9  # one action in nine is signed in by phone
CURRENT_KEPT = 2  # the current semester's first actions, a visit and a 送教 (corrected)
# A follow-up comes after what it follows; the report lessons are the mentorships' own.
OTHER_KINDS = [
    k
    for k in ActivityKind
    if k not in PLANNED
    and k not in {ActivityKind.SYNC_TEACHING_SEMINAR, ActivityKind.PUBLIC_LESSON}
]


@dataclass(frozen=True)
class Planned:
    kind: ActivityKind
    title: str
    host: UUID
    others: list[UUID]
    subjects: list[Subject]
    held_on: date | None = None  # spread over the semester when not given
    mode: ActivityMode = ActivityMode.ON_SITE
    online_reason: str = ""
    venue: UUID | None = None
    notified: bool = False
    follows: ActivityKind | None = None  # the latest action of this kind before it
    mentorship: UUID | None = None


@dataclass
class Recorded:
    """What was recorded: the actions in order, and the current semester's first two."""

    activities: list[UUID]
    current: list[UUID]


def semester_plan(names: dict[UUID, str], lead: UUID, partners: list[UUID]) -> list[Planned]:
    """A semester of a 共建型 community's work, as the seeds' quotas ask for it (16 actions)."""
    plan = []
    for partner in partners:
        name = names[partner]
        plan += [
            Planned(ActivityKind.MANAGEMENT_VISIT, f"校长视导：{name}", lead, [partner], []),
            Planned(
                ActivityKind.SENDING_LESSONS,
                f"送教下乡：{name}四年级数学",
                lead,
                [partner],
                [Subject.MATH],
                venue=partner,
            ),
            Planned(
                ActivityKind.COLLECTIVE_LESSON_PREP,
                f"集体备课：{name}语文组",
                lead,
                [partner],
                [Subject.CHINESE],
            ),
        ]
    three = [Subject.CHINESE, Subject.MATH, Subject.ENGLISH]
    return [
        *plan,
        Planned(ActivityKind.TEACHER_TRAINING, "学期初教师培训", lead, partners, three),
        Planned(
            ActivityKind.TEACHING_RESEARCH,
            "英语教研活动：绘本阅读",
            partners[0],
            [lead, partners[1]],
            [Subject.ENGLISH],
        ),
        Planned(
            ActivityKind.QUALITY_TEST,
            "期中教学质量联合检测",
            lead,
            partners,
            [Subject.CHINESE, Subject.MATH],
        ),
        Planned(
            ActivityKind.DEMONSTRATION_LESSON,
            "示范课：分数的初步认识",
            lead,
            partners[2:],
            [Subject.MATH],
        ),
    ]


def other_kinds(
    lead: UUID, partners: list[UUID], first: date, last: date, pairs: list[Mentorship]
) -> list[Planned]:
    """Every other kind once in the first school year, the report lessons and the specials."""
    schools = [lead, *partners]
    plan = []
    for i, kind in enumerate(OTHER_KINDS):
        host = schools[i % len(schools)]
        others = [s for s in schools if s != host][: 1 + i % 4]
        label = LABELS[ActivityKind][kind].zh.split("/")[0]
        plan.append(Planned(kind, f"{label}：第一学年", host, others, []))
    plan = [
        replace(p, mode=ActivityMode.ONLINE, title="线上同步课堂：三年级英语")
        if p.kind is ActivityKind.SYNCHRONOUS_LESSON
        else replace(p, notified=True, title="抽测评估课：五年级数学", subjects=[Subject.MATH])
        if p.kind is ActivityKind.SPOT_CHECK_LESSON
        else p
        for p in plan
    ]
    at = next(i for i, p in enumerate(plan) if p.kind is ActivityKind.SYNCHRONOUS_LESSON) + 1
    plan.insert(
        at,
        Planned(
            ActivityKind.SYNC_TEACHING_SEMINAR,
            "同步教学研讨：三年级英语",
            plan[at - 1].host,
            plan[at - 1].others,
            [Subject.ENGLISH],
            follows=ActivityKind.SYNCHRONOUS_LESSON,
        ),
    )
    plan.append(
        Planned(
            ActivityKind.SENDING_LESSONS,
            "送教下乡（线上）：五年级科学",
            lead,
            partners[1:2],
            [Subject.SCIENCE],
            mode=ActivityMode.ONLINE,
            online_reason="暴雨致山路塌方，经县局同意改为线上送教",
        ),
    )
    days = spread(first, last, len(plan) + len(pairs))
    dated = [replace(p, held_on=day) for p, day in zip(plan, days, strict=False)]
    for pair, day in zip(pairs, days[len(plan) :], strict=True):
        lesson = Planned(
            ActivityKind.PUBLIC_LESSON,
            "师徒结对汇报课",
            pair.school_id,
            [lead] if pair.school_id != lead else partners[:1],
            [Subject.CHINESE],
            held_on=day,
            mentorship=pair.id,
        )
        dated.append(lesson)
    return sorted(dated, key=lambda p: p.held_on or first)


def spread(first: date, last: date, count: int) -> list[date]:
    span = max((last - first).days, 0)
    return [first + timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def semesters(starts_on: date, today: date) -> list[tuple[Semester, date, date]]:
    """Each semester from the community's first to today's, with the days its actions fill."""
    current = semester_of(today) or Semester(today.year, Term.SPRING)
    found, semester = [], Semester(starts_on.year, Term.AUTUMN)
    while semester != current:
        found.append((semester, semester.starts_on, semester.ends_on - timedelta(days=10)))
        semester = (  # spring is of the calendar year after its autumn
            Semester(semester.year + 1, Term.SPRING)
            if semester.term is Term.AUTUMN
            else Semester(semester.year, Term.AUTUMN)
        )
    return [*found, (current, current.starts_on, today)]


async def record_actions(
    writer: Env,
    *,
    community_id: UUID,
    names: dict[UUID, str],
    lead: UUID,
    partners: list[UUID],
    starts_on: date,
    today: date,
    pairs: list[Mentorship],
    teachers: frozenset[str] = frozenset(),
    photos: str = "",  # what makes the photos of another round of the same plan differ
    pool: asyncpg.Pool,
    files: FileStore,
) -> Recorded:
    pools = name_pools(writer.tenant_id, [lead, *partners], teachers)
    every = semester_plan(names, lead, partners)
    first_year_end = date(starts_on.year + 1, 7, 10)
    plan = other_kinds(lead, partners, starts_on + timedelta(days=7), first_year_end, pairs)
    for _, first, last in semesters(starts_on, today):
        days = spread(first, last, len(every))
        plan += [replace(p, held_on=day) for p, day in zip(every, days, strict=True)]
    plan.sort(key=lambda p: p.held_on or starts_on)
    current_start = semesters(starts_on, today)[-1][1]
    gate = asyncio.Semaphore(AT_ONCE)  # one action's commands in turn, some actions at once
    # Each kind's latest action so far, as it will be recorded: a follow-up waits for it.
    latest: dict[ActivityKind, asyncio.Future[UUID]] = {}

    async def one(
        number: int,
        planned: Planned,
        recorded: asyncio.Future[UUID],
        after: asyncio.Future[UUID] | None,
    ) -> UUID:
        async with gate:
            day = planned.held_on or today
            expected = participants(pools, number, planned.host, planned.others)
            start = starts_at(day, number)
            by_phone = number % PHONE_EVERY == PHONE_EVERY // 2
            sheet_photo = demo_photo(f"{writer.tenant_id}:{photos}{number}")
            evidence = [await upload(pool, files, writer, "签到表.png", sheet_photo, "image/png")]
            if number % 3 == 0:
                photo = demo_photo(f"{writer.tenant_id}:{photos}{number}:scene")
                evidence.append(
                    await upload(pool, files, writer, "活动照片.png", photo, "image/png")
                )
            notified = datetime.combine(day - timedelta(days=1), time(16), tzinfo=BEIJING)
            follows = None if after is None else await after
            command = RecordActivity(
                community_id=community_id,
                kind=planned.kind,
                title=planned.title,
                host_school_id=planned.host,
                participating_school_ids=planned.others,
                held_on=day,
                subjects=planned.subjects,
                participants=expected,
                mode=planned.mode,
                evidence=evidence,
                starts_at=start,
                venue_school_id=planned.venue,
                notified_at=notified if planned.notified else None,
                online_reason=planned.online_reason,
                follows_up=follows,
                attendance=sheet(expected, number, start, by_phone=by_phone),
            )
            activity, _ = await create(writer, record_activity, command)
            recorded.set_result(activity.id)
            if by_phone:
                await phone_sign_ins(writer, activity.id, expected, start)
            await reflections(writer, activity.id, planned.kind, expected, number)
            if planned.mentorship is not None:
                body = LinkLesson(activity_id=activity.id)
                await change(writer, None, link_lesson, Mentorship, planned.mentorship, body)
            return activity.id

    work = []
    for number, planned in enumerate(plan):
        future = asyncio.get_running_loop().create_future()
        after = None if planned.follows is None else latest[planned.follows]
        latest[planned.kind] = future
        work.append(one(number, planned, future, after))
    ids = await asyncio.gather(*work)
    current = [i for i, p in zip(ids, plan, strict=True) if (p.held_on or today) >= current_start]
    recorded = Recorded(list(ids), current[:CURRENT_KEPT])
    await _correct_and_void(writer, recorded.current[1])
    return recorded


async def _correct_and_void(writer: Env, wrong: UUID) -> None:
    """A wrong record is corrected, a duplicate voided: both stay in the ledger."""
    correction = CorrectActivity(
        reason="授课学科登记有误", subjects=[Subject.MATH, Subject.SCIENCE]
    )
    corrected, _ = await change(writer, None, correct_activity, Activity, wrong, correction)
    facts = corrected.facts
    duplicate = RecordActivity(
        community_id=corrected.community_id,
        kind=facts.kind,
        title=facts.title,
        host_school_id=facts.host_school_id,
        participating_school_ids=list(facts.participating_school_ids),
        held_on=facts.held_on,
    )
    recorded, _ = await create(writer, record_activity, duplicate)
    await change(
        writer, None, void_activity, Activity, recorded.id, VoidActivity(reason="重复登记")
    )
