"""The Sitting aggregate: one quality test (教学质量检测), its results and its analyses."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import SittingKind, Subject
from domain.community.community import Community
from domain.community.school import School
from domain.periods import check_in_range
from domain.quality.errors import (
    DuplicateResultError,
    DuplicateSittingItemError,
    GradeRangeError,
    NoResultsError,
    RatesOrderError,
    ResultOutsideSittingError,
    ResultRangeError,
    ResultRecordedError,
    SittingInFutureError,
    SittingSchoolClosedError,
    SittingSchoolError,
    SittingScopeError,
    TooPreciseError,
)

TITLE_LIMIT = 200
ANALYSIS_LIMIT = 20000
REASON_LIMIT = 500
MAX_STUDENTS = 100_000
MAX_FULL_MARKS = 1000
FULL = 10_000  # 100 % in hundredths of a percent
_T = TypeVar("_T", bound=Hashable)


def hundredths(field: str, value: float) -> int:
    """A figure given with at most two decimals (92.35) as an exact count of hundredths."""
    scaled = round(value * 100)
    if abs(value * 100 - scaled) > 1e-6:  # noqa: PLR2004 - float noise, not a third decimal
        raise TooPreciseError(field=field, value=value)
    return scaled


@dataclass(frozen=True)
class Result:
    """One school's figures in one subject and grade; rates and mean in hundredths."""

    school_id: UUID
    subject: Subject
    grade: int
    students: int
    pass_rate: int  # 合格率, 0..10000 (hundredths of a percent)
    good_rate: int  # 优良率, good or excellent, 0..pass_rate
    mean: int  # 平均分, hundredths of a point, 0..full_marks * 100
    full_marks: int  # 满分

    @property
    def key(self) -> tuple[UUID, Subject, int]:
        return (self.school_id, self.subject, self.grade)


class Sitting(Aggregate):
    """A test that schools sat on one day in some subjects and grades, perhaps of a community.

    Results come in later, a school at a time if need be; results given again for a school,
    subject and grade replace the first ones only with a reason. Analyses (质量分析) are texts
    for one school or for the whole sitting.
    """

    class Held(Aggregate.Created):
        kind: SittingKind
        title: str
        held_on: date
        grades: tuple[int, ...]
        subjects: tuple[Subject, ...]
        school_ids: tuple[UUID, ...]
        community_id: UUID | None
        recorded_by: UUID

    class ResultsRecorded(Aggregate.Event):
        results: tuple[Result, ...]
        reason: str  # why results recorded before are replaced; blank when none are
        recorded_by: UUID

    class AnalysisRecorded(Aggregate.Event):
        school_id: UUID | None  # None: the whole sitting's analysis
        text: str
        recorded_by: UUID

    @classmethod
    def hold(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        kind: SittingKind,
        title: str,
        held_on: date,
        grades: Sequence[int],
        subjects: Sequence[Subject],
        schools: Sequence[School],
        community: Community | None,
        today: date,
        by: UUID,
    ) -> Self:
        title = required(title, field="sitting_title", limit=TITLE_LIMIT)
        check_in_range("held_on", held_on)
        if held_on > today:
            raise SittingInFutureError(day=held_on, today=today)
        missing = [
            name
            for name, items in (("school_ids", schools), ("subjects", subjects), ("grades", grades))
            if not items
        ]
        if kind is SittingKind.JOINT and len(schools) == 1:
            missing.append("second_school")
        if missing:
            raise SittingScopeError(missing=", ".join(missing))
        for grade in grades:
            _check_grade(grade)
        _once("grades", grades)
        _once("subjects", subjects)
        _once("school_ids", [school.id for school in schools])
        for school in schools:
            if school.closed_on is not None and school.closed_on <= held_on:
                raise SittingSchoolClosedError(
                    school_id=school.id, closed_on=school.closed_on, day=held_on
                )
            if community is not None and not community.is_member_on(school.id, held_on):
                raise SittingSchoolError(school_id=school.id, community_id=community.id, on=held_on)
        return cls(
            id=id,
            kind=kind,
            title=title,
            held_on=held_on,
            grades=tuple(grades),
            subjects=tuple(subjects),
            school_ids=tuple(school.id for school in schools),
            community_id=None if community is None else community.id,
            recorded_by=by,
        )

    @event(Held)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        kind: SittingKind,
        title: str,
        held_on: date,
        grades: tuple[int, ...],
        subjects: tuple[Subject, ...],
        school_ids: tuple[UUID, ...],
        community_id: UUID | None,
        recorded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.kind = kind
        self.title = title
        self.held_on = held_on
        self.grades = grades
        self.subjects = subjects
        self.school_ids = school_ids
        self.community_id = community_id
        self.results: dict[tuple[UUID, Subject, int], Result] = {}
        self.analyses: list[tuple[UUID | None, str]] = []

    def record_results(self, results: Sequence[Result], reason: str, by: UUID) -> None:
        """Add results; those of a school, subject and grade recorded before need a reason."""
        if not results:
            raise NoResultsError
        reason = optional(reason, field="reason", limit=REASON_LIMIT)
        seen: set[tuple[UUID, Subject, int]] = set()
        for result in results:
            self._check_result(result)
            if result.key in seen:
                raise DuplicateResultError(
                    school_id=result.school_id, subject=result.subject, grade=result.grade
                )
            seen.add(result.key)
            if result.key in self.results and not reason:
                raise ResultRecordedError(
                    school_id=result.school_id, subject=result.subject, grade=result.grade
                )
        self._results_recorded(results=tuple(results), reason=reason, recorded_by=by)

    def record_analysis(self, school_id: UUID | None, text: str, by: UUID) -> None:
        """A quality analysis (质量分析) of one school's results, or of the whole sitting's."""
        if school_id is not None and school_id not in self.school_ids:
            raise ResultOutsideSittingError(sitting_id=self.id, field="school_id", value=school_id)
        text = required(text, field="analysis_text", limit=ANALYSIS_LIMIT)
        self._analysis_recorded(school_id=school_id, text=text, recorded_by=by)

    def _check_result(self, result: Result) -> None:
        for field, value, known in (
            ("school_id", result.school_id, result.school_id in self.school_ids),
            ("subject", result.subject, result.subject in self.subjects),
            ("grade", result.grade, result.grade in self.grades),
        ):
            if not known:
                raise ResultOutsideSittingError(sitting_id=self.id, field=field, value=value)
        _in_range("students", result.students, 1, MAX_STUDENTS)
        _in_range("full_marks", result.full_marks, 1, MAX_FULL_MARKS)
        _in_range("pass_rate", result.pass_rate, 0, FULL, scale=100)
        _in_range("good_rate", result.good_rate, 0, FULL, scale=100)
        _in_range("mean", result.mean, 0, result.full_marks * 100, scale=100)
        if result.good_rate > result.pass_rate:
            raise RatesOrderError(
                good_rate=result.good_rate / 100, pass_rate=result.pass_rate / 100
            )

    @event(ResultsRecorded)
    def _results_recorded(
        self,
        *,
        results: tuple[Result, ...],
        reason: str,  # noqa: ARG002 (kept in the event only)
        recorded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        for result in results:
            self.results[result.key] = result

    @event(AnalysisRecorded)
    def _analysis_recorded(
        self,
        *,
        school_id: UUID | None,
        text: str,
        recorded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.analyses.append((school_id, text))


def _check_grade(grade: int) -> None:
    if not 1 <= grade <= 12:  # noqa: PLR2004 - 一年级 to 高三
        raise GradeRangeError(grade=grade)


def _in_range(field: str, value: int, low: int, high: int, *, scale: int = 1) -> None:
    if not low <= value <= high:
        shown = (value / scale, low / scale, high / scale) if scale != 1 else (value, low, high)
        raise ResultRangeError(field=field, value=shown[0], low=shown[1], high=shown[2])


def _once(field: str, items: Sequence[_T]) -> None:
    seen: set[_T] = set()
    for item in items:
        if item in seen:
            raise DuplicateSittingItemError(field=field, value=item)
        seen.add(item)
