"""An event that cannot be folded, by a cause that input checks cannot catch: a test-only trigger
(made by the owner) refuses the action list's row of an action titled POISON."""

from __future__ import annotations

import contextlib
import random
from dataclasses import replace
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import asyncpg

from domain.community.activity import Activity
from domain.community.community import Community
from tests.conftest import new_tenant
from tests.projections.history import TODAY, activity_facts, write_history, writer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from infra.event_store import EventStore
    from tests.conftest import Database

POISON = "无法折叠的标题"


class Poison:
    """The trigger while it stands; `cure()` removes it (a fix deployed, say)."""

    def __init__(self, owner: asyncpg.Connection) -> None:
        self._owner = owner

    async def cure(self) -> None:
        await self._owner.execute(
            "drop trigger if exists test_refuse_poison on activity_list;"
            " drop function if exists test_refuse_poison();"
        )


@contextlib.asynccontextmanager
async def poisoned(database: Database) -> AsyncIterator[Poison]:
    owner = await asyncpg.connect(database.owner_url)
    await owner.execute(f"""
        create function test_refuse_poison() returns trigger language plpgsql as $$
        begin
            if new.title = '{POISON}' then
                raise exception 'this row cannot be folded (test)';
            end if;
            return new;
        end
        $$;
        create trigger test_refuse_poison before insert or update on activity_list
            for each row execute function test_refuse_poison();
    """)
    poison = Poison(owner)
    try:
        yield poison
    finally:
        await poison.cure()
        await owner.close()


async def record(store: EventStore, tenant_id: UUID, community_id: UUID, title: str) -> int:
    """Records one more action; returns its position in the county's log."""
    community = await store.get(Community, tenant_id, community_id)
    facts = replace(activity_facts(random.Random(title), community), title=title)
    ctx = writer(tenant_id)
    activity = Activity.record(
        id=uuid4(), community=community, facts=facts, today=TODAY, by=ctx.actor_id
    )
    return (await store.save(activity, ctx)).last_seq


async def parked_county(
    store: EventStore, app_pool: asyncpg.Pool, name: str = "停放县"
) -> tuple[UUID, int, int]:
    """A county with good events, the poisoned one, and good ones after it: (id, at, head)."""
    tenant_id = await new_tenant(app_pool, name)
    history = await write_history(store, tenant_id, seed=5, activities=4)
    assert history.community_id is not None
    position = await record(store, tenant_id, history.community_id, POISON)
    head = await record(store, tenant_id, history.community_id, "之后的活动")
    return tenant_id, position, head
