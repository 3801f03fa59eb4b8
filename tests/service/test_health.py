"""/healthz answers within a second whatever the database and Redis do, and shows no county."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import threading
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any, TypeVar
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.runtime import Urls
from service.settings import Settings

T = TypeVar("T")


class Proxy:
    """A TCP relay to a server, in a thread of its own, that a test can freeze or cut.

    Its own thread: the test client's start-up blocks the test's event loop.
    """

    def __init__(self, target: tuple[str, int] | str) -> None:
        self.target = target
        self.loop = asyncio.new_event_loop()
        self.flowing = asyncio.Event()
        self.writers: list[asyncio.StreamWriter] = []
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = self._call(self._start())
        self.port: int = self.server.sockets[0].getsockname()[1]

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _start(self) -> asyncio.Server:
        self.flowing.set()
        return await asyncio.start_server(self._relay, "127.0.0.1", 0)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if isinstance(self.target, str):  # a unix socket, as the embedded servers listen
            up_reader, up_writer = await asyncio.open_unix_connection(self.target)
        else:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers += [writer, up_writer]

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await source.read(65536):
                    await self.flowing.wait()
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    def freeze(self, *, frozen: bool = True) -> None:
        self.loop.call_soon_threadsafe(self.flowing.clear if frozen else self.flowing.set)

    def cut(self) -> None:
        async def cut() -> None:
            self.server.close()
            for writer in self.writers:
                writer.transport.abort()

        self._call(cut())

    def close(self) -> None:
        self.freeze(frozen=False)
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def upstream(url: str) -> tuple[str, int] | str:
    """Where a URL's server listens: host and port, or the path of its unix socket."""
    parts = urlsplit(url)
    if parts.scheme == "unix":  # redis over a socket: unix:///path/to/socket
        return parts.path
    socket_dir = parse_qs(parts.query).get("host", [""])[0]
    if socket_dir.startswith("/"):  # PostgreSQL over a socket: ...@/db?host=/dir
        return f"{socket_dir}/.s.PGSQL.{parts.port or 5432}"
    return (parts.hostname or "127.0.0.1", parts.port or 5432)


def via(url: str, port: int) -> str:
    """`url` pointed at the proxy's TCP port (a socket's `host=` query dropped)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"redis://127.0.0.1:{port}/0"
    auth = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else ""
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "host"])
    netloc = f"{auth}@127.0.0.1:{port}" if auth else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc, query=query))


@contextlib.contextmanager
def proxied(url: str) -> Iterator[tuple[Proxy, str]]:
    proxy = Proxy(upstream(url))
    try:
        yield proxy, via(url, proxy.port)
    finally:
        proxy.close()


@contextlib.asynccontextmanager
async def healthz_of(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    small = msgspec.structs.replace(settings, pool_size=2)  # the shared server has few to spare
    async with AsyncTestClient(create_app(small, urls, background=False)) as client:
        yield client


async def timed(client: httpx.AsyncClient) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = await client.get("/healthz")
    return answer, time.monotonic() - started


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("outage", ["refused", "frozen"])
async def test_healthz_answers_200_within_a_second_when_redis_is_away(
    settings: Settings, urls: Urls, outage: str
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        if outage == "refused":
            redis = f"redis://127.0.0.1:{closed_port()}/0"
        else:
            proxy, redis = stack.enter_context(proxied(urls.redis or ""))
            proxy.freeze()
        client = await stack.enter_async_context(
            healthz_of(settings, dataclasses.replace(urls, redis=redis))
        )
        for _ in range(2):
            answer, seconds = await timed(client)
            assert answer.status_code == 200, answer.text
            assert seconds < 1.5, f"/healthz took {seconds:.2f} s"
            health = answer.json()
            assert (health["status"], health["degraded"], health["redis"]) == (
                "degraded",
                ["redis"],
                False,
            )
            assert health["database"] is True


@pytest.mark.parametrize("outage", ["cut", "frozen"])
async def test_healthz_answers_503_within_a_second_when_the_database_is_away(
    settings: Settings, urls: Urls, outage: str
) -> None:
    with proxied(urls.app) as (proxy, app_url):
        async with healthz_of(settings, dataclasses.replace(urls, app=app_url)) as client:
            well, _ = await timed(client)
            assert well.status_code == 200, well.text
            assert well.json()["degraded"] == []
            if outage == "cut":
                proxy.cut()
            else:
                proxy.freeze()
            for _ in range(2):
                answer, seconds = await timed(client)
                assert answer.status_code == 503, answer.text
                assert seconds < 1.5, f"/healthz took {seconds:.2f} s"
                assert answer.json()["database"] is False
                assert "database" in answer.json()["degraded"]
            proxy.freeze(frozen=False)


async def test_healthz_shows_no_countys_data(client: httpx.AsyncClient) -> None:
    health = (await client.get("/healthz")).json()
    assert set(health) == {
        "status",
        "degraded",
        "database",
        "redis",
        "schema_version",
        "schema_expected",
        "projection_lag",
    }
