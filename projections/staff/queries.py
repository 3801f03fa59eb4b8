"""Questions the API asks of the staff context's read models, one county at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.paging import Filters, page
from projections.staff.assignment_list import AssignmentRow, assignment_list
from projections.staff.mentorship_list import MentorshipRow, mentorship_list
from projections.staff.teacher_list import TeacherRow, teacher_list

if TYPE_CHECKING:
    from datetime import date, datetime
    from uuid import UUID

    from infra.db import Connection


async def teachers(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    subject: str | None = None,
    title: str | None = None,
    backbone_level: str | None = None,
    include_left: bool = False,
    after: tuple[datetime, UUID] | None = None,
    limit: int = 50,
) -> list[TeacherRow]:
    """Teachers in the order they were registered; those who left only when asked for."""
    filters = Filters(tenant_id)
    for column, value in (
        ("school_id", school_id),
        ("title", title),
        ("backbone_level", backbone_level),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if subject is not None:
        filters.add("subjects @> array[{}]::text[]", subject)
    if not include_left:
        filters.conditions.append("left_on is null")
    return await page(
        conn,
        TeacherRow,
        teacher_list.name,
        filters,
        order=("registered_at", "teacher_id"),
        descending=False,
        after=after,
        limit=limit,
    )


async def assignments(
    conn: Connection,
    tenant_id: UUID,
    *,
    community_id: UUID | None = None,
    school_id: UUID | None = None,
    from_school_id: UUID | None = None,
    to_school_id: UUID | None = None,
    teacher_id: UUID | None = None,
    kind: str | None = None,
    active_on: date | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[AssignmentRow]:
    """Assignments, the latest to start first."""
    filters = Filters(tenant_id)
    for column, value in (
        ("community_id", community_id),
        ("from_school_id", from_school_id),
        ("to_school_id", to_school_id),
        ("kind", kind),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if school_id is not None:
        filters.add("(from_school_id = {0} or to_school_id = {0})", school_id)
    if teacher_id is not None:
        filters.add("teacher_ids @> array[{}]::uuid[]", teacher_id)
    if active_on is not None:
        filters.add("starts_on <= {0} and last_day >= {0}", active_on)
    return await page(
        conn,
        AssignmentRow,
        assignment_list.name,
        filters,
        order=("starts_on", "assignment_id"),
        descending=True,
        after=after,
        limit=limit,
    )


async def mentorships(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    teacher_id: UUID | None = None,
    active_on: date | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[MentorshipRow]:
    """Mentor pairs, the latest to start first; with `teacher_id`, as mentor or apprentice."""
    filters = Filters(tenant_id)
    if school_id is not None:
        filters.add("school_id = {}", school_id)
    if teacher_id is not None:
        filters.add("(mentor_id = {0} or apprentice_id = {0})", teacher_id)
    if active_on is not None:
        filters.add("starts_on <= {0} and last_day >= {0}", active_on)
    return await page(
        conn,
        MentorshipRow,
        mentorship_list.name,
        filters,
        order=("starts_on", "mentorship_id"),
        descending=True,
        after=after,
        limit=limit,
    )
