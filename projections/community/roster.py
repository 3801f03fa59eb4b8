"""Each community (教共体) with its lead school and every member school's stints."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import CommunityType
from domain.community.community import Community
from projections.base import Projection


class StintRow(msgspec.Struct, frozen=True, kw_only=True):
    """A member on days `joined_on` <= day < `left_on`."""

    school_id: UUID
    joined_on: date
    left_on: date | None


class CommunityRow(msgspec.Struct, frozen=True, kw_only=True):
    community_id: UUID
    name: str
    type: CommunityType
    lead_school_id: UUID
    school_ids: tuple[UUID, ...]  # the lead, then every school that was ever a member
    stints: tuple[StintRow, ...]
    starts_on: date
    ends_on: date
    dissolved_on: date | None
    version: int

    def is_active_on(self, day: date) -> bool:
        """Within the period and before the day of dissolution, as `Community.is_active_on`."""
        in_period = self.starts_on <= day <= self.ends_on
        return in_period and (self.dissolved_on is None or day < self.dissolved_on)

    def members_on(self, day: date) -> list[StintRow]:
        """The stints that cover `day` (none when the community is not active)."""
        if not self.is_active_on(day):
            return []
        return [
            s for s in self.stints if s.joined_on <= day and (s.left_on is None or day < s.left_on)
        ]


def evolve(row: CommunityRow | None, event: Any) -> CommunityRow | None:  # noqa: ANN401
    match event:
        case Community.Formed():
            return CommunityRow(
                community_id=event.originator_id,
                name=event.name,
                type=event.type,
                lead_school_id=event.lead_school_id,
                school_ids=(event.lead_school_id, *event.member_school_ids),
                stints=tuple(
                    StintRow(school_id=school_id, joined_on=event.starts_on, left_on=None)
                    for school_id in event.member_school_ids
                ),
                starts_on=event.starts_on,
                ends_on=event.ends_on,
                dissolved_on=None,
                version=event.originator_version,
            )
        case Community.MemberSchoolJoined() if row is not None:
            school_ids = row.school_ids
            if event.school_id not in school_ids:
                school_ids = (*school_ids, event.school_id)
            stint = StintRow(school_id=event.school_id, joined_on=event.joined_on, left_on=None)
            return msgspec.structs.replace(
                row,
                school_ids=school_ids,
                stints=(*row.stints, stint),
                version=event.originator_version,
            )
        case Community.MemberSchoolLeft() if row is not None:
            return msgspec.structs.replace(
                row,
                stints=tuple(
                    msgspec.structs.replace(s, left_on=event.left_on)
                    if s.school_id == event.school_id and s.left_on is None
                    else s
                    for s in row.stints
                ),
                version=event.originator_version,
            )
        case Community.Dissolved() if row is not None:
            return msgspec.structs.replace(
                row, dissolved_on=event.dissolved_on, version=event.originator_version
            )
        case _:
            return row


community_roster = Projection(
    name="community_roster",
    aggregate=Community,
    row_type=CommunityRow,
    key="community_id",
    evolve=evolve,
)
