"""How many community actions each school took part in, month by month, across communities.

An action counts once for each school it involves (the host and every participating school),
in the month of its first day; a correction moves it, a void takes it away. A tally of the
action list: the list's row of an action before and after each event says where it counted and
where it counts now, so nothing else about the action is remembered.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.base import Tally, TallyKeys

if TYPE_CHECKING:
    from projections.community.activity_list import ActivityRow


class SchoolMonth(msgspec.Struct, frozen=True, kw_only=True, cache_hash=True):
    """Where an action counts: a school, the first day of a month, and that month's period."""

    # Hashed once: the same keys are counted again and again, and a UUID hashes in Python.
    school_id: UUID
    month: date
    school_year: str  # the month's (an action's school year and term are its month's)
    term: str  # "autumn", "spring", or "summer" for August


class SchoolMonthRow(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    month: date
    school_year: str
    term: str
    count: int


def school_month_keys(row: ActivityRow) -> tuple[SchoolMonth, ...]:
    if row.is_void:
        return ()
    # Looked up by the schools' numbers: a UUID hashes in Python, and this is asked of every
    # row a batch changes, before and after.
    month = row.held_on.replace(day=1)
    key: tuple[int | date, ...] = (*[s.int for s in row.school_ids], month)
    found = _KEYS.get(key)
    if found is None:
        found = _KEYS.keep(
            key,
            tuple(
                SchoolMonth(school_id=s, month=month, school_year=row.school_year, term=row.term)
                for s in row.school_ids
            ),
        )
    return found


# The same schools in the same month again and again (the school year and term are the
# month's, so the month names them).
_KEYS = TallyKeys()


school_months = Tally(name="school_months", key_type=SchoolMonth, keys=school_month_keys)
