"""The compliance table kept by the projection runner: each county judged at the end of a batch.

A step folds the county's new events into the facts the runner keeps (or folds them again from
the log when it keeps none at the checkpoint), judges again what they touched, writes the rows
that changed (against the rows it keeps beside the facts; all of them when it knows none) and
moves the checkpoint, in one transaction. A county is also judged again whole when its rows are
of another day (as known today changes with the day: at_risk, missed) or another `JUDGING`.
Only a few counties' facts are kept; another is folded again when it next moves.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from infra.codec import EventMapper
from infra.db import set_tenant
from projections.assessment.compliance import (
    COUNTY,
    JUDGING,
    TABLE,
    ComplianceRow,
    Touched,
    judge_now,
    known_labels,
    rows_of,
)
from projections.assessment.facts import CountyFacts
from projections.assessment.replay import catch_up
from projections.checkpoints import lock_checkpoints, move_checkpoints
from projections.collection import no_collection, set_aside
from projections.tables import upsert

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import date
    from uuid import UUID

    import asyncpg

    from infra.db import Connection

log = logging.getLogger(__name__)

JUDGED = "compliance_judged"
KEY = ("community_key", "rule_id", "period", "school_key")  # the table's key, after the county
KEPT = 8  # counties whose facts a runner keeps between batches
RETRY_SECONDS = 60.0  # a county whose compliance failed is tried again after this

_DUE = f"""
    select h.tenant_id
    from tenant_heads h
    left join projection_checkpoints c on c.tenant_id = h.tenant_id and c.projection = '{TABLE}'
    left join {JUDGED} j on j.tenant_id = h.tenant_id
    where h.last_seq > coalesce(c.last_seq, 0) or j.as_of <> $1 or j.judging <> $2
    order by h.tenant_id
"""  # noqa: S608 - names only


class ComplianceJudge:
    """The runner's compliance: which counties are due, and one step of one county."""

    name = TABLE
    tables = (TABLE, JUDGED)

    def __init__(
        self, timezone: str, mapper: EventMapper | None = None, *, kept: int = KEPT
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self._mapper = mapper or EventMapper()
        self._kept = kept
        self._folds: OrderedDict[UUID, _Kept] = OrderedDict()
        self._held_back: dict[UUID, float] = {}  # county -> retry after (monotonic)

    def today(self) -> date:
        return datetime.now(self.zone).date()

    async def due(self, pool: asyncpg.Pool, tenant_ids: Collection[UUID] = ()) -> list[UUID]:
        async with pool.acquire() as conn:
            rows = await conn.fetch(_DUE, self.today(), JUDGING)
        now = time.monotonic()
        return [
            r["tenant_id"]
            for r in rows
            if (not tenant_ids or r["tenant_id"] in tenant_ids)
            and self._held_back.get(r["tenant_id"], 0.0) <= now
        ]

    async def catch_up(self, pool: asyncpg.Pool, tenant_ids: Collection[UUID] = ()) -> int:
        """Judges every due county; returns how many events it took in.

        A county that fails is logged (once) and tried again `RETRY_SECONDS` on; its rows stay
        as they were.
        """
        folded = 0
        for tenant_id in await self.due(pool, tenant_ids):
            try:
                folded += await self.step(pool, tenant_id)
            except Exception:  # one county's failure stops only it (logged once)
                if tenant_id not in self._held_back:
                    log.exception("compliance of county %s not judged", tenant_id)
                self._held_back[tenant_id] = time.monotonic() + RETRY_SECONDS
            else:
                self._held_back.pop(tenant_id, None)
        return folded

    async def step(self, pool: asyncpg.Pool, tenant_id: UUID) -> int:
        """Folds the county's events since its checkpoint and judges what they touched."""
        kept = self._folds.pop(tenant_id, None)
        async with pool.acquire() as conn, conn.transaction():
            await set_tenant(conn, tenant_id)
            checkpoints = await lock_checkpoints(conn, tenant_id, [TABLE], wait=False)
            if not checkpoints:
                return 0  # another runner holds it
            at = checkpoints[TABLE]
            head = await _head(conn, tenant_id)
            touched = Touched()
            # What the fold takes in is set aside before the collector sees it.
            with no_collection():
                fold = await self._fold_at(conn, tenant_id, kept.fold if kept else None, at)
                folded = await catch_up(
                    conn, tenant_id, fold, self._mapper, self.zone, upto=head, before=touched.add
                )
                set_aside(fold.last_seq - (kept.fold.last_seq if kept and kept.fold is fold else 0))
            today = self.today()
            judged = await conn.fetchrow(
                f"select as_of, judging from {JUDGED} where tenant_id = $1",  # noqa: S608 - a name
                tenant_id,
            )
            # The rows this judge wrote at the checkpoint, if the table still holds them.
            held = (
                kept.rows
                if kept is not None
                and kept.at == at
                and judged is not None
                and (judged["as_of"], judged["judging"]) == (kept.day, JUDGING)
                else None
            )
            stale = judged is None or judged["as_of"] != today or judged["judging"] != JUDGING
            if stale or folded:
                # Judged whole once the rows the table holds are not known: from then on, a
                # batch rewrites only the rows it changed.
                part = None if stale or held is None else touched.part
                rows = rows_of(judge_now(fold, today, part), fold)
                held = await write(conn, tenant_id, rows, part, held)
                await _judged(conn, tenant_id, today, head, fold)
            if head > at:
                await move_checkpoints(conn, tenant_id, [TABLE], head)
        self._keep(tenant_id, _Kept(fold, max(head, at), today, held))
        return head - at

    async def rebuild(self, conn: Connection, tenant_id: UUID) -> None:
        """Judges the county from its first event, in the caller's transaction (county set)."""
        self._folds.pop(tenant_id, None)
        await lock_checkpoints(conn, tenant_id, [TABLE], wait=True)
        head = await _head(conn, tenant_id)
        fold = await self._fold_at(conn, tenant_id, None, head)
        today = self.today()
        await write(conn, tenant_id, rows_of(judge_now(fold, today), fold), None, None)
        await _judged(conn, tenant_id, today, head, fold)
        await conn.execute(
            "update projection_checkpoints set last_seq = $2, updated_at = clock_timestamp()"
            " where tenant_id = $1 and projection = $3",
            tenant_id,
            head,
            TABLE,
        )
        # Its rows are not kept: the caller's transaction may yet roll back.
        self._keep(tenant_id, _Kept(fold, head, today, None))

    async def _fold_at(
        self, conn: Connection, tenant_id: UUID, kept: CountyFacts | None, at: int
    ) -> CountyFacts:
        """The county's facts exactly at `at`: the kept ones moved on, or folded again."""
        fold = kept if kept is not None and kept.last_seq <= at else CountyFacts()
        await catch_up(conn, tenant_id, fold, self._mapper, self.zone, upto=at)
        return fold

    def _keep(self, tenant_id: UUID, kept: _Kept) -> None:
        self._folds[tenant_id] = kept
        while len(self._folds) > self._kept:
            self._folds.popitem(last=False)


async def _head(conn: Connection, tenant_id: UUID) -> int:
    found = await conn.fetchval("select last_seq from tenant_heads where tenant_id = $1", tenant_id)
    return int(found or 0)


async def _judged(
    conn: Connection, tenant_id: UUID, today: date, head: int, fold: CountyFacts
) -> None:
    await conn.execute(
        f"insert into {JUDGED} (tenant_id, as_of, judging, last_seq, versions)"  # noqa: S608 - a name
        " values ($1, $2, $3, $4, $5) on conflict (tenant_id) do update set"
        " as_of = excluded.as_of, judging = excluded.judging, last_seq = excluded.last_seq,"
        " versions = excluded.versions",
        tenant_id,
        today,
        JUDGING,
        head,
        known_labels(fold, today),
    )


RowKey = tuple[str, str, str, str]  # the table's key after the county (KEY)


def _key(row: ComplianceRow) -> RowKey:
    return row.community_key, row.rule_id, row.period, row.school_key


@dataclass
class _Kept:
    """A county's fold, the checkpoint and day it was judged at, and the rows it wrote then.

    `rows` is None when they are not known to be the table's (a rebuild's, in a transaction that
    may yet roll back).
    """

    fold: CountyFacts
    at: int
    day: date
    rows: dict[RowKey, ComplianceRow] | None


async def write(
    conn: Connection,
    tenant_id: UUID,
    rows: Sequence[ComplianceRow],
    part: set[UUID] | None,
    held: dict[RowKey, ComplianceRow] | None,
) -> dict[RowKey, ComplianceRow] | None:
    """Replaces the county's rows (`part`: only those communities' and the county-wide).

    With `held`, the rows the table holds now, only those that differ are written and those
    gone deleted (one more action changes a few of a community's hundreds); returns what the
    table holds then, or None when `held` was not known.
    """
    scope = None if part is None else {COUNTY, *(str(c) for c in part)}
    if held is None:
        if scope is None:
            await conn.execute(f"delete from {TABLE} where tenant_id = $1", tenant_id)  # noqa: S608
        else:
            await conn.execute(
                f"delete from {TABLE} where tenant_id = $1 and community_key = any($2)",  # noqa: S608
                tenant_id,
                list(scope),
            )
        await upsert(conn, tenant_id, TABLE, KEY, rows, new=True)  # many: copied through a stage
        return None if part is not None else {_key(r): r for r in rows}
    after = {_key(r): r for r in rows}
    gone = [k for k in held if (scope is None or k[0] in scope) and k not in after]
    if gone:
        await conn.execute(
            f"delete from {TABLE} as t using unnest($2::text[], $3::text[], $4::text[], $5::text[])"  # noqa: S608
            " as g (community_key, rule_id, period, school_key) where t.tenant_id = $1"
            " and (t.community_key, t.rule_id, t.period, t.school_key)"
            " = (g.community_key, g.rule_id, g.period, g.school_key)",
            tenant_id,
            *([k[i] for k in gone] for i in range(4)),
        )
    await upsert(conn, tenant_id, TABLE, KEY, [r for k, r in after.items() if held.get(k) != r])
    kept = {k: r for k, r in held.items() if scope is not None and k[0] not in scope}
    kept.update(after)
    return kept
