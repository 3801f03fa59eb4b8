"""The two kinds of projection: rows per stream (with tallies), and rows keyed by a question.

A `Projection` is one row per stream, folded from that stream's events; a tally counts its
rows by the keys each names. A `Keyed` projection holds rows keyed by what a question needs
(quality figures by school, subject, grade and period), each folded from the events of many
streams, of one aggregate or several. The same functions serve the live tables (the runner) and an
in-memory replay.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import msgspec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from uuid import UUID

    from eventsourcing.domain import Aggregate

R = TypeVar("R", bound=msgspec.Struct)

# (event class, aggregate) -> whether it is one of the aggregate's events. eventsourcing makes
# every event class of an aggregate a subclass of its `Event`; asked once per class, since the
# ABC's check per event was a tenth of a catch-up.
_EVENT_OF: dict[tuple[type, type], bool] = {}
K = TypeVar("K", bound=msgspec.Struct)


@dataclass(frozen=True)
class Tally(Generic[R, K]):
    """How many rows there are by key: `keys(row)` names where a row counts.

    None of them (a voided action), one (its community, year, term and kind) or several (each
    school it involves, in its month).
    """

    name: str  # also its table's name; the key's fields are the table's key columns
    key_type: type[K]
    keys: Callable[[R], tuple[K, ...]]

    def of(self, rows: Iterable[R]) -> Counter[K]:
        """The tally of `rows`, as the table holds it for the same rows."""
        counts: Counter[K] = Counter()
        for row in rows:
            counts.update(self.keys(row))
        return counts

    def add_change(self, into: Counter[K], before: R | None, after: R | None) -> None:
        """Adds to `into` what a row going from `before` to `after` adds (zeros may remain)."""
        old = () if before is None else self.keys(before)
        new = () if after is None else self.keys(after)
        if old != new:
            for key in old:
                into[key] -= 1
            for key in new:
                into[key] += 1


class TallyKeys(dict[Any, tuple[Any, ...]]):
    """A tally's keys made once for each value they come from, looked up by plain numbers.

    Emptied when it holds `kept`: a process that has seen many counties starts again.
    """

    def __init__(self, kept: int = 4096) -> None:
        super().__init__()
        self.kept = kept

    def keep(self, value: Any, keys: tuple[Any, ...]) -> tuple[Any, ...]:  # noqa: ANN401 - any value
        if len(self) >= self.kept:
            self.clear()
        self[value] = keys
        return keys


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
    def aggregates(self) -> frozenset[type[Aggregate]]:
        """Whose streams it follows, by class: events stored under a moved class's old topic too."""
        return frozenset((self.aggregate,))

    @property
    def tables(self) -> tuple[str, ...]:
        """Every table it writes: its rows' and its tallies'."""
        return (self.name, *(tally.name for tally in self.tallies))

    def follows(self, event: object) -> bool:
        """Whether `event` is one of this projection's aggregate's events."""
        kind: type = type(event)
        found = _EVENT_OF.get((kind, self.aggregate))
        if found is None:
            found = _EVENT_OF[kind, self.aggregate] = issubclass(kind, self.aggregate.Event)
        return found

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


class Step(NamedTuple):
    """One event with the memory of its stream before and after it (None: nothing kept)."""

    event: Any
    before: Any
    after: Any


class Marked(NamedTuple, Generic[K]):
    """A step and the keys of the rows it changes."""

    step: Step
    keys: frozenset[K]


class KeyedState(NamedTuple, Generic[K, R]):
    """What a keyed projection holds: its memory of each stream, and its rows by key."""

    memory: dict[str, dict[UUID, Any]]  # memory projection's name -> stream id -> row
    rows: dict[K, R]


@dataclass(frozen=True)
class Keyed(Generic[K, R]):
    """Rows keyed by what a question needs, each folded from the events of many streams.

    What the question must remember of each stream (where an action counted, so that its
    correction moves the count) is kept by `memory`, one per-stream projection for each
    aggregate it follows, in tables of their own under this projection's checkpoint. For each
    event, `keys(step)` names the rows it changes, given its stream's memory before and after,
    and `evolve(rows, step)` gives those rows after it (None: the row goes). Both are pure.
    """

    name: str  # its checkpoint's name and its table's name
    memory: tuple[Projection[Any], ...]
    key_type: type[K]  # its fields are the table's key columns, also fields of the row
    row_type: type[R]
    keys: Callable[[Step], Iterable[K]]
    evolve: Callable[[Mapping[K, R], Step], Mapping[K, R | None]]

    @property
    def aggregates(self) -> frozenset[type[Aggregate]]:
        return frozenset(m.aggregate for m in self.memory)

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.name, *(m.name for m in self.memory))

    def key_of(self, row: R) -> K:
        return self.key_type(
            **{name: getattr(row, name) for name in self.key_type.__struct_fields__}
        )

    def follows(self, event: object) -> bool:
        return any(m.follows(event) for m in self.memory)

    def steps(self, events: Iterable[Any], memory: dict[str, dict[UUID, Any]]) -> Iterator[Step]:
        """Each followed event with its stream's memory, moving `memory` on as it goes."""
        for event in events:
            for remembered in self.memory:
                if not remembered.follows(event):
                    continue
                streams = memory.setdefault(remembered.name, {})
                before = streams.get(event.originator_id)
                after = remembered.evolve(before, event)
                if after is None:
                    streams.pop(event.originator_id, None)
                else:
                    streams[event.originator_id] = after
                yield Step(event, before, after)

    def marked(self, events: Iterable[Any], memory: dict[str, dict[UUID, Any]]) -> list[Marked[K]]:
        """Each followed event's step with the keys of the rows it changes, moving `memory` on."""
        return [Marked(step, frozenset(self.keys(step))) for step in self.steps(events, memory)]

    def fold(self, marked: Iterable[Marked[K]], rows: Mapping[K, R]) -> dict[K, R]:
        """The rows after the `marked` steps, starting from `rows`."""
        state = dict(rows)
        for step, keys in marked:
            touched = {key: state[key] for key in keys if key in state}
            for key, row in self.evolve(touched, step).items():
                if row is None:
                    state.pop(key, None)
                else:
                    state[key] = row
        return state

    def replay(
        self, events: Iterable[Any], state: KeyedState[K, R] | None = None
    ) -> KeyedState[K, R]:
        """The memory and rows after `events` (domain events in log order), from `state`."""
        memory = {name: dict(streams) for name, streams in (state.memory if state else {}).items()}
        marked = self.marked(events, memory)
        return KeyedState(memory, self.fold(marked, state.rows if state else {}))


# What the runner keeps current: either kind.
ReadModel = Projection[Any] | Keyed[Any, Any]
