"""The Community aggregate: an education community (教共体) of one lead and member schools."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import CommunityType
from domain.community.errors import (
    AlreadyMemberError,
    CommunityDissolvedError,
    CommunityPeriodError,
    DuplicateSchoolError,
    JoinBeforeLeftError,
    LastMemberError,
    LeadIsMemberError,
    NoMemberSchoolsError,
    NotMemberError,
    OutsideCommunityPeriodError,
    SchoolClosedError,
)
from domain.community.school import School
from domain.community.setup import (
    Agreement,
    ExternalSchool,
    GroupMember,
    Phase,
    Studio,
    checked_agreement,
    checked_external,
    checked_group,
    checked_phases,
    checked_studio,
)
from domain.periods import check_in_range

NAME_LIMIT = 100
AGREEMENT_LIMIT = 2000
REASON_LIMIT = 500


@dataclass(frozen=True)
class Stint:
    """A spell of membership: a member on days `joined_on` <= day < `left_on`."""

    joined_on: date
    left_on: date | None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class Community(Aggregate):
    """An education community (教共体): one lead school and member schools for a period.

    The lead school (牵头学校) is not a member; it counts as one on every day the community
    is active, which is within its agreed period and before it was dissolved.
    """

    class Formed(Aggregate.Created):
        name: str
        type: CommunityType
        lead_school_id: UUID
        member_school_ids: tuple[UUID, ...]
        starts_on: date
        ends_on: date
        agreement: str
        formed_by: UUID

    class MemberSchoolJoined(Aggregate.Event):
        school_id: UUID
        joined_on: date
        joined_by: UUID

    class MemberSchoolLeft(Aggregate.Event):
        school_id: UUID
        left_on: date
        reason: str
        left_by: UUID

    class Dissolved(Aggregate.Event):
        dissolved_on: date
        reason: str
        dissolved_by: UUID

    # Its set-up (domain/community/setup.py): each replaces the one before, but studios and
    # external schools, which add up.
    class AgreementSigned(Aggregate.Event):
        agreement: Agreement
        signed_by: UUID

    class LeadingGroupAppointed(Aggregate.Event):
        members: tuple[GroupMember, ...]
        appointed_on: date
        appointed_by: UUID

    class BaseSchoolsDesignated(Aggregate.Event):
        school_ids: tuple[UUID, ...]  # 基地校: the lead or members
        designated_on: date
        designated_by: UUID

    class StudioOpened(Aggregate.Event):
        studio: Studio
        opened_by: UUID

    class PhasesPlanned(Aggregate.Event):
        phases: tuple[Phase, ...]
        planned_by: UUID

    class ExternalSchoolPaired(Aggregate.Event):
        school: ExternalSchool
        paired_by: UUID

    @classmethod
    def form(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        name: str,
        type: CommunityType,  # noqa: A002 (the field's name in the Formed event)
        lead: School,
        members: Sequence[School],
        starts_on: date,
        ends_on: date,
        agreement: str,
        by: UUID,
    ) -> Self:
        name = required(name, field="name", limit=NAME_LIMIT)
        agreement = optional(agreement, field="agreement", limit=AGREEMENT_LIMIT)
        check_in_range("starts_on", starts_on)
        check_in_range("ends_on", ends_on)
        if ends_on <= starts_on:
            raise CommunityPeriodError(starts_on=starts_on, ends_on=ends_on)
        if not members:
            raise NoMemberSchoolsError(lead_school_id=lead.id)
        seen: set[UUID] = set()
        for school in (lead, *members):
            _check_open(school)
            if school.id in seen:
                if school.id == lead.id:
                    raise LeadIsMemberError(school_id=school.id)
                raise DuplicateSchoolError(school_id=school.id)
            seen.add(school.id)
        return cls(
            id=id,
            name=name,
            type=type,
            lead_school_id=lead.id,
            member_school_ids=tuple(school.id for school in members),
            starts_on=starts_on,
            ends_on=ends_on,
            agreement=agreement,
            formed_by=by,
        )

    @event(Formed)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        name: str,
        type: CommunityType,  # noqa: A002 (the field's name in the Formed event)
        lead_school_id: UUID,
        member_school_ids: tuple[UUID, ...],
        starts_on: date,
        ends_on: date,
        agreement: str,
        formed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.name = name
        self.type = type
        self.lead_school_id = lead_school_id
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.agreement = agreement
        self.dissolved_on: date | None = None
        self.signed: Agreement | None = None
        self.leading_group: tuple[GroupMember, ...] = ()
        self.base_school_ids: tuple[UUID, ...] = ()
        self.studios: tuple[Studio, ...] = ()
        self.phases: tuple[Phase, ...] = ()
        self.external_schools: tuple[ExternalSchool, ...] = ()
        self._stints: dict[UUID, tuple[Stint, ...]] = {
            school_id: (Stint(starts_on, None),) for school_id in member_school_ids
        }

    @property
    def stints(self) -> dict[UUID, tuple[Stint, ...]]:
        """Every member school's stints, oldest first (a copy: change it only by events)."""
        return dict(self._stints)

    @property
    def current_member_ids(self) -> frozenset[UUID]:
        """Member schools that have not left (the lead excluded)."""
        return frozenset(
            school_id for school_id, stints in self._stints.items() if stints[-1].left_on is None
        )

    def is_active_on(self, day: date) -> bool:
        """Within the period and before the day of dissolution."""
        if not self.starts_on <= day <= self.ends_on:
            return False
        return self.dissolved_on is None or day < self.dissolved_on

    def is_member_on(self, school_id: UUID, day: date) -> bool:
        """Whether the school is the lead or a member on an active day."""
        if not self.is_active_on(day):
            return False
        if school_id == self.lead_school_id:
            return True
        return any(stint.covers(day) for stint in self._stints.get(school_id, ()))

    def member_ids_on(self, day: date) -> frozenset[UUID]:
        """Member schools on `day` (the lead excluded); none when the community is not active."""
        if not self.is_active_on(day):
            return frozenset()
        return frozenset(
            school_id
            for school_id, stints in self._stints.items()
            if any(stint.covers(day) for stint in stints)
        )

    def join(self, school: School, on: date, by: UUID) -> None:
        """Add a member school from `on`; a school that left may rejoin from its `left_on`."""
        self._check_can_change(on, "joined_on")
        _check_open(school)
        if school.id == self.lead_school_id:
            raise LeadIsMemberError(school_id=school.id)
        stints = self._stints.get(school.id, ())
        if stints and stints[-1].left_on is None:
            raise AlreadyMemberError(community_id=self.id, school_id=school.id, on=on)
        if stints and stints[-1].left_on is not None and on < stints[-1].left_on:
            raise JoinBeforeLeftError(
                community_id=self.id, school_id=school.id, left_on=stints[-1].left_on, on=on
            )
        self._member_school_joined(school_id=school.id, joined_on=on, joined_by=by)

    def leave(self, school_id: UUID, on: date, reason: str, by: UUID) -> None:
        """End a member school's current stint: it is no longer a member from `on`."""
        self._check_can_change(on, "left_on")
        stints = self._stints.get(school_id, ())
        if not stints or stints[-1].left_on is not None or on < stints[-1].joined_on:
            raise NotMemberError(community_id=self.id, school_id=school_id, on=on)
        if self.current_member_ids == {school_id}:
            raise LastMemberError(community_id=self.id, school_id=school_id, on=on)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._member_school_left(school_id=school_id, left_on=on, reason=reason, left_by=by)

    def dissolve(self, on: date, reason: str, by: UUID) -> None:
        """End the community early: it is no longer active from `on`."""
        self._check_can_change(on, "dissolved_on")
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._dissolved(dissolved_on=on, reason=reason, dissolved_by=by)

    def sign_agreement(self, agreement: Agreement, by: UUID) -> None:
        """The signed agreement (合作协议); a revised one replaces it."""
        self._check_not_dissolved()
        self._agreement_signed(agreement=checked_agreement(agreement), signed_by=by)

    def appoint_leading_group(self, members: Sequence[GroupMember], on: date, by: UUID) -> None:
        self._check_can_change(on, "appointed_on")
        group = checked_group(members)
        self._leading_group_appointed(members=group, appointed_on=on, appointed_by=by)

    def designate_base_schools(self, school_ids: Sequence[UUID], on: date, by: UUID) -> None:
        """The 基地校 among the lead and the members on `on` (none: no base school)."""
        self._check_can_change(on, "designated_on")
        if len(set(school_ids)) != len(school_ids):
            raise DuplicateSchoolError(school_id=school_ids[0])
        for school_id in school_ids:
            if not self.is_member_on(school_id, on):
                raise NotMemberError(community_id=self.id, school_id=school_id, on=on)
        self._base_schools_designated(
            school_ids=tuple(school_ids), designated_on=on, designated_by=by
        )

    def open_studio(self, studio: Studio, by: UUID) -> None:
        self._check_can_change(studio.opened_on, "opened_on")
        self._studio_opened(studio=checked_studio(studio), opened_by=by)

    def plan_phases(self, phases: Sequence[Phase], by: UUID) -> None:
        self._check_not_dissolved()
        self._phases_planned(
            phases=checked_phases(phases, self.starts_on, self.ends_on), planned_by=by
        )

    def pair_external_school(self, school: ExternalSchool, by: UUID) -> None:
        self._check_not_dissolved()
        self._external_school_paired(school=checked_external(school), paired_by=by)

    def _check_not_dissolved(self) -> None:
        if self.dissolved_on is not None:
            raise CommunityDissolvedError(community_id=self.id, dissolved_on=self.dissolved_on)

    def _check_can_change(self, on: date, field: str) -> None:
        check_in_range(field, on)
        self._check_not_dissolved()
        if not self.starts_on <= on <= self.ends_on:
            raise OutsideCommunityPeriodError(
                community_id=self.id, day=on, starts_on=self.starts_on, ends_on=self.ends_on
            )

    @event(MemberSchoolJoined)
    def _member_school_joined(
        self,
        *,
        school_id: UUID,
        joined_on: date,
        joined_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self._stints[school_id] = (*self._stints.get(school_id, ()), Stint(joined_on, None))

    @event(MemberSchoolLeft)
    def _member_school_left(
        self,
        *,
        school_id: UUID,
        left_on: date,
        reason: str,  # noqa: ARG002 (kept in the event only)
        left_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        *earlier, current = self._stints[school_id]
        self._stints[school_id] = (*earlier, replace(current, left_on=left_on))

    @event(Dissolved)
    def _dissolved(
        self,
        *,
        dissolved_on: date,
        reason: str,  # noqa: ARG002 (kept in the event only)
        dissolved_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.dissolved_on = dissolved_on

    @event(AgreementSigned)
    def _agreement_signed(self, *, agreement: Agreement, signed_by: UUID) -> None:  # noqa: ARG002
        self.signed = agreement

    @event(LeadingGroupAppointed)
    def _leading_group_appointed(
        self,
        *,
        members: tuple[GroupMember, ...],
        appointed_on: date,  # noqa: ARG002 (kept in the event only)
        appointed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.leading_group = members

    @event(BaseSchoolsDesignated)
    def _base_schools_designated(
        self,
        *,
        school_ids: tuple[UUID, ...],
        designated_on: date,  # noqa: ARG002 (kept in the event only)
        designated_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.base_school_ids = school_ids

    @event(StudioOpened)
    def _studio_opened(self, *, studio: Studio, opened_by: UUID) -> None:  # noqa: ARG002
        self.studios = (*self.studios, studio)

    @event(PhasesPlanned)
    def _phases_planned(self, *, phases: tuple[Phase, ...], planned_by: UUID) -> None:  # noqa: ARG002
        self.phases = phases

    @event(ExternalSchoolPaired)
    def _external_school_paired(self, *, school: ExternalSchool, paired_by: UUID) -> None:  # noqa: ARG002
        self.external_schools = (*self.external_schools, school)


def _check_open(school: School) -> None:
    if school.closed_on is not None:
        raise SchoolClosedError(school_id=school.id, closed_on=school.closed_on)
