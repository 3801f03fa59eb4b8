"""The Activity aggregate: one community action (教共体活动), corrected or voided, never edited."""

import re
from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import date
from typing import Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.community import Community
from domain.community.errors import (
    ActivityInFutureError,
    ActivitySpanError,
    ActivityVoidedError,
    CommunityDissolvedError,
    CommunityMismatchError,
    DuplicateEvidenceError,
    DuplicateSchoolError,
    DuplicateSubjectError,
    ModeNotAllowedError,
    NothingToCorrectError,
    OutsideCommunityPeriodError,
    ParticipantSchoolError,
    SchoolNotInCommunityError,
)
from domain.errors import InvalidValueError
from domain.periods import check_in_range

TITLE_LIMIT = 200
PARTICIPANT_NAME_LIMIT = 50
EVIDENCE_NAME_LIMIT = 255
MEDIA_TYPE_LIMIT = 100
NOTE_LIMIT = 2000
REASON_LIMIT = 500
_SHA256 = re.compile(r"[0-9a-f]{64}")
_T = TypeVar("_T", bound=Hashable)

# 送教下乡 happens on site; an online synchronous lesson (线上同步课堂) is its own kind.
_REQUIRED_MODE: dict[ActivityKind, ActivityMode] = {
    ActivityKind.SENDING_LESSONS: ActivityMode.ON_SITE,
    ActivityKind.SYNCHRONOUS_LESSON: ActivityMode.ONLINE,
}


@dataclass(frozen=True)
class Participant:
    name: str
    school_id: UUID
    role: str = ""


@dataclass(frozen=True)
class Evidence:
    """A file that proves the activity took place; the file itself is stored by its sha256."""

    name: str
    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True)
class ActivityFacts:
    """What happened; `ends_on` is set for an activity that spans several days."""

    kind: ActivityKind
    title: str
    host_school_id: UUID
    participating_school_ids: tuple[UUID, ...]
    held_on: date
    ends_on: date | None
    subjects: tuple[Subject, ...]
    participants: tuple[Participant, ...]
    mode: ActivityMode
    evidence: tuple[Evidence, ...]
    note: str


class Activity(Aggregate):
    """One community action (教共体活动) as recorded by a school or the bureau."""

    class Recorded(Aggregate.Created):
        community_id: UUID
        facts: ActivityFacts
        recorded_by: UUID

    class Corrected(Aggregate.Event):
        facts: ActivityFacts
        reason: str
        corrected_by: UUID

    class Voided(Aggregate.Event):
        reason: str
        voided_by: UUID

    @classmethod
    def record(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        community: Community,
        facts: ActivityFacts,
        today: date,
        by: UUID,
    ) -> Self:
        facts = _normalised(facts)
        _check(facts, community, today)
        return cls(id=id, community_id=community.id, facts=facts, recorded_by=by)

    @event(Recorded)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        community_id: UUID,
        facts: ActivityFacts,
        recorded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.community_id = community_id
        self.facts = facts
        self.is_void = False
        self.void_reason: str | None = None

    def correct(
        self, community: Community, facts: ActivityFacts, reason: str, today: date, by: UUID
    ) -> None:
        """Replace the facts with the full corrected facts, checked as when recorded."""
        self._check_not_void()
        if community.id != self.community_id:
            raise CommunityMismatchError(
                activity_id=self.id,
                community_id=self.community_id,
                given_community_id=community.id,
            )
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        facts = _normalised(facts)
        if facts == self.facts:
            raise NothingToCorrectError(activity_id=self.id)
        _check(facts, community, today)
        self._corrected(facts=facts, reason=reason, corrected_by=by)

    def void(self, reason: str, by: UUID) -> None:
        """Withdraw a wrong record: it no longer counts anywhere, and stays in the ledger."""
        self._check_not_void()
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._voided(reason=reason, voided_by=by)

    def _check_not_void(self) -> None:
        if self.is_void:
            raise ActivityVoidedError(activity_id=self.id)

    @event(Corrected)
    def _corrected(
        self,
        *,
        facts: ActivityFacts,
        reason: str,  # noqa: ARG002 (kept in the event only)
        corrected_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.facts = facts

    @event(Voided)
    def _voided(
        self,
        *,
        reason: str,
        voided_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.is_void = True
        self.void_reason = reason


def _normalised(facts: ActivityFacts) -> ActivityFacts:
    """Strip the free text, so that a correction differing only in spaces changes nothing."""
    return replace(
        facts,
        title=facts.title.strip(),
        note=facts.note.strip(),
        participants=tuple(
            replace(p, name=p.name.strip(), role=p.role.strip()) for p in facts.participants
        ),
        evidence=tuple(
            replace(e, name=e.name.strip(), media_type=e.media_type.strip()) for e in facts.evidence
        ),
    )


def _check(facts: ActivityFacts, community: Community, today: date) -> None:
    """Check the rules shared by recording and correcting an activity."""
    required(facts.title, field="title", limit=TITLE_LIMIT)
    optional(facts.note, field="note", limit=NOTE_LIMIT)
    _check_dates(facts, community, today)
    schools = _check_schools(facts, community)
    required_mode = _REQUIRED_MODE.get(facts.kind)
    if required_mode is not None and facts.mode is not required_mode:
        raise ModeNotAllowedError(kind=facts.kind, mode=facts.mode, required=required_mode)
    repeated_subject = _first_repeated(facts.subjects)
    if repeated_subject is not None:
        raise DuplicateSubjectError(subject=repeated_subject)
    for participant in facts.participants:
        required(participant.name, field="participant_name", limit=PARTICIPANT_NAME_LIMIT)
        optional(participant.role, field="participant_role", limit=PARTICIPANT_NAME_LIMIT)
        if participant.school_id not in schools:
            raise ParticipantSchoolError(
                participant=participant.name, school_id=participant.school_id
            )
    _check_evidence(facts.evidence)


def _check_dates(facts: ActivityFacts, community: Community, today: date) -> None:
    check_in_range("held_on", facts.held_on)
    check_in_range("ends_on", facts.ends_on)
    last_day = facts.held_on if facts.ends_on is None else facts.ends_on
    if facts.held_on > today:
        raise ActivityInFutureError(day=facts.held_on, today=today)
    if last_day < facts.held_on:
        raise ActivitySpanError(held_on=facts.held_on, ends_on=last_day)
    if last_day > today:
        raise ActivityInFutureError(day=last_day, today=today)
    for day in (facts.held_on, last_day):
        if not community.starts_on <= day <= community.ends_on:
            raise OutsideCommunityPeriodError(
                community_id=community.id,
                day=day,
                starts_on=community.starts_on,
                ends_on=community.ends_on,
            )
    if not community.is_active_on(facts.held_on):
        raise CommunityDissolvedError(
            community_id=community.id, dissolved_on=community.dissolved_on
        )


def _check_schools(facts: ActivityFacts, community: Community) -> frozenset[UUID]:
    """Check the host and participating schools; return them."""
    schools = (facts.host_school_id, *facts.participating_school_ids)
    repeated_school = _first_repeated(schools)
    if repeated_school is not None:
        raise DuplicateSchoolError(school_id=repeated_school)
    for school_id in schools:
        if not community.is_member_on(school_id, facts.held_on):
            raise SchoolNotInCommunityError(
                community_id=community.id, school_id=school_id, on=facts.held_on
            )
    return frozenset(schools)


def _check_evidence(evidence: tuple[Evidence, ...]) -> None:
    seen: set[str] = set()
    for item in evidence:
        required(item.name, field="evidence_name", limit=EVIDENCE_NAME_LIMIT)
        optional(item.media_type, field="evidence_media_type", limit=MEDIA_TYPE_LIMIT)
        if not _SHA256.fullmatch(item.sha256):
            raise InvalidValueError(field="evidence_sha256", reason="not_sha256", value=item.sha256)
        if item.size <= 0:
            raise InvalidValueError(field="evidence_size", reason="not_positive", value=item.size)
        if item.sha256 in seen:
            raise DuplicateEvidenceError(sha256=item.sha256)
        seen.add(item.sha256)


def _first_repeated(items: tuple[_T, ...]) -> _T | None:
    seen: set[_T] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None
