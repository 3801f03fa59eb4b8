"""What the benchmarks share: the server, a fresh database per run, rates, the command line."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import asyncpg
import msgspec

from infra.db import with_database
from infra.embedded import EmbeddedPostgres

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterator


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


@contextmanager
def server() -> Iterator[str]:
    """The server's owner URL: DATABASE_URL, else an embedded PostgreSQL."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    with tempfile.TemporaryDirectory(prefix="jgt-bench-") as folder:
        embedded = EmbeddedPostgres(Path(folder))
        try:
            yield embedded.url("postgres")
        finally:
            embedded.stop()


async def fresh_database(server_url: str) -> tuple[str, str]:
    name = f"jgt_bench_{uuid4().hex[:10]}"
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'create database "{name}"')
    finally:
        await conn.close()
    return name, with_database(server_url, name)


async def analyzed(owner_url: str) -> None:
    """The planner's statistics of what was just written.

    Autovacuum gathers them within a minute (`autovacuum_naptime`) of so many new rows; a bench
    reads right after it writes.
    """
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("analyze")
    finally:
        await conn.close()


async def drop_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'drop database "{name}" with (force)')
    finally:
        await conn.close()


def bench_main(
    doc: str,
    run: Callable[[int, str], Coroutine[Any, Any, dict[str, Any]]],
    report: Callable[[dict[str, Any]], str],
    *,
    default_events: int,
) -> None:
    """`--events N` and `--json` (one JSON object, last line), on one server for the run."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--events", type=int, default=default_events, help="events to measure")
    parser.add_argument("--json", action="store_true", help="print one JSON object, last line")
    args = parser.parse_args()
    with server() as server_url:
        figures = asyncio.run(run(args.events, server_url))
    print(report(figures))
    if args.json:
        print(msgspec.json.encode(figures).decode())
