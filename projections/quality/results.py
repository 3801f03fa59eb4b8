"""The shared quality database (质量管理数据库): figures by school, subject, grade and period.

A period is a school year and its term. When several sittings of one period give figures for
the same school, subject and grade, the latest sitting's stand (an end-of-term test after the
midterm); a corrected result replaces its sitting's figures. Sittings keep their date and
results are never withdrawn, so the latest sitting is found from the row alone.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.codes import SittingKind, Subject
from domain.quality.sitting import Sitting
from projections.base import Keyed, Projection, Step
from projections.quality.sitting_list import period_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.quality.sitting import Result


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    """One result, rates and mean in hundredths."""

    school_id: UUID
    subject: Subject
    grade: int
    students: int
    pass_rate: int
    good_rate: int
    mean: int
    full_marks: int


class SittingResults(msgspec.Struct, frozen=True, kw_only=True):
    """What the database remembers of a sitting: when it was, and its results as they stand."""

    sitting_id: UUID
    kind: SittingKind
    held_on: date
    results: tuple[Figures, ...]


class QualityKey(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    subject: Subject
    grade: int
    school_year: str
    term: str


class QualityRow(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    subject: Subject
    grade: int
    school_year: str
    term: str
    year: int  # the school year's first year: the year before is year - 1
    sitting_id: UUID
    sitting_kind: SittingKind
    held_on: date
    students: int
    pass_rate: int
    good_rate: int
    mean: int
    full_marks: int


def _figures(result: Result) -> Figures:
    return Figures(
        school_id=result.school_id,
        subject=result.subject,
        grade=result.grade,
        students=result.students,
        pass_rate=result.pass_rate,
        good_rate=result.good_rate,
        mean=result.mean,
        full_marks=result.full_marks,
    )


def remember(memory: SittingResults | None, event: Any) -> SittingResults | None:  # noqa: ANN401
    match event:
        case Sitting.Held():
            return SittingResults(
                sitting_id=event.originator_id, kind=event.kind, held_on=event.held_on, results=()
            )
        case Sitting.ResultsRecorded() if memory is not None:
            given = {(r.school_id, r.subject, r.grade): _figures(r) for r in event.results}
            kept = [f for f in memory.results if (f.school_id, f.subject, f.grade) not in given]
            return msgspec.structs.replace(memory, results=(*kept, *given.values()))
        case _:
            return memory


def _changed(step: Step) -> list[Figures]:
    """The results this step gave or replaced."""
    if step.after is None:
        return []
    before = set() if step.before is None else set(step.before.results)
    return [f for f in step.after.results if f not in before]


def _key(memory: SittingResults, figures: Figures) -> QualityKey:
    school_year, term = period_of(memory.held_on)
    return QualityKey(
        school_id=figures.school_id,
        subject=figures.subject,
        grade=figures.grade,
        school_year=school_year,
        term=term,
    )


def keys(step: Step) -> list[QualityKey]:
    return [_key(step.after, figures) for figures in _changed(step)]


def evolve(rows: Mapping[QualityKey, QualityRow], step: Step) -> dict[QualityKey, QualityRow]:
    memory: SittingResults = step.after
    changed: dict[QualityKey, QualityRow] = {}
    for figures in _changed(step):
        key = _key(memory, figures)
        current = rows.get(key)
        later = current is not None and (current.held_on, current.sitting_id) > (
            memory.held_on,
            memory.sitting_id,
        )
        if later:
            continue  # a later sitting's figures stand
        changed[key] = QualityRow(
            **msgspec.structs.asdict(key),
            year=int(key.school_year[:4]),
            sitting_id=memory.sitting_id,
            sitting_kind=memory.kind,
            held_on=memory.held_on,
            students=figures.students,
            pass_rate=figures.pass_rate,
            good_rate=figures.good_rate,
            mean=figures.mean,
            full_marks=figures.full_marks,
        )
    return changed


quality_sitting_results = Projection(
    name="quality_sitting_results",
    aggregate=Sitting,
    row_type=SittingResults,
    key="sitting_id",
    evolve=remember,
)

quality_results = Keyed(
    name="quality_results",
    memory=(quality_sitting_results,),
    key_type=QualityKey,
    row_type=QualityRow,
    keys=keys,
    evolve=evolve,
)
