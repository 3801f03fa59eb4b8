"""The process's own counters of the store, the outbox and the pools (prometheus_client).

Each process counts what it does itself; `service/metrics.py` serves them. No label carries a
county's name or data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

if TYPE_CHECKING:
    from collections.abc import Iterator

    import asyncpg
    from prometheus_client.core import Metric

APPENDS = Counter(
    "jgt_appends",
    "Commands sent to the event store, by outcome (appended, conflict, duplicate, …).",
    ["outcome"],
)
EVENTS_APPENDED = Counter("jgt_events_appended", "Events appended to the store.")
BATCH_COMMANDS = Histogram(
    "jgt_group_commit_batch_commands",
    "Commands sent together in one jgt_append call (group commit).",
    buckets=(1, 2, 4, 8, 16, 32, 64),
)
OUTBOX_DELIVERY = Histogram(
    "jgt_outbox_delivery_seconds",
    "From an outbox row's write (with its events) to its job finishing it.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600, 1800),
)


class PoolCollector:
    """Open and busy connections of the watched asyncpg pools, by name, read at each scrape.

    Pools of one name (a process with two apps, as the tests have) are summed; a closed pool
    is dropped.
    """

    def __init__(self) -> None:
        self._pools: list[tuple[str, asyncpg.Pool]] = []  # pools take no weak reference

    def watch(self, name: str, pool: asyncpg.Pool) -> None:
        self._pools = [*self._open(), (name, pool)]

    def _open(self) -> list[tuple[str, asyncpg.Pool]]:
        return [(name, pool) for name, pool in self._pools if not pool.is_closing()]

    def collect(self) -> Iterator[Metric]:
        figures: dict[str, list[int]] = {}
        for name, pool in self._open():
            size, idle = pool.get_size(), pool.get_idle_size()
            total = figures.setdefault(name, [0, 0, 0])
            total[0] += size
            total[1] += size - idle
            total[2] += pool.get_max_size()
        families = [
            GaugeMetricFamily(
                "jgt_db_pool_connections", "Open connections of a pool.", labels=["pool"]
            ),
            GaugeMetricFamily(
                "jgt_db_pool_in_use", "Connections of a pool lent out now.", labels=["pool"]
            ),
            GaugeMetricFamily(
                "jgt_db_pool_max", "The most connections a pool opens.", labels=["pool"]
            ),
        ]
        for name in sorted(figures):
            for family, value in zip(families, figures[name], strict=True):
                family.add_metric([name], value)
        yield from families


POOLS = PoolCollector()
REGISTRY.register(POOLS)
