"""Events through the store's codec: exact types both ways, and every old sample still decodes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from eventsourcing.utils import resolve_topic

from infra.codec import EventMapper
from tests.domain.test_events import EVENTS, every_kind_of_event, identical
from tests.golden.samples import FOLDER, file_for, load, sample_of

if TYPE_CHECKING:
    from pathlib import Path

MAPPER = EventMapper()


def test_every_event_class_round_trips_through_the_mapper_with_exact_types() -> None:
    events = every_kind_of_event()
    assert {type(e) for e in events} == set(EVENTS)
    for event in events:
        restored = MAPPER.to_domain_event(MAPPER.to_stored_event(event))
        assert restored == event
        for name, value in vars(event).items():
            assert identical(getattr(restored, name), value), f"{type(event).__qualname__}.{name}"


def test_every_event_class_version_has_a_golden_sample() -> None:
    missing = [
        f"{event.__qualname__} v{getattr(event, 'class_version', 1)}"
        for event in EVENTS
        if not file_for(
            f"{event.__module__}:{event.__qualname__}", getattr(event, "class_version", 1)
        ).exists()
    ]
    assert not missing, f"run `python -m tests.golden.record` to add samples for {missing}"


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.json")), ids=lambda p: p.name)
def test_a_golden_sample_decodes_into_todays_class(path: Path) -> None:
    sample = load(path)
    event = MAPPER.to_domain_event(sample.stored())
    today = type(event)
    # A sample of a moved class keeps its old topic, which resolves to today's class.
    assert resolve_topic(sample.topic) is today
    moved = f"{today.__module__}:{today.__qualname__}" != sample.topic
    # What it decodes to must itself survive today's codec unchanged.
    again = MAPPER.to_domain_event(MAPPER.to_stored_event(event))
    for name, value in vars(event).items():
        assert identical(getattr(again, name), value), name
    if sample.class_version == getattr(today, "class_version", 1):
        state = sample_of(event, MAPPER).state
        if moved and "originator_topic" in sample.state:  # a created event names its aggregate
            assert resolve_topic(sample.state["originator_topic"]) is resolve_topic(
                state["originator_topic"]
            )
            state["originator_topic"] = sample.state["originator_topic"]
        assert state == sample.state
