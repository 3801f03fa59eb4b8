from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import msgspec
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from domain.codes import ActivityKind
from infra.codec import EventMapper

CLERK = UUID(int=42)


class Lesson(Aggregate):
    """A test-only aggregate whose event went through a schema change."""

    class Held(Aggregate.Event):
        class_version = 2  # v2 added held_by
        held_on: date
        held_by: UUID

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["held_by"] = str(CLERK)  # JSON-level; the codec restores the type


def test_an_old_payload_is_upcast_and_gets_its_field_types() -> None:
    v1 = msgspec.json.encode({"timestamp": "2023-05-10T01:02:03Z", "held_on": "2023-05-10"})
    stream = uuid4()
    event = EventMapper().to_domain_event(StoredEvent(stream, 3, f"{__name__}:Lesson.Held", v1))
    assert isinstance(event, Lesson.Held)
    assert (event.originator_id, event.originator_version) == (stream, 3)
    assert event.held_on == date(2023, 5, 10)
    assert event.held_by == CLERK
    assert isinstance(event.held_by, UUID)


def test_a_current_payload_records_its_class_version_and_decodes_back() -> None:
    mapper = EventMapper()
    event = cast("Any", Lesson.Held)(  # the library makes the dataclass; mypy cannot see it
        originator_id=uuid4(),
        originator_version=2,
        timestamp=Lesson.Held.create_timestamp(),
        held_on=date(2024, 3, 1),
        held_by=uuid4(),
    )
    stored = mapper.to_stored_event(event)
    assert msgspec.json.decode(stored.state)["class_version"] == 2
    assert mapper.to_domain_event(stored) == event


@dataclass(frozen=True)
class Stipend:
    """A nested value, as a subsidy (¥200 a person a month) would be recorded."""

    amount: Decimal
    months: int


class Grant(Aggregate):
    """A test-only aggregate with every kind of field the codec must restore exactly."""

    class Paid(Aggregate.Event):
        amount: Decimal
        paid_at: datetime
        paid_on: date
        payee: UUID
        kind: ActivityKind
        stipends: tuple[Stipend, ...]
        note: str | None


def test_decimal_datetime_enum_and_nested_fields_come_back_exactly() -> None:
    mapper = EventMapper()
    event = cast("Any", Grant.Paid)(
        originator_id=uuid4(),
        originator_version=1,
        timestamp=Grant.Paid.create_timestamp(),
        amount=Decimal("2000.10"),
        paid_at=datetime(2024, 1, 31, 8, 30, 15, 123456, tzinfo=UTC),
        paid_on=date(2024, 1, 31),
        payee=uuid4(),
        kind=ActivityKind.SENDING_LESSONS,
        stipends=(Stipend(Decimal("200.00"), 10), Stipend(Decimal("0.5"), 1)),
        note=None,
    )
    restored = mapper.to_domain_event(mapper.to_stored_event(event))
    assert restored == event
    assert type(restored.amount) is Decimal
    assert str(restored.amount) == "2000.10"  # the scale survives, not only the value
    assert restored.paid_at.tzinfo is not None
    assert restored.kind is ActivityKind.SENDING_LESSONS
    assert type(restored.stipends[0]) is Stipend
    assert type(restored.stipends[0].amount) is Decimal
