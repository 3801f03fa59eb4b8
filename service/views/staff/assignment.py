"""A staff assignment: whole (every holder), and as the list shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.staff.assignment_list import assignment_row
from service.views.labels import text
from service.views.staff.teacher import CodeView

if TYPE_CHECKING:
    from domain.staff.assignment import Assignment
    from projections.staff.assignment_list import AssignmentRow


class AssignmentSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    kind_label: str
    teacher_id: UUID  # who fills it now, or last
    teacher_ids: list[UUID]  # everyone who filled it, first to last
    role: str
    role_label: str
    from_school_id: UUID
    to_school_id: UUID
    host_posts: list[CodeView]
    starts_on: date
    planned_ends_on: date
    ended_on: date | None  # an early end: the last day served
    community_id: UUID | None
    full_time: bool
    personnel_relation: str
    personnel_relation_label: str
    party_relation: str
    party_relation_label: str
    eligibility_basis: str | None
    eligibility_basis_label: str | None
    version: int


class HolderView(msgspec.Struct, frozen=True, kw_only=True):
    teacher_id: UUID
    since: date
    side: str | None  # the side that replaced the one before; null for the first
    side_label: str | None


class AssignmentView(AssignmentSummary, frozen=True, kw_only=True):
    holders: list[HolderView]


def assignment_summary(row: AssignmentRow, lang: str) -> AssignmentSummary:
    basis = row.eligibility_basis
    return AssignmentSummary(
        id=row.assignment_id,
        kind=row.kind.value,
        kind_label=text(row.kind, lang),
        teacher_id=row.teacher_id,
        teacher_ids=list(row.teacher_ids),
        role=row.role.value,
        role_label=text(row.role, lang),
        from_school_id=row.from_school_id,
        to_school_id=row.to_school_id,
        host_posts=[CodeView(code=p.value, label=text(p, lang)) for p in row.host_posts],
        starts_on=row.starts_on,
        planned_ends_on=row.planned_ends_on,
        ended_on=row.ended_on,
        community_id=row.community_id,
        full_time=row.full_time,
        personnel_relation=row.personnel_relation.value,
        personnel_relation_label=text(row.personnel_relation, lang),
        party_relation=row.party_relation.value,
        party_relation_label=text(row.party_relation, lang),
        eligibility_basis=None if basis is None else basis.value,
        eligibility_basis_label=None if basis is None else text(basis, lang),
        version=row.version,
    )


def assignment_view(assignment: Assignment, lang: str) -> AssignmentView:
    summary = assignment_summary(assignment_row(assignment), lang)
    return AssignmentView(
        **msgspec.structs.asdict(summary),
        holders=[
            HolderView(
                teacher_id=holder.teacher_id,
                since=holder.since,
                side=None if holder.side is None else holder.side.value,
                side_label=None if holder.side is None else text(holder.side, lang),
            )
            for holder in assignment.holders
        ],
    )


class AssignmentPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AssignmentSummary]
    next_cursor: str | None
