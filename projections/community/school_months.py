"""How many community actions each school took part in, month by month, across communities.

An action counts once for each school it involves (the host and every participating school),
in the month of its first day; a correction moves it, a void takes it away.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.community.activity import Activity
from projections.base import Keyed, Projection, Step
from projections.community.activity_list import period_labels

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.community.activity import ActivityFacts


class ActivityPlace(msgspec.Struct, frozen=True, kw_only=True):
    """What the count remembers of an action: where it counts, if it does."""

    activity_id: UUID
    school_ids: tuple[UUID, ...]
    month: date  # the first day of the month of its first day
    is_void: bool


class SchoolMonth(msgspec.Struct, frozen=True, kw_only=True, cache_hash=True):
    # Hashed once: the same keys (`_keys_at`) are looked up again and again, a UUID in Python.
    school_id: UUID
    month: date


class SchoolMonthRow(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    month: date
    school_year: str
    term: str  # "autumn", "spring", or "summer" for August
    count: int


def _place(activity_id: UUID, facts: ActivityFacts) -> ActivityPlace:
    return ActivityPlace(
        activity_id=activity_id,
        school_ids=(facts.host_school_id, *facts.participating_school_ids),
        month=facts.held_on.replace(day=1),
        is_void=False,
    )


def remember(place: ActivityPlace | None, event: Any) -> ActivityPlace | None:  # noqa: ANN401
    match event:
        case Activity.Recorded():
            return _place(event.originator_id, event.facts)
        case Activity.Corrected() if place is not None:
            return _place(place.activity_id, event.facts)
        case Activity.Voided() if place is not None:
            return msgspec.structs.replace(place, is_void=True)
        case _:
            return place


def _counted(place: ActivityPlace | None) -> tuple[SchoolMonth, ...]:
    if place is None or place.is_void:
        return ()
    return _keys_at(place.school_ids, place.month)


@lru_cache(maxsize=4096)  # the same schools in the same month again and again
def _keys_at(school_ids: tuple[UUID, ...], month: date) -> tuple[SchoolMonth, ...]:
    return tuple(SchoolMonth(school_id=school_id, month=month) for school_id in school_ids)


def keys(step: Step) -> set[SchoolMonth]:
    return {*_counted(step.before), *_counted(step.after)}


def evolve(
    rows: Mapping[SchoolMonth, SchoolMonthRow], step: Step
) -> dict[SchoolMonth, SchoolMonthRow | None]:
    before, after = _counted(step.before), _counted(step.after)
    if before == after:
        return {}
    change: Counter[SchoolMonth] = Counter(after)
    change.subtract(before)
    changed: dict[SchoolMonth, SchoolMonthRow | None] = {}
    for key, delta in change.items():
        if delta == 0:
            continue
        count = (rows[key].count if key in rows else 0) + delta
        changed[key] = _row(key, count) if count > 0 else None
    return changed


def _row(key: SchoolMonth, count: int) -> SchoolMonthRow:
    school_year, term = period_labels(key.month)
    return SchoolMonthRow(
        school_id=key.school_id, month=key.month, school_year=school_year, term=term, count=count
    )


school_month_activities = Projection(
    name="school_month_activities",
    aggregate=Activity,
    row_type=ActivityPlace,
    key="activity_id",
    evolve=remember,
)

school_months = Keyed(
    name="school_months",
    memory=(school_month_activities,),
    key_type=SchoolMonth,
    row_type=SchoolMonthRow,
    keys=keys,
    evolve=evolve,
)
