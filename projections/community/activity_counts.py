"""How many community actions count, by community, school year, term and kind (voids left out)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import ActivityKind
from projections.base import Tally, TallyKeys

if TYPE_CHECKING:
    from projections.community.activity_list import ActivityRow


class ActivityCount(msgspec.Struct, frozen=True, kw_only=True, cache_hash=True):
    """Where an action counts: its community, school year, term and kind."""

    # Hashed once: the same keys are counted again and again, and a UUID hashes in Python.
    community_id: UUID
    school_year: str
    term: str
    kind: ActivityKind


def count_key(row: ActivityRow) -> tuple[ActivityCount, ...]:
    if row.is_void:
        return ()
    # Looked up by the community's number: asked of every row a batch changes, before and after.
    key = (row.community_id.int, row.school_year, row.term, row.kind)
    found = _KEYS.get(key)
    if found is None:
        one = ActivityCount(
            community_id=row.community_id, school_year=row.school_year, term=row.term, kind=row.kind
        )
        found = _KEYS.keep(key, (one,))
    return found


_KEYS = TallyKeys()  # the same community, period and kind again and again

activity_counts = Tally(name="activity_counts", key_type=ActivityCount, keys=count_key)
