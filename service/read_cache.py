"""Answers of read-model GETs kept as encoded bytes, as current as the read models themselves.

A county's entries are keyed by a token that changes whenever its read models may have moved:
a runner's checkpoint notice (LISTEN, any process), a runner of this process committing, or
this process appending the county's events (the dashboard counts what is pending). A token is
taken before the database is read, so an answer read before a move is stored under the token
the move retired and never served after it. While the LISTEN connection is not live (not yet
connected, lost, a ping missed) no token is handed out: every read goes to the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import parse_qsl

from litestar.response import Response
from litestar.serialization import encode_json

from infra.read_notices import NoticeListener
from infra.tenancy import Role
from projections.checkpoints import CHANNEL, off_moved, on_moved

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from uuid import UUID

    from litestar.types import Scope

    from infra.tenancy import Principal
    from service.context import RequestContext
    from service.services import Services

T = TypeVar("T")

MAX_ENTRIES = 4096
MAX_BYTES = 32 * 1024 * 1024

Key = tuple[Any, ...]


class ReadCache:
    """A bounded LRU of answers per (county, token, role, school, path, query, language)."""

    def __init__(
        self, *, enabled: bool, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES
    ) -> None:
        self.enabled = enabled
        self.listener: NoticeListener | None = None  # set by `listening` when enabled
        self.hits = 0
        self.misses = 0
        self.front_hits = 0  # of the hits, those given in front of routing (cached_reads.py)
        self.shared = 0  # of the misses, those that waited for the same question's read
        self._computing: dict[Key, asyncio.Future[bytes]] = {}
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Key, bytes] = OrderedDict()
        self._tokens: dict[UUID, int] = {}
        self._counter = itertools.count(1)  # never reused: a retired token stays retired
        # The routes (without path parameters: path and template are one) whose answers were
        # kept: the cheap path in front of routing (service/cached_reads.py) looks only at these.
        self.routes: set[str] = set()

    def __len__(self) -> int:
        return len(self._entries)

    def forget(self, tenant_id: UUID) -> None:
        """The county's read models may have moved: its entries are never served again."""
        self._tokens.pop(tenant_id, None)

    def reset(self) -> None:
        """Nothing heard so far counts (the LISTEN connection was (re)made or lost)."""
        self._tokens.clear()
        self._entries.clear()
        self._bytes = 0

    def token(self, tenant_id: UUID) -> int | None:
        """The county's current token; None when the notices cannot be trusted right now."""
        if not self.enabled or self.listener is None or not self.listener.live:
            return None
        found = self._tokens.get(tenant_id)
        if found is None:
            found = self._tokens[tenant_id] = next(self._counter)
        return found

    async def answer(self, ctx: RequestContext, compute: Callable[[], Awaitable[object]]) -> bytes:
        """The encoded answer: from the cache, else `compute`d, encoded and kept.

        Auditors always read the database: each of their reads is recorded there.
        """
        token = None if ctx.role is Role.AUDITOR else self.token(ctx.tenant_id)
        if token is None:
            return encode_json(await compute())
        scope = ctx.connection.scope
        key = question(scope, ctx.principal, ctx.lang, token)
        found = self.hit(key)
        if found is not None:
            return found
        self.misses += 1
        template = scope.get("path_template")
        if template == key[4]:
            self.routes.add(template)
        # Misses of one question at once share one read (after a write retired the token, every
        # reader misses together): as fresh as each needs, since the read began after the token
        # they share was handed out. It runs as a task of its own: a caller that goes away
        # cancels only its own wait.
        computing = self._computing.get(key)
        if computing is None:
            computing = asyncio.ensure_future(self._compute(key, compute))
            self._computing[key] = computing
            computing.add_done_callback(lambda done: self._computed(key, done))
        else:
            self.shared += 1
        return await asyncio.shield(computing)

    def _computed(self, key: Key, done: asyncio.Future[bytes]) -> None:
        self._computing.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved: each waiting caller got it raised already

    async def _compute(self, key: Key, compute: Callable[[], Awaitable[object]]) -> bytes:
        body = encode_json(await compute())
        self._keep(key, body)
        return body

    def hit(self, key: Key) -> bytes | None:
        """The answer kept under `key`, counted as a hit; None when there is none."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return found

    def _keep(self, key: Key, body: bytes) -> None:
        if len(body) > self._max_bytes // 8:
            return  # one answer may not push out a large part of the others
        old = self._entries.pop(key, None)  # two misses of one question at once
        self._bytes += len(body) - (0 if old is None else len(old))
        self._entries[key] = body
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped)


def question(scope: Scope, principal: Principal, lang: str, token: int) -> Key:
    """The key of a request's answer: both paths to the cache compute it here, from the scope.

    The same parameters in any order are the same question. Raises UnicodeDecodeError on a
    query that is not UTF-8 (Litestar refuses it too).
    """
    path = scope.get("root_path", "") + scope["path"]
    query = scope.get("query_string", b"").decode()
    pairs = tuple(sorted(parse_qsl(query, keep_blank_values=True)))
    return (principal.tenant_id, token, principal.role, principal.school_id, path, pairs, lang)


def json_answer(body: bytes, _: type[T]) -> Response[T]:
    """An answer of encoded JSON; the type names what it holds (for the OpenAPI description)."""
    return cast("Response[T]", Response(content=body, media_type="application/json"))


@contextlib.asynccontextmanager
async def listening(services: Services) -> AsyncIterator[None]:
    """The read cache's LISTEN connection and hooks: for the processes that answer requests."""
    cache = services.read_cache
    if not cache.enabled:
        yield
        return
    cache.listener = NoticeListener(
        services.urls.app, CHANNEL, on_notice=cache.forget, on_reset=cache.reset
    )
    services.store.on_append(cache.forget)  # the dashboard counts pending events
    on_moved(cache.forget)
    task = asyncio.create_task(cache.listener.run(), name="jgt read cache listener")
    try:
        yield
    finally:
        off_moved(cache.forget)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        cache.reset()
