"""The event store: streams per tenant, appended in group commits, read back in chain order.

`records` holds what goes in and comes out, `errors` why a command is refused, `store` the
store and its readers, `group_commit` how concurrent commands share a transaction, and
`group_read` how their loads of one county do.
"""

from infra.event_store.errors import (
    AggregateNotFoundError,
    AppendFailedError,
    IdempotencyKeyReusedError,
    StreamConflictError,
    UnknownTenantError,
)
from infra.event_store.group_commit import MAX_BATCH, AppendStatus
from infra.event_store.records import (
    EVENT_COLUMNS,
    Appended,
    AppendRequest,
    NewEvent,
    OutboxMessage,
    Position,
    RecordedEvent,
    WriteContext,
    recorded_event,
)
from infra.event_store.store import PAGE, EventStore, read_all, read_tenant

__all__ = [
    "EVENT_COLUMNS",
    "MAX_BATCH",
    "PAGE",
    "AggregateNotFoundError",
    "AppendFailedError",
    "AppendRequest",
    "AppendStatus",
    "Appended",
    "EventStore",
    "IdempotencyKeyReusedError",
    "NewEvent",
    "OutboxMessage",
    "Position",
    "RecordedEvent",
    "StreamConflictError",
    "UnknownTenantError",
    "WriteContext",
    "read_all",
    "read_tenant",
    "recorded_event",
]
