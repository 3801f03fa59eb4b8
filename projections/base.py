"""What a projection is: one row per stream, folded from that stream's events, and its tallies.

The same `evolve` serves the live tables (the runner) and an in-memory replay; a tally is a
count of rows by a key, kept in the tables by adding the change each event makes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec
from eventsourcing.utils import get_topic

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from uuid import UUID

    from eventsourcing.domain import Aggregate

R = TypeVar("R", bound=msgspec.Struct)
K = TypeVar("K", bound=msgspec.Struct)


@dataclass(frozen=True)
class Tally(Generic[R, K]):
    """How many rows there are by `key(row)` (None: the row is not counted)."""

    name: str  # also its table's name; the key's fields are the table's key columns
    key_type: type[K]
    key: Callable[[R], K | None]

    def of(self, rows: Iterable[R]) -> Counter[K]:
        """The tally of `rows`, as the table holds it for the same rows."""
        counts: Counter[K] = Counter()
        for row in rows:
            found = self.key(row)
            if found is not None:
                counts[found] += 1
        return counts

    def change(self, before: R | None, after: R | None) -> Counter[K]:
        """What a row going from `before` to `after` adds to the tally (-1, +1 or nothing)."""
        change: Counter[K] = Counter()
        old = None if before is None else self.key(before)
        new = None if after is None else self.key(after)
        if old != new:
            if old is not None:
                change[old] -= 1
            if new is not None:
                change[new] += 1
        return change


@dataclass(frozen=True)
class Projection(Generic[R]):
    """Rows of one aggregate's streams: `evolve(row, event)` gives the row after the event.

    `evolve` gets None before a stream's first event and may return None (no row); it is pure,
    so replaying the same events gives the same rows.
    """

    name: str  # its checkpoint's name and its table's name
    aggregate: type[Aggregate]  # whose streams it follows
    row_type: type[R]
    key: str  # the row's field that holds the stream id (the table's key column)
    evolve: Callable[[R | None, Any], R | None]
    tallies: tuple[Tally[R, Any], ...] = ()

    @property
    def stream_type(self) -> str:
        return get_topic(self.aggregate)

    def follows(self, event: object) -> bool:
        """Whether `event` is one of this projection's aggregate's events."""
        # eventsourcing makes every event class of an aggregate a subclass of its `Event`.
        return isinstance(event, self.aggregate.Event)

    def replay(self, events: Iterable[Any], rows: Mapping[UUID, R] | None = None) -> dict[UUID, R]:
        """The rows after `events` (domain events in log order), starting from `rows`."""
        state = dict(rows or {})
        for event in events:
            if not self.follows(event):
                continue
            stream_id = event.originator_id
            after = self.evolve(state.get(stream_id), event)
            if after is None:
                state.pop(stream_id, None)
            else:
                state[stream_id] = after
        return state
