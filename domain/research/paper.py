"""The Paper aggregate: a paper (论文) awarded, exchanged or published at a level."""

from collections.abc import Sequence
from datetime import date
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import PaperOutcome, ResearchLevel
from domain.community.community import Community
from domain.community.school import School
from domain.research.checks import check_day, check_schools, check_teachers
from domain.research.errors import PaperOutcomeDetailError, PaperVoidedError

TITLE_LIMIT = 200
AWARD_GRADE_LIMIT = 50
VENUE_LIMIT = 200
REASON_LIMIT = 500


class Paper(Aggregate):
    """A paper of a school's teachers (authors named by their staff ids), with what became of it.

    Awarded (获奖) names its grade (一等奖) and may name the contest; exchanged (交流) may name
    the meeting; published (发表) names its venue. A wrong record is voided, never edited.
    """

    class Recorded(Aggregate.Created):
        title: str
        school_id: UUID
        community_id: UUID | None
        project_id: UUID | None  # the project it comes from, if any
        author_ids: tuple[UUID, ...]
        level: ResearchLevel
        outcome: PaperOutcome
        award_grade: str
        venue: str
        dated_on: date  # the day of the award, the exchange or the publication
        recorded_by: UUID

    class Voided(Aggregate.Event):
        reason: str
        voided_by: UUID

    @classmethod
    def record(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        title: str,
        school: School,
        community: Community | None,
        project_id: UUID | None,
        author_ids: Sequence[UUID],
        level: ResearchLevel,
        outcome: PaperOutcome,
        award_grade: str,
        venue: str,
        dated_on: date,
        today: date,
        by: UUID,
    ) -> Self:
        title = required(title, field="paper_title", limit=TITLE_LIMIT)
        award_grade = optional(award_grade, field="award_grade", limit=AWARD_GRADE_LIMIT)
        venue = optional(venue, field="venue", limit=VENUE_LIMIT)
        check_day("dated_on", dated_on, today=today)
        check_schools((school,), community, dated_on)
        check_teachers(author_ids)
        _check_outcome(outcome, award_grade, venue)
        return cls(
            id=id,
            title=title,
            school_id=school.id,
            community_id=None if community is None else community.id,
            project_id=project_id,
            author_ids=tuple(author_ids),
            level=level,
            outcome=outcome,
            award_grade=award_grade,
            venue=venue,
            dated_on=dated_on,
            recorded_by=by,
        )

    @event(Recorded)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        title: str,
        school_id: UUID,
        community_id: UUID | None,
        project_id: UUID | None,
        author_ids: tuple[UUID, ...],
        level: ResearchLevel,
        outcome: PaperOutcome,
        award_grade: str,
        venue: str,
        dated_on: date,
        recorded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.title = title
        self.school_id = school_id
        self.community_id = community_id
        self.project_id = project_id
        self.author_ids = author_ids
        self.level = level
        self.outcome = outcome
        self.award_grade = award_grade
        self.venue = venue
        self.dated_on = dated_on
        self.is_void = False
        self.void_reason: str | None = None

    def void(self, reason: str, by: UUID) -> None:
        """Withdraw a wrong record: it no longer counts, and stays in the ledger."""
        if self.is_void:
            raise PaperVoidedError(paper_id=self.id)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._voided(reason=reason, voided_by=by)

    @event(Voided)
    def _voided(
        self,
        *,
        reason: str,
        voided_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.is_void = True
        self.void_reason = reason


def _check_outcome(outcome: PaperOutcome, award_grade: str, venue: str) -> None:
    if outcome is PaperOutcome.AWARDED and not award_grade:
        raise PaperOutcomeDetailError(outcome=outcome, rule="award_grade_required")
    if outcome is not PaperOutcome.AWARDED and award_grade:
        raise PaperOutcomeDetailError(outcome=outcome, rule="award_grade_not_allowed")
    if outcome is PaperOutcome.PUBLISHED and not venue:
        raise PaperOutcomeDetailError(outcome=outcome, rule="venue_required")
