"""Why the store refused a command or found nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID


class StreamConflictError(Exception):
    """The stream moved on since the writer read it: reload and decide again."""

    def __init__(self, stream_id: UUID, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream_id} is at version {actual}, not {expected}")
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


class IdempotencyKeyReusedError(Exception):
    """The idempotency key was first used for a different command."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was already used for a different request")
        self.key = key


class AggregateNotFoundError(Exception):
    def __init__(self, stream_id: UUID) -> None:
        super().__init__(f"no stream {stream_id}")
        self.stream_id = stream_id


class UnknownTenantError(Exception):
    def __init__(self, tenant_id: UUID) -> None:
        super().__init__(f"no tenant {tenant_id}")
        self.tenant_id = tenant_id


class AppendFailedError(Exception):
    """The database refused this command's rows (a trigger, a constraint, a cast).

    Only this command is undone; the others of its group commit are appended.
    """

    def __init__(self, stream_id: UUID, sqlstate: str, message: str) -> None:
        super().__init__(f"the database refused stream {stream_id}'s events: {message}")
        self.stream_id, self.sqlstate, self.message = stream_id, sqlstate, message
