"""The Mentorship aggregate: a mentor and an apprentice paired for a term (师徒结对)."""

from datetime import date
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import required
from domain.codes import ActivityKind
from domain.community.activity import Activity
from domain.community.errors import ActivityVoidedError
from domain.community.school import School
from domain.staff.errors import (
    LessonAlreadyLinkedError,
    LessonKindError,
    LessonOutsideTermError,
    SameTeacherError,
)
from domain.staff.teacher import Teacher, check_school_open
from domain.staff.term import check_early_end, check_term

REASON_LIMIT = 500


class Mentorship(Aggregate):
    """A mentor (师傅) guiding an apprentice (徒弟) at a school for a term.

    The apprentice's public report lessons (公开汇报课, seed 001 篇四 (二)) are community
    actions linked here. Whether the mentor qualifies (a 骨干教师 of the host with at least
    中级职称) is judged by the rules from the teachers' own facts, not refused here.
    """

    class Paired(Aggregate.Created):
        mentor_id: UUID
        apprentice_id: UUID
        school_id: UUID
        starts_on: date
        planned_ends_on: date  # the last day of the term, included
        paired_by: UUID

    class EndedEarly(Aggregate.Event):
        ended_on: date  # the last day of the pairing
        reason: str
        ended_by: UUID

    class LessonLinked(Aggregate.Event):
        activity_id: UUID
        linked_by: UUID

    @classmethod
    def pair(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        mentor: Teacher,
        apprentice: Teacher,
        school: School,
        starts_on: date,
        planned_ends_on: date,
        by: UUID,
    ) -> Self:
        if mentor.id == apprentice.id:
            raise SameTeacherError(teacher_id=mentor.id, first="mentor", second="apprentice")
        mentor.check_can_serve()
        apprentice.check_can_serve()
        check_school_open(school)
        check_term(starts_on, planned_ends_on)
        return cls(
            id=id,
            mentor_id=mentor.id,
            apprentice_id=apprentice.id,
            school_id=school.id,
            starts_on=starts_on,
            planned_ends_on=planned_ends_on,
            paired_by=by,
        )

    @event(Paired)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        mentor_id: UUID,
        apprentice_id: UUID,
        school_id: UUID,
        starts_on: date,
        planned_ends_on: date,
        paired_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.mentor_id = mentor_id
        self.apprentice_id = apprentice_id
        self.school_id = school_id
        self.starts_on = starts_on
        self.planned_ends_on = planned_ends_on
        self.ended_on: date | None = None
        self.lesson_ids: tuple[UUID, ...] = ()

    @property
    def last_day(self) -> date:
        return self.planned_ends_on if self.ended_on is None else self.ended_on

    def end_early(self, on: date, reason: str, by: UUID) -> None:
        """End before the planned end; `on` is the last day of the pairing."""
        check_early_end(
            self.id,
            since=self.starts_on,
            planned_ends_on=self.planned_ends_on,
            ended_on=self.ended_on,
            on=on,
        )
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._ended_early(ended_on=on, reason=reason, ended_by=by)

    def link_lesson(self, lesson: Activity, by: UUID) -> None:
        """Link a public lesson the apprentice gave within the term (also after it ended)."""
        if lesson.is_void:
            raise ActivityVoidedError(activity_id=lesson.id)
        if lesson.facts.kind is not ActivityKind.PUBLIC_LESSON:
            raise LessonKindError(activity_id=lesson.id, kind=lesson.facts.kind)
        if not self.starts_on <= lesson.facts.held_on <= self.last_day:
            raise LessonOutsideTermError(
                activity_id=lesson.id,
                mentorship_id=self.id,
                held_on=lesson.facts.held_on,
                starts_on=self.starts_on,
                ends_on=self.last_day,
            )
        if lesson.id in self.lesson_ids:
            raise LessonAlreadyLinkedError(activity_id=lesson.id, mentorship_id=self.id)
        self._lesson_linked(activity_id=lesson.id, linked_by=by)

    @event(EndedEarly)
    def _ended_early(
        self,
        *,
        ended_on: date,
        reason: str,  # noqa: ARG002 (kept in the event only)
        ended_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.ended_on = ended_on

    @event(LessonLinked)
    def _lesson_linked(
        self,
        *,
        activity_id: UUID,
        linked_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.lesson_ids = (*self.lesson_ids, activity_id)
