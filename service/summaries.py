"""What lists, rosters and dashboards answer: views of the projections' rows."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import ActivityKind, Label, label
from domain.periods import SchoolYear, Term
from projections.community.activity_list import SUMMER
from service.views import ActivitySummary, SchoolView, in_language, text

if TYPE_CHECKING:
    from collections import Counter

    from projections.community.activity_counts import ActivityCount
    from projections.community.roster import CommunityRow
    from projections.community.school_list import SchoolRow

_SUMMER = Label("暑期", "Summer break")
_ROLES = {"lead": Label("牵头学校", "Lead school"), "member": Label("成员学校", "Member school")}
_TERM_ORDER = {Term.AUTUMN.value: 0, Term.SPRING.value: 1, SUMMER: 2}
_KIND_ORDER = {kind.value: i for i, kind in enumerate(ActivityKind)}


def term_label(term: str, lang: str) -> str:
    return in_language(_SUMMER if term == SUMMER else label(Term(term)), lang)


class SchoolPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SchoolView]
    next_cursor: str | None  # None on the last page


class ActivityPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ActivitySummary]
    next_cursor: str | None


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


class ActivityCountView(msgspec.Struct, frozen=True, kw_only=True):
    community_id: UUID
    community_name: str | None
    school_year: str
    semester: str | None  # None for the summer break
    term: str
    term_label: str
    kind: str
    kind_label: str
    count: int


class ActivityCounts(msgspec.Struct, frozen=True, kw_only=True):
    """Actions that count (corrections applied, voids left out), as of `folded_seq`."""

    items: list[ActivityCountView]
    total: int
    folded_seq: int  # the county's events folded so far
    pending_events: int  # recorded but not yet counted (usually 0; a second at most)


def activity_counts_view(
    counts: Counter[ActivityCount],
    names: dict[UUID, str],
    *,
    folded_seq: int,
    pending_events: int,
    lang: str,
) -> ActivityCounts:
    def order(key: ActivityCount) -> tuple[str, str, int, int]:
        name = names.get(key.community_id, "")
        return (name, key.school_year, _TERM_ORDER[key.term], _KIND_ORDER[key.kind.value])

    items = []
    for key in sorted(counts, key=order):
        school_year = SchoolYear.parse(key.school_year)
        semester = None if key.term == SUMMER else school_year.semester(Term(key.term)).code
        items.append(
            ActivityCountView(
                community_id=key.community_id,
                community_name=names.get(key.community_id),
                school_year=key.school_year,
                semester=semester,
                term=key.term,
                term_label=term_label(key.term, lang),
                kind=key.kind.value,
                kind_label=text(key.kind, lang),
                count=counts[key],
            )
        )
    return ActivityCounts(
        items=items,
        total=sum(counts.values()),
        folded_seq=folded_seq,
        pending_events=pending_events,
    )
