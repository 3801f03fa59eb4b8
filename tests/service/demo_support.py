"""A demo county made and folded for a test, as `jgt demo` makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.runner import ProjectionRunner
from service.demo import create_demo_county
from service.services import file_store_of, keyring_of

if TYPE_CHECKING:
    from datetime import date

    import asyncpg

    from infra.event_store import EventStore
    from service.demo import DemoCounty
    from service.settings import Settings


async def folded_demo(
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    store: EventStore,
    settings: Settings,
    today: date,
    name: str,
) -> DemoCounty:
    """The demo county as of `today`, its read models and compliance caught up."""
    county = await create_demo_county(
        app_pool, store, today, name,
        files=file_store_of(settings), keyring=keyring_of(settings, app_pool),
    )  # fmt: skip
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    return county
