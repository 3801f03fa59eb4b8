"""An education community (教共体): as one record, as the list shows it, and its roster."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import Label
from service.views.community.setup import SetUpView, set_up_view
from service.views.labels import in_language, text

if TYPE_CHECKING:
    from domain.community.community import Community
    from projections.community.roster import CommunityRow
    from projections.community.school_list import SchoolRow

_ROLES = {"lead": Label("牵头学校", "Lead school"), "member": Label("成员学校", "Member school")}


class StintView(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    joined_on: date
    left_on: date | None


class CommunityView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    type: str
    type_label: str
    lead_school_id: UUID
    members: list[StintView]
    starts_on: date
    ends_on: date
    agreement: str
    dissolved_on: date | None
    set_up: SetUpView  # agreement signed, leading group, base schools, studios, phases
    version: int


def community_view(community: Community, lang: str) -> CommunityView:
    members = [
        StintView(school_id=school_id, joined_on=stint.joined_on, left_on=stint.left_on)
        for school_id, stints in community.stints.items()
        for stint in stints
    ]
    return CommunityView(
        id=community.id,
        name=community.name,
        type=community.type.value,
        type_label=text(community.type, lang),
        lead_school_id=community.lead_school_id,
        members=members,
        starts_on=community.starts_on,
        ends_on=community.ends_on,
        agreement=community.agreement,
        dissolved_on=community.dissolved_on,
        set_up=set_up_view(community, lang),
        version=community.version,
    )


class CommunitySummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    type: str
    type_label: str
    lead_school_id: UUID
    member_school_ids: list[UUID]  # members today
    starts_on: date
    ends_on: date
    dissolved_on: date | None
    is_active: bool  # today
    version: int


class CommunityPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[CommunitySummary]
    next_cursor: str | None


def community_summary(row: CommunityRow, lang: str, today: date) -> CommunitySummary:
    return CommunitySummary(
        id=row.community_id,
        name=row.name,
        type=row.type.value,
        type_label=text(row.type, lang),
        lead_school_id=row.lead_school_id,
        member_school_ids=[stint.school_id for stint in row.members_on(today)],
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        dissolved_on=row.dissolved_on,
        is_active=row.is_active_on(today),
        version=row.version,
    )


class RosterEntry(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    name: str | None  # None while the school's registration is not yet in the lists
    code: str | None
    location: str | None
    location_label: str | None
    role: str  # "lead" or "member"
    role_label: str
    joined_on: date | None  # a member's stint; None for the lead
    left_on: date | None
    is_member: bool  # on the roster's day


class Roster(msgspec.Struct, frozen=True, kw_only=True):
    community_id: UUID
    name: str
    type: str
    type_label: str
    on: date
    is_active: bool
    lead: RosterEntry
    members: list[RosterEntry]  # one per stint, oldest first
    version: int


def roster(row: CommunityRow, schools: dict[UUID, SchoolRow], on: date, lang: str) -> Roster:
    def entry(
        school_id: UUID, role: str, joined_on: date | None, left_on: date | None, *, is_member: bool
    ) -> RosterEntry:
        school = schools.get(school_id)
        return RosterEntry(
            school_id=school_id,
            name=school.name if school else None,
            code=school.code if school else None,
            location=school.location.value if school else None,
            location_label=text(school.location, lang) if school else None,
            role=role,
            role_label=in_language(_ROLES[role], lang),
            joined_on=joined_on,
            left_on=left_on,
            is_member=is_member,
        )

    current = row.members_on(on)
    return Roster(
        community_id=row.community_id,
        name=row.name,
        type=row.type.value,
        type_label=text(row.type, lang),
        on=on,
        is_active=row.is_active_on(on),
        lead=entry(row.lead_school_id, "lead", None, None, is_member=row.is_active_on(on)),
        members=[
            entry(
                stint.school_id,
                "member",
                stint.joined_on,
                stint.left_on,
                is_member=stint in current,
            )
            for stint in row.stints
        ],
        version=row.version,
    )
