"""The Commendation aggregate: an annual commendation (表彰) with its basis; revoked, not edited."""

from datetime import date
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import CommendationKind
from domain.commendation.errors import (
    CommendationInFutureError,
    CommendationRevokedError,
    CommendationYearError,
    CommendedError,
)
from domain.community.community import Community
from domain.community.school import School
from domain.periods import check_in_range

TITLE_LIMIT = 200
BASIS_LIMIT = 2000
DOCUMENT_LIMIT = 100
REASON_LIMIT = 500
FIRST_YEAR = 2000


class Commendation(Aggregate):
    """A year's commendation of a dispatched teacher or of a community, on its basis.

    A teacher (优秀轮岗支教教师) is named by their staff id, with their school; a community
    (优秀教育共同体) by its id. The basis (依据) is the year's assessment, say; the document
    its number (文号).
    """

    class Awarded(Aggregate.Created):
        kind: CommendationKind
        year: int
        title: str
        teacher_id: UUID | None
        school_id: UUID | None  # the teacher's school
        community_id: UUID | None
        basis: str
        document: str
        awarded_on: date
        awarded_by: UUID

    class Revoked(Aggregate.Event):
        reason: str
        revoked_by: UUID

    @classmethod
    def award(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        kind: CommendationKind,
        year: int,
        title: str,
        teacher_id: UUID | None,
        school: School | None,
        community: Community | None,
        basis: str,
        document: str,
        awarded_on: date,
        today: date,
        by: UUID,
    ) -> Self:
        title = required(title, field="commendation_title", limit=TITLE_LIMIT)
        basis = required(basis, field="basis", limit=BASIS_LIMIT)
        document = optional(document, field="document", limit=DOCUMENT_LIMIT)
        check_in_range("awarded_on", awarded_on)
        if awarded_on > today:
            raise CommendationInFutureError(day=awarded_on, today=today)
        if not FIRST_YEAR <= year <= awarded_on.year:
            raise CommendationYearError(year=year, last=awarded_on.year)
        if kind is CommendationKind.DISPATCHED_TEACHER and teacher_id is None:
            raise CommendedError(kind=kind, rule="teacher_required")
        if kind is CommendationKind.COMMUNITY:
            if community is None:
                raise CommendedError(kind=kind, rule="community_required")
            if teacher_id is not None:
                raise CommendedError(kind=kind, rule="teacher_not_allowed")
        return cls(
            id=id,
            kind=kind,
            year=year,
            title=title,
            teacher_id=teacher_id,
            school_id=None if school is None else school.id,
            community_id=None if community is None else community.id,
            basis=basis,
            document=document,
            awarded_on=awarded_on,
            awarded_by=by,
        )

    @event(Awarded)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        kind: CommendationKind,
        year: int,
        title: str,
        teacher_id: UUID | None,
        school_id: UUID | None,
        community_id: UUID | None,
        basis: str,
        document: str,
        awarded_on: date,
        awarded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.kind = kind
        self.year = year
        self.title = title
        self.teacher_id = teacher_id
        self.school_id = school_id
        self.community_id = community_id
        self.basis = basis
        self.document = document
        self.awarded_on = awarded_on
        self.is_revoked = False
        self.revoke_reason: str | None = None

    def revoke(self, reason: str, by: UUID) -> None:
        """Withdraw a commendation made in error; it stays in the ledger."""
        if self.is_revoked:
            raise CommendationRevokedError(commendation_id=self.id)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._revoked(reason=reason, revoked_by=by)

    @event(Revoked)
    def _revoked(
        self,
        *,
        reason: str,
        revoked_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.is_revoked = True
        self.revoke_reason = reason
