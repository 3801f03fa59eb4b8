"""The pools' figures: summed by name, a closed pool dropped, read without the database."""

from __future__ import annotations

from infra.db import create_pool
from infra.metrics import PoolCollector
from tests.conftest import Database


def figures(collector: PoolCollector) -> dict[tuple[str, str], float]:
    return {
        (sample.name, sample.labels["pool"]): sample.value
        for family in collector.collect()
        for sample in family.samples
    }


async def test_pools_of_one_name_are_summed_and_a_closed_one_is_dropped(
    database: Database,
) -> None:
    collector = PoolCollector()
    first = await create_pool(database.app_url, max_size=3)
    second = await create_pool(database.app_url, max_size=5)
    try:
        collector.watch("web", first)
        collector.watch("web", second)
        async with first.acquire():
            seen = figures(collector)
            assert seen[("jgt_db_pool_max", "web")] == 8
            assert seen[("jgt_db_pool_in_use", "web")] == 1
            assert seen[("jgt_db_pool_connections", "web")] == 2  # min_size 1 each
        await first.close()
        assert figures(collector)[("jgt_db_pool_max", "web")] == 5
    finally:
        await second.close()
    assert figures(collector) == {}
