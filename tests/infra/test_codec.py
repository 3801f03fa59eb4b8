from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

import msgspec
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

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
