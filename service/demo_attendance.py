"""The demo's attendance: who is expected, the sign-in sheet, phone sign-ins and reflections.

Participants of actions are named from a pool per school (generated names, no real people),
kept apart from the sealed teacher records: an action's sign-in sheet is its own record.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from domain.codes import ActivityKind
from domain.community.activity import Activity
from infra.event_store import WriteContext
from service.command import change
from service.commands.community.activities import AttendanceIn, ParticipantIn
from service.commands.community.sign_in import (
    SIGN_IN_ROLE,
    IssueSignInLink,
    SubmitReflection,
    issue_sign_in_link,
    submit_reflection,
)
from service.demo_staff import made_up_name

if TYPE_CHECKING:
    from uuid import UUID

    from service.command import Env

BEIJING = timezone(timedelta(hours=8))
PER_SCHOOL = 6  # names in each school's pool
LINK_MINUTES = 60
# The kinds whose participants hand in a reflection (研修心得); a training's is long.
REFLECTED = frozenset(
    {
        ActivityKind.TEACHER_TRAINING,
        ActivityKind.TEACHING_RESEARCH,
        ActivityKind.EXPERT_LECTURE,
        ActivityKind.SAME_TOPIC_LESSONS,
    }
)
# Where a participant's turn puts them on the sheet (of 12 turns).
LATE, ON_LEAVE, LEFT_EARLY, ABSENT, TURNS = 5, 7, 9, 11, 12
LONG_REFLECTION = 2000  # seed 001 篇一: a training's reflection is at least 2000 characters
SENTENCES = (
    "本次活动让我对课堂教学有了新的认识。",
    "授课教师注重学生的主体地位，问题设计层层递进。",
    "回到学校后，我将把小组合作学习的方法用到自己的课堂中。",
    "评课环节中，专家指出了我们在作业设计上的不足。",
    "城乡教师同上一节课，让我看到了差距，也明确了努力的方向。",
)


def name_pools(
    tenant_id: UUID, schools: list[UUID], teachers: frozenset[str] = frozenset()
) -> dict[UUID, list[str]]:
    """Each school's participants: distinct made-up names, the same for the same county.

    None is a teacher's name (`teachers`): a name sealed in the staff ledger stays only there.
    """
    rng = random.Random(f"{tenant_id}:participants")  # noqa: S311 - made-up names, not secrets
    pools: dict[UUID, list[str]] = {}
    taken: set[str] = set(teachers)
    for school in schools:
        names: list[str] = []
        while len(names) < PER_SCHOOL:
            name = made_up_name(rng)
            if name not in taken:
                taken.add(name)
                names.append(name)
        pools[school] = names
    return pools


def participants(
    pools: dict[UUID, list[str]], number: int, host: UUID, others: list[UUID]
) -> list[ParticipantIn]:
    """The speaker at the host, two teachers of each other school (turn by turn)."""
    speaker = pools[host][number % PER_SCHOOL]
    expected = [ParticipantIn(name=speaker, school_id=host, role="主讲教师")]
    for school in others:
        for k in range(2):
            name = pools[school][(number + k) % PER_SCHOOL]
            expected.append(ParticipantIn(name=name, school_id=school, role="参训教师"))
    return expected


def starts_at(day: date, number: int) -> datetime:
    return datetime.combine(day, time(14, 30) if number % 3 else time(9, 0), tzinfo=BEIJING)


def sheet(
    expected: list[ParticipantIn], number: int, start: datetime, *, by_phone: bool
) -> list[AttendanceIn]:
    """The sign-in sheet's lines: early, late, left early, on leave, and one absent now and then.

    With `by_phone` the other schools' teachers sign in on their phones instead (not here).
    """
    marks = []
    for j, person in enumerate(expected):
        turn = (number + j) % TURNS
        if by_phone and j > 0:
            continue
        if turn == ABSENT and j > 0:
            continue  # no line and no sign-in: absent
        if turn == ON_LEAVE:
            leave = "学校临时安排监考，经分管校长批准请假"
            marks.append(
                AttendanceIn(name=person.name, school_id=person.school_id, leave_reason=leave)
            )
            continue
        late = turn == LATE
        at = start + timedelta(minutes=6 if late else -15 + j)
        marks.append(
            AttendanceIn(
                name=person.name,
                school_id=person.school_id,
                signed_in_at=at,
                late=late,
                left_early=turn == LEFT_EARLY,
            )
        )
    return marks


async def phone_sign_ins(
    writer: Env, activity_id: UUID, expected: list[ParticipantIn], start: datetime
) -> None:
    """The organiser shows the link's QR code; the other schools' teachers sign in, one late.

    The link is issued now (its expiry ahead of now) and each sign-in carries the moment it
    was made at the action, as `sign_in_by_link` would have recorded it then.
    """
    issue = functools.partial(issue_sign_in_link, longest_minutes=LINK_MINUTES)
    activity, _ = await change(writer, None, issue, Activity, activity_id, IssueSignInLink())
    link_id = next(reversed(activity.sign_in_links))
    write = WriteContext(tenant_id=writer.tenant_id, actor_id=link_id, role=SIGN_IN_ROLE)
    for j, person in enumerate(expected[1:], start=1):
        at = start + timedelta(minutes=4 if j == len(expected) - 1 else -20 + j)
        activity.sign_in(person.name, person.school_id, min(at, datetime.now(UTC)), link_id)
    await writer.store.save(activity, write)


def reflection(number: int, j: int, *, long: bool) -> str:
    """A reflection of some hundred characters, or one of at least LONG_REFLECTION."""
    text = ""
    k = number + j
    while len(text) < (LONG_REFLECTION + 40 * j if long else 120 + 30 * j):
        text += SENTENCES[k % len(SENTENCES)]
        k += 1
    return text


async def reflections(
    writer: Env, activity_id: UUID, kind: ActivityKind, expected: list[ParticipantIn], number: int
) -> None:
    """The other schools' teachers hand in theirs; at a training the last one's is too short."""
    if kind not in REFLECTED:
        return
    others = expected[1:]
    for j, person in enumerate(others):
        long = kind is ActivityKind.TEACHER_TRAINING and j < len(others) - 1
        body = SubmitReflection(
            name=person.name, school_id=person.school_id, text=reflection(number, j, long=long)
        )
        await change(writer, None, submit_reflection, Activity, activity_id, body)
