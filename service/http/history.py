"""A record's history: each of its events with who acted (the person, by name and role)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infra.event_store import AggregateNotFoundError
from infra.users import acting
from service.context import reading
from service.views.people import History, actors_of, history

if TYPE_CHECKING:
    from uuid import UUID

    from eventsourcing.domain import Aggregate

    from service.context import RequestContext
    from service.services import Services


async def read_history(
    services: Services, ctx: RequestContext, cls: type[Aggregate], stream_id: UUID
) -> History:
    """The events of the county's record `stream_id` of kind `cls`, oldest first; else 404."""
    async with reading(services, ctx) as conn:
        recorded = await services.store.read_stream(ctx.tenant_id, stream_id, conn=conn)
        events = [services.store.decode(event) for event in recorded]
        rebuilt: Any = None
        for event in events:
            rebuilt = event.mutate(rebuilt)
        if not isinstance(rebuilt, cls):
            raise AggregateNotFoundError(stream_id)
        known = await acting(conn, ctx.tenant_id, actors_of(events))
    return history(stream_id, events, known, ctx.lang)
