"""The facts of a community action, and the rules they are checked against when recorded."""

import re
from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from domain._text import optional, required
from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.attendance import (
    Attendance,
    aware,
    check_expected,
    check_marks,
    normalised_mark,
)
from domain.community.community import Community
from domain.community.errors import (
    ActivityInFutureError,
    ActivitySpanError,
    CommunityDissolvedError,
    DuplicateEvidenceError,
    DuplicateSchoolError,
    DuplicateSubjectError,
    ModeNotAllowedError,
    NoticeAfterActivityError,
    OnlineReasonError,
    OutsideCommunityPeriodError,
    ParticipantSchoolError,
    SchoolNotInCommunityError,
    VenueSchoolError,
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
    """What happened; `ends_on` is set for an activity that spans several days.

    `participants` are the expected participants (应到); `attendance` is the sign-in sheet's
    line of those it marks. `venue_school_id` is where it took place (the host, or a member
    school it went to); `notified_at` when those concerned were told (抽测: a day ahead);
    `online_reason` why an online session stands in for an on-site one; `follows_up` the
    earlier action of the same community this one continues (同步教学研讨 after 同步课堂).
    """

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
    starts_at: datetime | None = None
    venue_school_id: UUID | None = None
    notified_at: datetime | None = None
    online_reason: str = ""
    follows_up: UUID | None = None
    attendance: tuple[Attendance, ...] = ()


# What the facts of a version 1 event (before attendance, place, notice…) lacked.
V1_FACTS: dict[str, Any] = {
    "starts_at": None,
    "venue_school_id": None,
    "notified_at": None,
    "online_reason": "",
    "follows_up": None,
    "attendance": [],
}


def normalised(facts: ActivityFacts) -> ActivityFacts:
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
        online_reason=facts.online_reason.strip(),
        attendance=tuple(normalised_mark(m) for m in facts.attendance),
    )


def check_facts(facts: ActivityFacts, community: Community, today: date) -> None:
    """Check the rules shared by recording and correcting an activity."""
    required(facts.title, field="title", limit=TITLE_LIMIT)
    optional(facts.note, field="note", limit=NOTE_LIMIT)
    _check_dates(facts, community, today)
    schools = _check_schools(facts, community)
    _check_mode(facts)
    if facts.venue_school_id is not None and facts.venue_school_id not in schools:
        raise VenueSchoolError(school_id=facts.venue_school_id)
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
    expected = check_expected((p.name, p.school_id) for p in facts.participants)
    check_marks(facts.attendance, expected)
    _check_evidence(facts.evidence)


def _check_mode(facts: ActivityFacts) -> None:
    """送教下乡 is on site; online only as a stand-in with its reason (若无法正常开展)."""
    online_reason = optional(facts.online_reason, field="online_reason", limit=REASON_LIMIT)
    required_mode = _REQUIRED_MODE.get(facts.kind)
    stands_in = facts.mode is ActivityMode.ONLINE and required_mode is not ActivityMode.ONLINE
    if online_reason and not stands_in:
        raise OnlineReasonError(kind=facts.kind, mode=facts.mode)
    if required_mode is not None and facts.mode is not required_mode and not online_reason:
        raise ModeNotAllowedError(kind=facts.kind, mode=facts.mode, required=required_mode)


def _check_dates(facts: ActivityFacts, community: Community, today: date) -> None:
    check_in_range("held_on", facts.held_on)
    check_in_range("ends_on", facts.ends_on)
    for field, moment in (("starts_at", facts.starts_at), ("notified_at", facts.notified_at)):
        aware(moment, field)
        check_in_range(field, None if moment is None else moment.date())
    if facts.notified_at is not None and facts.notified_at.date() > facts.held_on:
        raise NoticeAfterActivityError(notified_at=facts.notified_at, held_on=facts.held_on)
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
