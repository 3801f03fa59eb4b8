"""The pages' compliance facts: a few counties' folds kept per process, caught up at each read.

The API answers "as known today" from the runner's table and folds the log again for any other
question. A page view asks several questions of one county (the day's results, the trend, every
period) and one who picks another day asks again: folding a county-year for each would take
about a second. The pages keep the folds of the last `KEPT` counties read, each caught up with
the log at every read (events are never edited, so that equals a fold from the first event),
and the last judgements of each fold: the API's evaluation, so the same answers.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from projections.assessment.facts import CountyFacts
from projections.assessment.replay import catch_up
from projections.collection import no_collection, set_aside
from service.assessment.judging import Judged, judge

if TYPE_CHECKING:
    from uuid import UUID
    from zoneinfo import ZoneInfo

    from infra.codec import EventMapper
    from infra.db import Connection
    from projections.assessment.judge import Question

KEPT = 4  # counties kept folded per process; the least recently read is dropped
JUDGED_KEPT = 8  # judgements kept per fold, of its last sequence only


@dataclass
class KeptFold(CountyFacts):
    judged: OrderedDict[tuple[int, Question], Judged] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )


class KeptFacts:
    def __init__(self, zone: ZoneInfo, mapper: EventMapper, kept: int = KEPT) -> None:
        self.zone, self.mapper, self.kept = zone, mapper, kept
        self._folds: OrderedDict[UUID, KeptFold] = OrderedDict()
        self._locks: dict[UUID, asyncio.Lock] = {}

    async def current(self, conn: Connection, tenant_id: UUID) -> CountyFacts:
        """The county's fold caught up with what `conn`'s transaction sees."""
        lock = self._locks.setdefault(tenant_id, asyncio.Lock())
        async with lock:
            fold = self._folds.pop(tenant_id, None) or KeptFold()
            start = fold.last_seq
            with (
                no_collection()
            ):  # what the fold takes in is set aside before the collector sees it
                await catch_up(conn, tenant_id, fold, self.mapper, self.zone)
                set_aside(fold.last_seq - start)
            self._folds[tenant_id] = fold
            while len(self._folds) > self.kept:
                dropped, _ = self._folds.popitem(last=False)
                self._locks.pop(dropped, None)
        return fold


def judge_kept(fold: CountyFacts, q: Question) -> Judged:
    """`judge`, answered again from the fold's last judgements while it has seen nothing new."""
    if not isinstance(fold, KeptFold):
        return judge(fold, q)
    key = (fold.last_seq, q)
    found = fold.judged.get(key)
    if found is None:
        if any(seq != fold.last_seq for seq, _ in fold.judged):
            fold.judged.clear()
        found = fold.judged[key] = judge(fold, q)
        while len(fold.judged) > JUDGED_KEPT:
            fold.judged.popitem(last=False)
    return found
