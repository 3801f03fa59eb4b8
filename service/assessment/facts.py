"""A county's compliance facts for one question: replayed from its log, then dropped.

Compliance as known today is read from the table the projection runner keeps
(`projections/assessment/compliance.py`); any other question (a past day, as happened, a
draft's preview) folds the county's log again. Nothing is kept between requests, so memory is
one fold per request in flight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.assessment.facts import CountyFacts
from projections.assessment.replay import TOPICS, catch_up

if TYPE_CHECKING:
    from uuid import UUID
    from zoneinfo import ZoneInfo

    from infra.codec import EventMapper
    from infra.db import Connection

__all__ = ["TOPICS", "catch_up", "replayed"]


async def replayed(
    conn: Connection, tenant_id: UUID, mapper: EventMapper, zone: ZoneInfo
) -> CountyFacts:
    """The county's facts as `conn`'s transaction sees its log."""
    fold = CountyFacts()
    await catch_up(conn, tenant_id, fold, mapper, zone)
    return fold
