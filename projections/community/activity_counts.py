"""How many community actions count, by community, school year, term and kind (voids left out)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import ActivityKind
from projections.base import Tally

if TYPE_CHECKING:
    from projections.community.activity_list import ActivityRow


class ActivityCount(msgspec.Struct, frozen=True, kw_only=True):
    """Where an action counts: its community, school year, term and kind."""

    community_id: UUID
    school_year: str
    term: str
    kind: ActivityKind


def count_key(row: ActivityRow) -> tuple[ActivityCount, ...]:
    if row.is_void:
        return ()
    return (
        ActivityCount(
            community_id=row.community_id,
            school_year=row.school_year,
            term=row.term,
            kind=row.kind,
        ),
    )


activity_counts = Tally(name="activity_counts", key_type=ActivityCount, keys=count_key)
