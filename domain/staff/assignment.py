"""The Assignment aggregate: a person sent to another school for a term (支教, 跟岗, 跟班, 互派)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    EligibilityBasis,
    Post,
    Relation,
)
from domain.community.school import School
from domain.periods import check_in_range
from domain.staff.errors import (
    AlreadyEndedError,
    OverlappingAssignmentError,
    ReplacementDateError,
    ReplacementTooEarlyError,
    SameSchoolAssignmentError,
    SameTeacherError,
)
from domain.staff.teacher import Teacher, check_school_open, distinct_posts
from domain.staff.term import CommunityPeriod, Span, check_early_end, check_term, one_year_after

REASON_LIMIT = 500
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Holder:
    """Who fills the assignment from `since`; `side` replaced the one before (none: the first)."""

    teacher_id: UUID
    since: date
    side: AssignmentSide | None


class Assignment(Aggregate):
    """A person of one school serving at another for a term, in a role and posts at the host.

    Seed 001 篇四: the term is usually 2 years; once the first year is over either side may
    replace the person, who then serves the rest of the term. Eligibility (age, title, never
    rotated) is recorded (`eligibility_basis`, the teacher's own facts) and judged by the
    rules, never refused here.
    """

    class Arranged(Aggregate.Created):
        kind: AssignmentKind
        teacher_id: UUID
        role: AssignmentRole
        from_school_id: UUID
        to_school_id: UUID
        host_posts: tuple[Post, ...]
        starts_on: date
        planned_ends_on: date  # the last day of the term, included
        community_id: UUID | None
        full_time: bool
        personnel_relation: Relation
        party_relation: Relation
        eligibility_basis: EligibilityBasis | None
        arranged_by: UUID

    class Replaced(Aggregate.Event):
        teacher_id: UUID  # the successor
        replaced_on: date  # the successor's first day
        side: AssignmentSide
        reason: str
        replaced_by: UUID

    class EndedEarly(Aggregate.Event):
        ended_on: date  # the last day served
        reason: str
        ended_by: UUID

    @classmethod
    def arrange(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        kind: AssignmentKind,
        teacher: Teacher,
        role: AssignmentRole,
        from_school: School,
        to_school: School,
        host_posts: Sequence[Post],
        starts_on: date,
        planned_ends_on: date,
        community: CommunityPeriod | None,
        personnel_relation: Relation,
        party_relation: Relation,
        others: Iterable["Assignment"],
        by: UUID,
        full_time: bool = True,
        eligibility_basis: EligibilityBasis | None = None,
    ) -> Self:
        """Arrange it; `others` are the teacher's other assignments, as the handler loads them."""
        teacher.check_can_serve()
        check_school_open(from_school)
        check_school_open(to_school)
        if from_school.id == to_school.id:
            raise SameSchoolAssignmentError(school_id=to_school.id)
        check_term(starts_on, planned_ends_on)
        if community is not None:
            community.check_covers(starts_on, planned_ends_on)
        posts = distinct_posts(host_posts)
        if full_time:
            check_no_overlap(teacher.id, Span(starts_on, planned_ends_on), others, exclude=id)
        return cls(
            id=id,
            kind=kind,
            teacher_id=teacher.id,
            role=role,
            from_school_id=from_school.id,
            to_school_id=to_school.id,
            host_posts=posts,
            starts_on=starts_on,
            planned_ends_on=planned_ends_on,
            community_id=None if community is None else community.community_id,
            full_time=full_time,
            personnel_relation=personnel_relation,
            party_relation=party_relation,
            eligibility_basis=eligibility_basis,
            arranged_by=by,
        )

    @event(Arranged)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        kind: AssignmentKind,
        teacher_id: UUID,
        role: AssignmentRole,
        from_school_id: UUID,
        to_school_id: UUID,
        host_posts: tuple[Post, ...],
        starts_on: date,
        planned_ends_on: date,
        community_id: UUID | None,
        full_time: bool,
        personnel_relation: Relation,
        party_relation: Relation,
        eligibility_basis: EligibilityBasis | None,
        arranged_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.kind = kind
        self.role = role
        self.from_school_id = from_school_id
        self.to_school_id = to_school_id
        self.host_posts = host_posts
        self.starts_on = starts_on
        self.planned_ends_on = planned_ends_on
        self.community_id = community_id
        self.full_time = full_time
        self.personnel_relation = personnel_relation
        self.party_relation = party_relation
        self.eligibility_basis = eligibility_basis
        self.holders: tuple[Holder, ...] = (Holder(teacher_id, starts_on, None),)
        self.ended_on: date | None = None

    @property
    def teacher_id(self) -> UUID:
        """The person filling it now (or last, once it has ended)."""
        return self.holders[-1].teacher_id

    @property
    def last_day(self) -> date:
        return self.planned_ends_on if self.ended_on is None else self.ended_on

    def spans_of(self, teacher_id: UUID) -> tuple[Span, ...]:
        """The days `teacher_id` fills this assignment (none if they never do)."""
        ends = [later.since - _DAY for later in self.holders[1:]] + [self.last_day]
        return tuple(
            Span(holder.since, last)
            for holder, last in zip(self.holders, ends, strict=True)
            if holder.teacher_id == teacher_id and holder.since <= last
        )

    def replace(
        self,
        successor: Teacher,
        *,
        on: date,
        side: AssignmentSide,
        reason: str,
        others: Iterable["Assignment"],
        by: UUID,
    ) -> None:
        """After the first year, either side replaces the person for the rest of the term.

        `others` are the successor's other assignments, as the handler loads them.
        """
        check_in_range("replaced_on", on)
        self._check_not_ended()
        successor.check_can_serve()
        current = self.holders[-1]
        if successor.id == current.teacher_id:
            raise SameTeacherError(teacher_id=successor.id, first="current", second="successor")
        earliest = one_year_after(self.starts_on)
        if on < earliest:
            raise ReplacementTooEarlyError(assignment_id=self.id, on=on, earliest=earliest)
        if not current.since < on < self.planned_ends_on:
            raise ReplacementDateError(
                on=on, current_since=current.since, planned_ends_on=self.planned_ends_on
            )
        reason = optional(reason, field="reason", limit=REASON_LIMIT)
        if self.full_time:
            check_no_overlap(successor.id, Span(on, self.planned_ends_on), others, exclude=self.id)
        self._replaced(
            teacher_id=successor.id, replaced_on=on, side=side, reason=reason, replaced_by=by
        )

    def end_early(self, on: date, reason: str, by: UUID) -> None:
        """End before the planned end; `on` is the last day served."""
        check_early_end(
            self.id,
            since=self.holders[-1].since,
            planned_ends_on=self.planned_ends_on,
            ended_on=self.ended_on,
            on=on,
        )
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._ended_early(ended_on=on, reason=reason, ended_by=by)

    def _check_not_ended(self) -> None:
        if self.ended_on is not None:
            raise AlreadyEndedError(record_id=self.id, ended_on=self.ended_on)

    @event(Replaced)
    def _replaced(
        self,
        *,
        teacher_id: UUID,
        replaced_on: date,
        side: AssignmentSide,
        reason: str,  # noqa: ARG002 (kept in the event only)
        replaced_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.holders = (*self.holders, Holder(teacher_id, replaced_on, side))

    @event(EndedEarly)
    def _ended_early(
        self,
        *,
        ended_on: date,
        reason: str,  # noqa: ARG002 (kept in the event only)
        ended_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.ended_on = ended_on


def check_no_overlap(
    teacher_id: UUID, span: Span, others: Iterable[Assignment], *, exclude: UUID
) -> None:
    """No two full-time assignments of one person at once (it spans aggregates).

    `others` are the person's assignments as a command handler loads them; `exclude` is the
    one being arranged or changed. Part-time ones (e.g. 走教) never conflict.
    """
    for other in others:
        if other.id == exclude or not other.full_time:
            continue
        for taken in other.spans_of(teacher_id):
            if taken.overlaps(span):
                raise OverlappingAssignmentError(
                    teacher_id=teacher_id,
                    other_assignment_id=other.id,
                    starts_on=taken.starts_on,
                    ends_on=taken.ends_on,
                )
