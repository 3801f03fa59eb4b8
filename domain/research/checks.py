"""Checks shared by projects and papers: dates, owner schools, teachers named by id."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.community.community import Community
from domain.community.school import School
from domain.periods import check_in_range
from domain.research.errors import (
    DuplicateOwnerSchoolError,
    DuplicateTeacherError,
    OwnerNotInCommunityError,
    ResearchDateOrderError,
    ResearchInFutureError,
    ResearchSchoolClosedError,
)


def check_day(field: str, day: date, *, today: date, after: date | None = None) -> None:
    """A day in range, not in the future, and not before `after` (the stage before)."""
    check_in_range(field, day)
    if day > today:
        raise ResearchInFutureError(field=field, day=day, today=today)
    if after is not None and day < after:
        raise ResearchDateOrderError(field=field, day=day, earlier=after)


def check_schools(schools: Sequence[School], community: Community | None, on: date) -> None:
    """Each school once, open on `on`, and in `community` on that day when one is named."""
    seen: set[UUID] = set()
    for school in schools:
        if school.id in seen:
            raise DuplicateOwnerSchoolError(school_id=school.id)
        seen.add(school.id)
        if school.closed_on is not None and school.closed_on <= on:
            raise ResearchSchoolClosedError(school_id=school.id, closed_on=school.closed_on, day=on)
        if community is not None and not community.is_member_on(school.id, on):
            raise OwnerNotInCommunityError(school_id=school.id, community_id=community.id, on=on)


def check_teachers(teacher_ids: Sequence[UUID]) -> None:
    """Teachers are named by their ids in the staff context; each once."""
    seen: set[UUID] = set()
    for teacher_id in teacher_ids:
        if teacher_id in seen:
            raise DuplicateTeacherError(teacher_id=teacher_id)
        seen.add(teacher_id)
