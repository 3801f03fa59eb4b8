"""Events are a schema: only JSON-safe field types, and a JSON round trip restores them exactly."""

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import msgspec
import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate

from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from tests.domain.support import CLERK, TODAY, community, facts, school

AGGREGATES: list[type[Aggregate]] = [School, Community, Activity]
EVENTS: list[type[Aggregate.Event]] = [
    value
    for aggregate in AGGREGATES
    for name, value in vars(aggregate).items()
    if isinstance(value, type)
    and issubclass(value, Aggregate.Event)
    and name not in {"Event", "Created"}  # the library's bases, redefined on each aggregate
]
# Set by the library and the store, not by the domain (originator_id is typed by a TypeVar).
BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}
SCALARS = (str, int, bool, UUID, date, datetime)


def allowed(annotation: Any) -> bool:
    """Whether a codec that restores types from annotations gets this field back exactly."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is types.UnionType:
        return len(args) == 2 and type(None) in args and all(map(allowed, args))
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis and allowed(args[0])
    if annotation is type(None) or annotation in SCALARS:
        return True
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return True
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        frozen = annotation.__dataclass_params__.frozen  # type: ignore[attr-defined]  # not in typeshed
        hints = typing.get_type_hints(annotation)
        return bool(frozen) and all(allowed(hints[f.name]) for f in dataclasses.fields(annotation))
    return False


def test_every_aggregate_names_its_events_in_the_past_tense() -> None:
    assert sorted(e.__qualname__ for e in EVENTS) == [
        "Activity.Corrected",
        "Activity.Recorded",
        "Activity.Voided",
        "Community.Dissolved",
        "Community.Formed",
        "Community.MemberSchoolJoined",
        "Community.MemberSchoolLeft",
        "School.Closed",
        "School.Registered",
        "School.Renamed",
    ]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__qualname__)
def test_event_fields_use_only_json_safe_types(event: type[Aggregate.Event]) -> None:
    hints = typing.get_type_hints(event)
    for field in dataclasses.fields(event):
        if field.name not in BASE_FIELDS:
            annotation = hints[field.name]
            assert allowed(annotation), f"{event.__qualname__}.{field.name}: {annotation}"


def identical(restored: object, original: object) -> bool:
    """Equal and of the same types all the way down (a StrEnum equals its plain string)."""
    if type(restored) is not type(original):
        return False
    if isinstance(original, tuple):
        assert isinstance(restored, tuple)
        return len(restored) == len(original) and all(map(identical, restored, original))
    if dataclasses.is_dataclass(original):
        return all(
            identical(getattr(restored, f.name), getattr(original, f.name))
            for f in dataclasses.fields(original)
        )
    return restored == original


def every_kind_of_event() -> list[CanMutateAggregate[UUID]]:
    lead, town, village = school("CG-01"), school("XZ-02"), school("CZ-03")
    later = school("CZ-04")
    lead.rename("Chengguan Central Primary", "renamed", by=CLERK)
    group = community(lead, (town, village))
    group.join(later, TODAY, by=CLERK)
    later.close(TODAY, "merged", by=CLERK)
    group.leave(village.id, TODAY, "merged", by=CLERK)
    activity = Activity.record(
        id=UUID(int=7), community=group, facts=facts(lead.id, town.id), today=TODAY, by=CLERK
    )
    activity.correct(group, facts(lead.id, town.id, note="fixed"), "note", TODAY, by=CLERK)
    activity.void("duplicate", by=CLERK)
    group.dissolve(TODAY, "merged", by=CLERK)
    return [
        *lead.collect_events(),
        *later.collect_events(),
        *group.collect_events(),
        *activity.collect_events(),
    ]


def test_every_event_survives_a_json_round_trip_exactly() -> None:
    events = every_kind_of_event()
    assert {type(e) for e in events} == set(EVENTS)
    for event in events:
        state = msgspec.json.decode(msgspec.json.encode(vars(event)))
        state["originator_id"] = event.originator_id  # the store keeps it in its own column
        restored = msgspec.convert(state, type=type(event))
        assert restored == event
        for name, value in vars(event).items():
            assert identical(getattr(restored, name), value), f"{type(event).__qualname__}.{name}"
