"""What failing a command alone costs: `jgt_append` of 0007 beside the one of 0001, one run.

    python -m ops.bench.append_alone [--events 10000] [--json]

0007 runs each command's writes in an exception block (a subtransaction) so that the
database's refusal of one command leaves the others of its batch standing; 0001 ran the batch
without. Both serve 50 concurrent single-event commands on the same fresh database, in turns
(old, new, old, new, ...), so the machine's load falls on both alike.
"""

from __future__ import annotations

import statistics
from importlib import resources
from typing import Any

import asyncpg

from infra.db import APP_ROLE
from ops.bench.append import Bench
from ops.bench.harness import bench_main, drop_database, fresh_database

ROUNDS = 3
OLD_APPEND = (
    "select * from jgt_append_0001($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
    " $14::jsonb[])"
)


def function_of_0001() -> str:
    """0001's `jgt_append`, renamed, exactly as it was first shipped."""
    sql = resources.files("infra.migrations").joinpath("0001_core.sql").read_text("utf-8")
    start = sql.index("create function jgt_append(")
    end = sql.index("$$;", start) + len("$$;")
    return sql[start:end].replace("jgt_append(", "jgt_append_0001(", 1)


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        bench = Bench(owner_url, events)
        await bench.setup()
        owner = await asyncpg.connect(owner_url)
        try:
            await owner.execute(function_of_0001())
            await owner.execute(f"grant execute on function jgt_append_0001 to {APP_ROLE}")
        finally:
            await owner.close()
        old, new = [], []
        for _ in range(ROUNDS):
            old.append(await bench.store_commands(1, append_sql=OLD_APPEND))
            new.append(await bench.store_commands(1))
        await bench.close()
        return {
            "events": events,
            "rounds": ROUNDS,
            "append_0001_events_per_s": statistics.median(old),
            "append_0007_events_per_s": statistics.median(new),
            "append_0001_runs": old,
            "append_0007_runs": new,
        }
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    old, new = figures["append_0001_events_per_s"], figures["append_0007_events_per_s"]
    title = (
        f"{figures['events']} single-event commands per run, 50 writers,"
        f" median of {figures['rounds']} runs each, in turns"
    )
    lines = [
        title,
        "",
        f"  jgt_append of 0001 (one failure fails the batch)   {old:>10} events/s",
        f"  jgt_append of 0007 (one failure fails alone)       {new:>10} events/s",
        f"  runs: 0001 {figures['append_0001_runs']}, 0007 {figures['append_0007_runs']}",
        "",
        f"  cost of failing alone: {100 * (1 - new / old):.1f} %",
    ]
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=10_000)


if __name__ == "__main__":
    main()
