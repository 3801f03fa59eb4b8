"""A county-year with every kind of record, for the projections' bench.

The demo county (built by the demo's own code: teachers sealed, assignments, pairs, research,
quality tests, money, commendations, rules, review) on a fixed day, then more rounds of its
actions (each round every semester's plan and every other kind, with sheets, phone sign-ins,
reflections, photos, each approved at both review levels) until the county holds about the
events asked for: a county of many communities' actions, in one.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.review.review import Review, review_id
from infra.db import tenant_transaction
from infra.file_store import FolderStore
from infra.tenancy import Role
from service.command import Env, change_or_create
from service.commands.review.review import ApproveActivity, approve_activity
from service.demo import LEAD, PARTNERS, create_demo_county, demo_period
from service.demo_actions import record_actions
from service.demo_review import LEVELS, issue_for, written_by

if TYPE_CHECKING:
    from uuid import UUID

    from infra.crypto import Keyring
    from infra.event_store import EventStore

TODAY = date(2025, 6, 20)  # the community began on 2023-09-01: a school year and a spring
ROUNDS_AT_ONCE = 8


async def events_of(pool: Any, tenant_id: UUID) -> tuple[int, int]:  # noqa: ANN401 - asyncpg
    """The county's events and their distinct kinds (event types)."""
    async with tenant_transaction(pool, tenant_id) as conn:
        row = await conn.fetchrow(
            "select count(*) as events, count(distinct event_type) as kinds from events"
            " where tenant_id = $1",
            tenant_id,
        )
    assert row is not None  # noqa: S101 - an aggregate always returns its row
    return int(row["events"]), int(row["kinds"])


async def write_county_year(
    pool: Any,  # noqa: ANN401 - an asyncpg pool
    store: EventStore,
    keyring: Keyring,
    events: int,
) -> dict[str, Any]:
    """The county, grown to about `events`; its id, events, kinds and seconds to write."""
    started = asyncio.get_running_loop().time()
    with tempfile.TemporaryDirectory(prefix="jgt-bench-files-") as folder:
        files = FolderStore(Path(folder))
        county = await create_demo_county(
            pool, store, TODAY, "基准示范县", files=files, keyring=keyring
        )
        demo_events, _ = await events_of(pool, county.tenant_id)
        async with pool.acquire() as conn, conn.transaction():
            admin = await issue_for(conn, county.tenant_id, Role.ADMIN, label="基准")
        writer = Env(
            store=store,
            write=written_by(admin),
            role=Role.ADMIN,
            school_id=None,
            today=TODAY,
            keyring=keyring,
        )
        lead = county.schools[LEAD[1]]
        partners = [county.schools[code] for _, code, _, _ in PARTNERS]
        names = {county.schools[code]: name for name, code, _, _ in (LEAD, *PARTNERS)}
        starts_on, _, _ = demo_period(TODAY)

        async def one_round(number: int) -> None:
            recorded = await record_actions(
                writer,
                community_id=county.community_id,
                names=names,
                lead=lead,
                partners=partners,
                starts_on=starts_on,
                today=TODAY,
                pairs=[],
                photos=f"round {number}:",  # each action its own photos, as recorders upload
                pool=pool,
                files=files,
            )
            for activity in recorded.activities:
                for level in LEVELS:
                    await change_or_create(
                        writer,
                        None,
                        approve_activity,
                        Review,
                        review_id(activity),
                        ApproveActivity(level=level),
                        activity,
                    )

        total, per_round, done = demo_events, 0, 0
        while total < events:
            if per_round == 0:  # the first round alone tells what one adds
                await one_round(done)
                done += 1
                found, _ = await events_of(pool, county.tenant_id)
                per_round = max(found - total, 1)
            else:
                rounds = min(ROUNDS_AT_ONCE, -(-(events - total) // per_round))
                await asyncio.gather(*(one_round(done + i) for i in range(rounds)))
                done += rounds
            total, kinds = await events_of(pool, county.tenant_id)
    total, kinds = await events_of(pool, county.tenant_id)
    return {
        "tenant_id": county.tenant_id,
        "year_events": total,
        "year_demo_events": demo_events,
        "year_event_kinds": kinds,
        "year_write_s": round(asyncio.get_running_loop().time() - started, 1),
    }
