"""Loading the aggregates a command refers to."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from eventsourcing.domain import Aggregate

from infra.event_store import AggregateNotFoundError
from service.errors import UnknownReferenceError

if TYPE_CHECKING:
    from uuid import UUID

    from service.command import Env

A = TypeVar("A", bound=Aggregate)


async def referenced(env: Env, cls: type[A], field: str, id_: UUID) -> A:
    """The aggregate a request body names, or a 422 naming the field (a path id would be 404)."""
    try:
        return await env.store.get(cls, env.tenant_id, id_)
    except AggregateNotFoundError as error:
        raise UnknownReferenceError(field=field, id=id_) from error
