"""The dashboard's answer: actions counted by community, period and kind."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import ActivityKind, Label, label
from domain.periods import SchoolYear, Term
from projections.community.activity_list import SUMMER
from service.views.labels import in_language, text

if TYPE_CHECKING:
    from collections import Counter

    from projections.community.activity_counts import ActivityCount

_SUMMER = Label("暑期", "Summer break")
_TERM_ORDER = {Term.AUTUMN.value: 0, Term.SPRING.value: 1, SUMMER: 2}
_KIND_ORDER = {kind.value: i for i, kind in enumerate(ActivityKind)}


def term_label(term: str, lang: str) -> str:
    return in_language(_SUMMER if term == SUMMER else label(Term(term)), lang)


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
    counted: str = "all"  # "all" actions, or only the "approved" ones (review before counting)


def activity_counts_view(
    counts: Counter[ActivityCount],
    names: dict[UUID, str],
    *,
    folded_seq: int,
    pending_events: int,
    lang: str,
    counted: str = "all",
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
        counted=counted,
    )
