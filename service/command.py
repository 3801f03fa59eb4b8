"""The one command ceremony: idempotency, If-Match, load, decide, save, answer.

A handler only decides: given what it may use (`Env`), the aggregate it changes (none for a
creation) and the request's body, it calls one domain method and returns the `Decision`.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

import msgspec
from eventsourcing.domain import Aggregate

from infra.event_store import AggregateNotFoundError, AppendFailedError, StreamConflictError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from datetime import date
    from uuid import UUID

    from infra.crypto import Keyring
    from infra.event_store import Appended, EventStore, OutboxMessage, WriteContext
    from infra.tenancy import Role

A = TypeVar("A", bound=Aggregate)
C = TypeVar("C", bound=msgspec.Struct)
P = ParamSpec("P")

# Without If-Match a command applies to the current version: after a conflict it is decided
# again on the reloaded aggregate, this many times in all.
ATTEMPTS = 5


@dataclass(frozen=True, kw_only=True)
class Env:
    """What a command handler may use besides its aggregate and its body."""

    store: EventStore
    write: WriteContext
    role: Role
    school_id: UUID | None  # a recorder's school
    today: date  # in the county's time zone
    keyring: Keyring | None = None  # for commands that seal personal data (teachers)

    @property
    def tenant_id(self) -> UUID:
        return self.write.tenant_id

    @property
    def actor_id(self) -> UUID:
        """The token acting."""
        return self.write.actor_id

    @property
    def user_id(self) -> UUID | None:
        """The person acting; None for a token issued before tokens belonged to people."""
        return self.write.user_id

    @property
    def by(self) -> UUID:
        """Who acts, as an event's `*_by` field names them: the person (user id).

        For a token issued to no one (before tokens belonged to people, or `jgt tenant
        create`'s first admin token), the token; reads name it as a token without a person.
        """
        return self.write.user_id or self.write.actor_id


@dataclass(frozen=True)
class Decision(Generic[A]):
    """What a handler decided: the aggregate with its new events and the work they cause.

    `if_exists` is for a creation whose stream id derives from the body (a school's code): the
    error to give when that stream exists already. `refused` turns the database's refusal of
    the append (a guard spanning streams, e.g. one full-time assignment at once) into the
    domain's error; None leaves it as it is.
    """

    aggregate: A
    outbox: Sequence[OutboxMessage] = field(default=())
    if_exists: Exception | None = None
    refused: Callable[[AppendFailedError], Exception | None] | None = None


async def _save(env: Env, decision: Decision[A]) -> Appended:
    try:
        return await env.store.save(decision.aggregate, env.write, outbox=decision.outbox)
    except AppendFailedError as error:
        mapped = None if decision.refused is None else decision.refused(error)
        if mapped is not None:
            raise mapped from error
        raise


def fingerprint(
    name: str, target: UUID | None, actor: UUID, body: msgspec.Struct, args: tuple[Any, ...] = ()
) -> bytes:
    """What makes two requests the same command: its name, target, caller, body, path ids."""
    extra = b"\n" + msgspec.json.encode(args) if args else b""
    return hashlib.sha256(
        f"{name}\n{target or ''}\n{actor}\n".encode() + msgspec.json.encode(body) + extra
    ).digest()


async def create(
    env: Env, handler: Callable[[Env, C], Awaitable[Decision[A]]], body: C
) -> tuple[A, Appended]:
    """Decides a creation and saves it."""
    decision = await handler(env, body)
    try:
        appended = await _save(env, decision)
    except StreamConflictError as error:
        if decision.if_exists is not None:
            raise decision.if_exists from error
        raise
    return decision.aggregate, appended


async def change(  # noqa: PLR0917 - a handler's own path ids follow the fixed arguments
    env: Env,
    expected: int | None,
    handler: Callable[Concatenate[Env, A, C, P], Awaitable[Decision[A]]],
    cls: type[A],
    target: UUID,
    body: C,
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> tuple[A, Appended]:
    """Loads the aggregate, decides and saves; without `expected`, again after a conflict.

    Commands on one stream take turns within a process, so they do not conflict with each
    other; a conflict with another process is decided again after a short random pause.
    """
    lock = _STREAM_LOCKS.get(target)
    if lock is None:
        lock = _STREAM_LOCKS[target] = asyncio.Lock()
    for attempt in range(1, ATTEMPTS + 1):
        async with lock:
            aggregate = await env.store.get(cls, env.tenant_id, target, expected_version=expected)
            decision = await handler(env, aggregate, body, *args, **kwargs)
            try:
                saved = await _save(env, decision)
            except StreamConflictError:
                if expected is not None or attempt == ATTEMPTS:
                    raise
            else:
                return decision.aggregate, saved
        await asyncio.sleep(random.uniform(0, 0.005 * attempt))  # noqa: S311 - jitter, not crypto
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


async def change_or_create(  # noqa: PLR0917 - a handler's own path ids follow the fixed arguments
    env: Env,
    expected: int | None,
    handler: Callable[Concatenate[Env, A | None, C, P], Awaitable[Decision[A]]],
    cls: type[A],
    target: UUID,
    body: C,
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> tuple[A, Appended]:
    """As `change`, for a stream of a known id that its first command creates.

    The handler gets None while the stream does not exist; `If-Match: "0"` asks for exactly that.
    """

    async def handle(
        env: Env, _: object, body: C, *args: P.args, **kwargs: P.kwargs
    ) -> Decision[A]:
        try:
            found = await env.store.get(cls, env.tenant_id, target, expected_version=expected)
        except AggregateNotFoundError:
            if expected not in {None, 0}:
                raise
            found = None
        return await handler(env, found, body, *args, **kwargs)

    return await _with_retries(env, expected, handle, target, body, *args, **kwargs)


async def _with_retries(
    env: Env,
    expected: int | None,
    handle: Callable[..., Awaitable[Decision[A]]],
    target: UUID,
    body: msgspec.Struct,
    /,
    *args: object,
    **kwargs: object,
) -> tuple[A, Appended]:
    lock = _STREAM_LOCKS.get(target)
    if lock is None:
        lock = _STREAM_LOCKS[target] = asyncio.Lock()
    for attempt in range(1, ATTEMPTS + 1):
        async with lock:
            decision = await handle(env, None, body, *args, **kwargs)
            try:
                saved = await _save(env, decision)
            except StreamConflictError:
                if expected is not None or attempt == ATTEMPTS:
                    raise
            else:
                return decision.aggregate, saved
        await asyncio.sleep(random.uniform(0, 0.005 * attempt))  # noqa: S311 - jitter, not crypto
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


# A lock per stream while anyone holds it (waiters keep it alive); stream ids are unique
# across counties (uuid4, or uuid5 in a county's namespace).
_STREAM_LOCKS: weakref.WeakValueDictionary[UUID, asyncio.Lock] = weakref.WeakValueDictionary()
