"""The demo county's staff assignments of each kind, and the subsidies of those sent full-time.

Two backbone teachers sent for two years (支教), a vice principal on 挂职 replaced after the
first year by the sending side, a mid-level cadre on 轮岗 who ends early, a shadowing teacher
(跟岗), a head on 跟班 for a semester, and a pair of teachers exchanged (互派交流) for a year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    EligibilityBasis,
    MoneyKind,
    Post,
    Relation,
)
from domain.staff.assignment import Assignment
from service.command import change, create
from service.commands.money.entries import RecordEntry, record_entry
from service.commands.staff.assignments import (
    ArrangeAssignment,
    EndAssignment,
    ReplacePerson,
    arrange_assignment,
    end_assignment,
    replace_person,
)
from service.demo_files import at_once

if TYPE_CHECKING:
    from uuid import UUID

    from domain.staff.teacher import Teacher
    from service.command import Env

SUBSIDY_FEN = 20_000  # ¥200 a month (seed 001 篇四 保障(二))
SCHOOL_MONTHS = (9, 10, 11, 12, 1, 3, 4, 5, 6, 7)  # ten months a school year, paid on the 10th
SEPTEMBER = 9


@dataclass(frozen=True)
class Served:
    """Who served at a host full-time, from and to which day, sent by which school."""

    teacher_id: UUID
    from_school_id: UUID
    since: date
    until: date


async def arrange_all(
    writer: Env,
    by_school: dict[UUID, list[Teacher]],
    lead: UUID,
    partners: list[UUID],
    *,
    starts_on: date,
    community_id: UUID,
) -> list[Served]:
    """Every kind of assignment; what the subsidies are paid for."""
    staff = by_school[lead]
    second_year = starts_on.replace(year=starts_on.year + 1)
    two_years = starts_on.replace(year=starts_on.year + 2) - timedelta(days=1)
    first_year_end = second_year - timedelta(days=1)
    term = functools.partial(ArrangeAssignment, starts_on=starts_on, community_id=community_id)
    plans = [
        *(
            term(
                kind=AssignmentKind.DISPATCH,
                teacher_id=sent.id,
                role=AssignmentRole.BACKBONE_TEACHER,
                from_school_id=lead,
                to_school_id=host,
                host_posts=[Post.PREP_GROUP_LEADER],
                planned_ends_on=two_years,
                party_relation=Relation.MOVED_TO_HOST,
            )
            for sent, host in zip(staff[1:3], partners, strict=False)
        ),
        term(  # 挂职: the vice principal of the host
            kind=AssignmentKind.DISPATCH,
            teacher_id=staff[3].id,
            role=AssignmentRole.VICE_PRINCIPAL,
            from_school_id=lead,
            to_school_id=partners[2],
            host_posts=[Post.VICE_PRINCIPAL, Post.PARTY_SECRETARY],
            planned_ends_on=two_years,
            personnel_relation=Relation.MOVED_TO_HOST,
            party_relation=Relation.MOVED_TO_HOST,
        ),
        term(  # 轮岗: a mid-level cadre, ends early
            kind=AssignmentKind.DISPATCH,
            teacher_id=staff[4].id,
            role=AssignmentRole.MID_LEVEL_CADRE,
            from_school_id=lead,
            to_school_id=partners[3],
            host_posts=[Post.RESEARCH_GROUP_LEADER, Post.GRADE_LEADER],
            planned_ends_on=two_years,
        ),
        term(  # 跟岗
            kind=AssignmentKind.SHADOWING,
            teacher_id=by_school[partners[-1]][1].id,
            role=AssignmentRole.SHADOWING_TEACHER,
            from_school_id=partners[-1],
            to_school_id=lead,
            planned_ends_on=first_year_end,
            eligibility_basis=EligibilityBasis.YOUNG_NEVER_ROTATED,
        ),
        term(  # 跟班: a member school's cadre beside the lead's, one semester
            kind=AssignmentKind.MANAGEMENT_SHADOWING,
            teacher_id=by_school[partners[1]][1].id,
            role=AssignmentRole.MID_LEVEL_CADRE,
            from_school_id=partners[1],
            to_school_id=lead,
            planned_ends_on=date(starts_on.year + 1, 1, 20),
        ),
        *(  # 互派交流: one each way for the first year
            term(
                kind=AssignmentKind.TEACHER_EXCHANGE,
                teacher_id=teacher.id,
                role=AssignmentRole.BACKBONE_TEACHER,
                from_school_id=source,
                to_school_id=host,
                host_posts=[Post.CLASS_TEACHER],
                planned_ends_on=first_year_end,
            )
            for teacher, source, host in (
                (staff[5], lead, partners[2]),
                (by_school[partners[2]][2], partners[2], lead),
            )
        ),
    ]
    arranged = [(await create(writer, arrange_assignment, plan))[0] for plan in plans]
    vice, cadre = arranged[2], arranged[3]
    successor = ReplacePerson(
        teacher_id=staff[5].id,
        replaced_on=second_year,
        side=AssignmentSide.SENDING,
        reason="任职满一年，派出学校按计划轮换",
    )
    await change(writer, None, replace_person, Assignment, vice.id, successor)
    ended_on = date(starts_on.year + 1, 1, 20)
    early = EndAssignment(ended_on=ended_on, reason="家中有特殊困难，经双方学校同意提前结束轮岗")
    await change(writer, None, end_assignment, Assignment, cadre.id, early)
    served = [Served(p.teacher_id, lead, starts_on, two_years) for p in plans[:2]]
    return [
        *served,
        Served(staff[3].id, lead, starts_on, first_year_end),
        Served(staff[5].id, lead, second_year, two_years),
        Served(staff[4].id, lead, starts_on, ended_on),
    ]


async def pay_subsidies(writer: Env, served: list[Served], today: date) -> None:
    """¥200 for each school month served, paid on the month's 10th once it has come."""
    entries = []
    for person in served:
        year = person.since.year
        while True:
            months = [date(year + (m < SEPTEMBER), m, 1) for m in SCHOOL_MONTHS]
            for month in months:
                paid_on = month.replace(day=10)
                if not person.since <= month <= person.until or paid_on > today:
                    continue
                entry = RecordEntry(
                    kind=MoneyKind.SUBSIDY,
                    amount_fen=SUBSIDY_FEN,
                    school_id=person.from_school_id,
                    teacher_id=person.teacher_id,
                    month=month,
                    paid_on=paid_on,
                    note="支教教师生活补助",
                )
                entries.append(create(writer, record_entry, entry))
            year += 1
            if date(year, SEPTEMBER, 1) > min(person.until, today):
                break
    await at_once(entries)
