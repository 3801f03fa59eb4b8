"""Staff assignments (支教/轮岗/挂职, 跟岗, 跟班, 互派交流) as they stand, one row each."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    EligibilityBasis,
    Post,
    Relation,
)
from domain.staff.assignment import Assignment
from projections.base import Projection


class AssignmentRow(msgspec.Struct, frozen=True, kw_only=True):
    assignment_id: UUID
    kind: AssignmentKind
    teacher_id: UUID  # who fills it now, or last
    teacher_ids: tuple[UUID, ...]  # everyone who filled it, first to last
    role: AssignmentRole
    from_school_id: UUID
    to_school_id: UUID
    host_posts: tuple[Post, ...]
    starts_on: date
    planned_ends_on: date
    ended_on: date | None
    last_day: date
    community_id: UUID | None
    full_time: bool
    personnel_relation: Relation
    party_relation: Relation
    eligibility_basis: EligibilityBasis | None
    version: int


def assignment_row(assignment: Assignment) -> AssignmentRow:
    """The row of an assignment as its aggregate stands (the list's row once folded)."""
    return AssignmentRow(
        assignment_id=assignment.id,
        kind=assignment.kind,
        teacher_id=assignment.teacher_id,
        teacher_ids=tuple(holder.teacher_id for holder in assignment.holders),
        role=assignment.role,
        from_school_id=assignment.from_school_id,
        to_school_id=assignment.to_school_id,
        host_posts=assignment.host_posts,
        starts_on=assignment.starts_on,
        planned_ends_on=assignment.planned_ends_on,
        ended_on=assignment.ended_on,
        last_day=assignment.last_day,
        community_id=assignment.community_id,
        full_time=assignment.full_time,
        personnel_relation=assignment.personnel_relation,
        party_relation=assignment.party_relation,
        eligibility_basis=assignment.eligibility_basis,
        version=assignment.version,
    )


def evolve(row: AssignmentRow | None, event: Any) -> AssignmentRow | None:  # noqa: ANN401
    match event:
        case Assignment.Arranged():
            return AssignmentRow(
                assignment_id=event.originator_id,
                kind=event.kind,
                teacher_id=event.teacher_id,
                teacher_ids=(event.teacher_id,),
                role=event.role,
                from_school_id=event.from_school_id,
                to_school_id=event.to_school_id,
                host_posts=event.host_posts,
                starts_on=event.starts_on,
                planned_ends_on=event.planned_ends_on,
                ended_on=None,
                last_day=event.planned_ends_on,
                community_id=event.community_id,
                full_time=event.full_time,
                personnel_relation=event.personnel_relation,
                party_relation=event.party_relation,
                eligibility_basis=event.eligibility_basis,
                version=event.originator_version,
            )
        case Assignment.Replaced() if row is not None:
            return msgspec.structs.replace(
                row,
                teacher_id=event.teacher_id,
                teacher_ids=(*row.teacher_ids, event.teacher_id),
                version=event.originator_version,
            )
        case Assignment.EndedEarly() if row is not None:
            return msgspec.structs.replace(
                row,
                ended_on=event.ended_on,
                last_day=event.ended_on,
                version=event.originator_version,
            )
        case _:
            return row


assignment_list = Projection(
    name="assignment_list",
    aggregate=Assignment,
    row_type=AssignmentRow,
    key="assignment_id",
    evolve=evolve,
)
