"""A small aggregate for store tests, independent of the real domain's rules."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event


class Tally(Aggregate):
    class Opened(Aggregate.Created):
        name: str

    class Counted(Aggregate.Event):
        amount: int

    @event(Opened)
    def __init__(self, id: UUID, name: str) -> None:  # noqa: A002, ARG002 - the stream id
        self.name = name
        self.total = 0

    @classmethod
    def open(cls, name: str = "tally") -> Tally:
        return cls(id=uuid4(), name=name)

    def count(self, amount: int = 1) -> None:
        self._count(amount=amount)

    @event(Counted)
    def _count(self, amount: int) -> None:
        self.total += amount
