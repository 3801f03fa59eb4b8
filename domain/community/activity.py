"""The Activity aggregate: one community action (教共体活动), corrected or voided, never edited."""

from datetime import date, datetime
from typing import Any, ClassVar, Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import required
from domain.community.activity_facts import (
    EVIDENCE_NAME_LIMIT,
    MEDIA_TYPE_LIMIT,
    NOTE_LIMIT,
    PARTICIPANT_NAME_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
    V1_FACTS,
    ActivityFacts,
    Evidence,
    Participant,
    check_facts,
    normalised,
)
from domain.community.attendance import Person, SignIn, aware, check_reflection
from domain.community.community import Community
from domain.community.errors import (
    ActivityVoidedError,
    AlreadySignedInError,
    CommunityMismatchError,
    FollowUpError,
    NotExpectedError,
    NothingToCorrectError,
    SignInLinkError,
)

__all__ = [
    "EVIDENCE_NAME_LIMIT",
    "MEDIA_TYPE_LIMIT",
    "NOTE_LIMIT",
    "PARTICIPANT_NAME_LIMIT",
    "REASON_LIMIT",
    "TITLE_LIMIT",
    "Activity",
    "ActivityFacts",
    "Evidence",
    "Participant",
]


class Activity(Aggregate):
    """One community action (教共体活动) as recorded by a school or the bureau."""

    class Recorded(Aggregate.Created):
        class_version: ClassVar[int] = 2
        community_id: UUID
        facts: ActivityFacts
        recorded_by: UUID

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["facts"].update(V1_FACTS)

    class Corrected(Aggregate.Event):
        class_version: ClassVar[int] = 2
        facts: ActivityFacts
        reason: str
        corrected_by: UUID

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["facts"].update(V1_FACTS)

    class Voided(Aggregate.Event):
        reason: str
        voided_by: UUID

    class SignInLinkIssued(Aggregate.Event):
        """A signed sign-in link (a QR code on the organiser's screen), good until `expires_at`."""

        link_id: UUID
        expires_at: datetime
        issued_by: UUID

    class SignedIn(Aggregate.Event):
        """An expected participant signed in by phone, through the signed link `link_id`."""

        name: str
        school_id: UUID
        at: datetime
        late: bool
        link_id: UUID

    class ReflectionSubmitted(Aggregate.Event):
        """A participant's reflection (研修心得); a later one of the same person replaces it."""

        name: str
        school_id: UUID
        text: str
        submitted_by: UUID

    @classmethod
    def record(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        community: Community,
        facts: ActivityFacts,
        today: date,
        by: UUID,
        follows: "Activity | None" = None,
    ) -> Self:
        """`follows` is the action `facts.follows_up` names, loaded by the caller."""
        facts = normalised(facts)
        check_facts(facts, community, today)
        _check_follow_up(id, facts, community, follows)
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
        self.sign_ins: dict[Person, SignIn] = {}
        self.reflections: dict[Person, str] = {}
        self.sign_in_links: dict[UUID, datetime] = {}  # link id -> when it expires

    @property
    def expected(self) -> tuple[Person, ...]:
        return tuple((p.name, p.school_id) for p in self.facts.participants)

    def correct(
        self,
        community: Community,
        facts: ActivityFacts,
        reason: str,
        today: date,
        by: UUID,
        *,
        follows: "Activity | None" = None,
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
        facts = normalised(facts)
        if facts == self.facts:
            raise NothingToCorrectError(activity_id=self.id)
        check_facts(facts, community, today)
        _check_follow_up(self.id, facts, community, follows)
        self._corrected(facts=facts, reason=reason, corrected_by=by)

    def issue_sign_in_link(
        self, link_id: UUID, expires_at: datetime, now: datetime, by: UUID
    ) -> None:
        self._check_not_void()
        aware(expires_at, "expires_at")
        if expires_at <= now:
            raise SignInLinkError(link_id=link_id, reason="expired")
        self._link_issued(link_id=link_id, expires_at=expires_at, issued_by=by)

    def check_sign_in_link(self, link_id: UUID, at: datetime) -> None:
        """The link was issued for this action and has not expired at `at`."""
        expires_at = self.sign_in_links.get(link_id)
        if expires_at is None:
            raise SignInLinkError(link_id=link_id, reason="unknown")
        if at >= expires_at:
            raise SignInLinkError(link_id=link_id, reason="expired")

    def sign_in(self, name: str, school_id: UUID, at: datetime, link_id: UUID) -> None:
        """An expected participant signs in by phone, once; after `starts_at` is late."""
        self._check_not_void()
        aware(at, "sign_in_at")
        self.check_sign_in_link(link_id, at)
        person = self._expected_person(name, school_id)
        marked = any((m.name, m.school_id) == person for m in self.facts.attendance)
        if person in self.sign_ins or marked:
            earlier = self.sign_ins.get(person)
            raise AlreadySignedInError(participant=name, at=earlier.at if earlier else "-")
        late = self.facts.starts_at is not None and at > self.facts.starts_at
        self._signed_in(name=person[0], school_id=school_id, at=at, late=late, link_id=link_id)

    def submit_reflection(self, name: str, school_id: UUID, text: str, by: UUID) -> None:
        self._check_not_void()
        person = self._expected_person(name, school_id)
        text = check_reflection(text)
        self._reflected(name=person[0], school_id=school_id, text=text, submitted_by=by)

    def _expected_person(self, name: str, school_id: UUID) -> Person:
        person = (name.strip(), school_id)
        if person not in self.expected:
            raise NotExpectedError(participant=name, school_id=school_id)
        return person

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

    @event(SignInLinkIssued)
    def _link_issued(
        self,
        *,
        link_id: UUID,
        expires_at: datetime,
        issued_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.sign_in_links[link_id] = expires_at

    @event(SignedIn)
    def _signed_in(
        self,
        *,
        name: str,
        school_id: UUID,
        at: datetime,
        late: bool,
        link_id: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.sign_ins[name, school_id] = SignIn(name=name, school_id=school_id, at=at, late=late)

    @event(ReflectionSubmitted)
    def _reflected(
        self,
        *,
        name: str,
        school_id: UUID,
        text: str,
        submitted_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.reflections[name, school_id] = text


def _check_follow_up(
    activity_id: UUID, facts: ActivityFacts, community: Community, follows: Activity | None
) -> None:
    if facts.follows_up is None:
        return
    if follows is None or follows.id != facts.follows_up:  # the caller loads the one named
        raise FollowUpError(follows_up=facts.follows_up, reason="not_loaded")
    reason = None
    if follows.id == activity_id:
        reason = "itself"
    elif follows.community_id != community.id:
        reason = "other_community"
    elif follows.is_void:
        reason = "voided"
    elif follows.facts.held_on > facts.held_on:
        reason = "later"
    if reason is not None:
        raise FollowUpError(follows_up=facts.follows_up, reason=reason)
