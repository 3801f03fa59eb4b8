"""Quality test sittings (教学质量检测) as they stand, one row per sitting."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import SittingKind, Subject
from domain.periods import school_year_of, semester_of
from domain.quality.sitting import Sitting
from projections.base import Projection

SUMMER = "summer"  # August: a school year's, no semester's


class SittingRow(msgspec.Struct, frozen=True, kw_only=True):
    sitting_id: UUID
    kind: SittingKind
    title: str
    held_on: date
    school_year: str
    term: str  # "autumn", "spring", or "summer" for August
    grades: tuple[int, ...]
    subjects: tuple[Subject, ...]
    school_ids: tuple[UUID, ...]
    community_id: UUID | None
    reported_school_ids: tuple[UUID, ...]  # schools with at least one result
    analyses: int
    version: int


def period_of(day: date) -> tuple[str, str]:
    """The school year's code and the term of a day."""
    semester = semester_of(day)
    return school_year_of(day).code, SUMMER if semester is None else semester.term.value


def sitting_row(sitting: Sitting) -> SittingRow:
    """The row of a sitting as its aggregate stands (the list's row once folded)."""
    school_year, term = period_of(sitting.held_on)
    reported = {school_id for school_id, _, _ in sitting.results}
    return SittingRow(
        sitting_id=sitting.id,
        kind=sitting.kind,
        title=sitting.title,
        held_on=sitting.held_on,
        school_year=school_year,
        term=term,
        grades=sitting.grades,
        subjects=sitting.subjects,
        school_ids=sitting.school_ids,
        community_id=sitting.community_id,
        reported_school_ids=tuple(s for s in sitting.school_ids if s in reported),
        analyses=len(sitting.analyses),
        version=sitting.version,
    )


def evolve(row: SittingRow | None, event: Any) -> SittingRow | None:  # noqa: ANN401 - any event
    version = event.originator_version
    match event:
        case Sitting.Held():
            school_year, term = period_of(event.held_on)
            return SittingRow(
                sitting_id=event.originator_id,
                kind=event.kind,
                title=event.title,
                held_on=event.held_on,
                school_year=school_year,
                term=term,
                grades=event.grades,
                subjects=event.subjects,
                school_ids=event.school_ids,
                community_id=event.community_id,
                reported_school_ids=(),
                analyses=0,
                version=version,
            )
        case Sitting.ResultsRecorded() if row is not None:
            reported = {*row.reported_school_ids, *(r.school_id for r in event.results)}
            return msgspec.structs.replace(
                row,
                reported_school_ids=tuple(s for s in row.school_ids if s in reported),
                version=version,
            )
        case Sitting.AnalysisRecorded() if row is not None:
            return msgspec.structs.replace(row, analyses=row.analyses + 1, version=version)
        case _:
            return row


sitting_list = Projection(
    name="sitting_list", aggregate=Sitting, row_type=SittingRow, key="sitting_id", evolve=evolve
)
