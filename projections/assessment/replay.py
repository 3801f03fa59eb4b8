"""A county's facts folded from its log: only the event types the fold reads, selected in SQL.

Each record's `known_at` is its event's `recorded_at` in the county's time zone, so "as known
on D" means by the end of D where the county is. Events are never edited, so a fold caught up
from the last sequence it saw equals a fold from the first event.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec
from eventsourcing.utils import get_topic

from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.activity import Activity
from domain.community.attendance import Attendance
from infra.fact_events import events_of_types
from projections.assessment.facts import HANDLED, CountyFacts
from projections.collection import no_collection

if TYPE_CHECKING:
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

    from infra.codec import EventMapper
    from infra.db import Connection

TOPICS = tuple(get_topic(cls) for cls in HANDLED)


# What the facts read of an action's record or correction (`action_fact`, `Action.refresh`, the
# review fold): nine in ten of a county's events, decoded without the rest (title, note,
# evidence files' names, who and why) at a third of the cost. Not tracked by the cyclic
# collector (`gc=False`): they hold no cycles, and a county's fold keeps some 50,000 of them.
class _Person(msgspec.Struct, gc=False):
    name: str
    school_id: UUID


class _Facts(msgspec.Struct, gc=False):
    kind: ActivityKind
    host_school_id: UUID
    participating_school_ids: tuple[UUID, ...]
    held_on: date
    subjects: tuple[Subject, ...]
    participants: tuple[_Person, ...]
    mode: ActivityMode
    evidence: tuple[msgspec.Raw, ...]  # counted, not read
    venue_school_id: UUID | None = None
    online_reason: str = ""
    follows_up: UUID | None = None
    attendance: tuple[Attendance, ...] = ()


class _Recorded(msgspec.Struct, gc=False):
    community_id: UUID
    facts: _Facts
    class_version: int = 1


class _Corrected(msgspec.Struct, gc=False):
    facts: _Facts
    class_version: int = 1


_SLIM: dict[str, tuple[Any, msgspec.json.Decoder[Any]]] = {
    get_topic(Activity.Recorded): (Activity.Recorded, msgspec.json.Decoder(_Recorded)),
    get_topic(Activity.Corrected): (Activity.Corrected, msgspec.json.Decoder(_Corrected)),
}


def decoded(mapper: EventMapper, topic: str, payload: bytes, stream_id: UUID, version: int) -> Any:  # noqa: ANN401 - any event
    """The event as the facts read it: an action's record or correction slim, others whole."""
    slim = _SLIM.get(topic)
    if slim is not None:
        cls, decoder = slim
        try:
            found = decoder.decode(payload)
        except msgspec.ValidationError:
            found = None  # not of the current shape: the codec upcasts it
        if found is not None and found.class_version == cls.class_version:
            event = object.__new__(cls)
            values = {
                "originator_id": stream_id,
                "originator_version": version,
                "facts": found.facts,
            }
            if isinstance(found, _Recorded):
                values["community_id"] = found.community_id
            object.__setattr__(event, "__dict__", values)  # as the codec builds events
            return event
    return mapper.decode(topic, payload, stream_id, version)


async def catch_up(  # noqa: PLR0917 - the fold, how to read it, and how far
    conn: Connection,
    tenant_id: UUID,
    fold: CountyFacts,
    mapper: EventMapper,
    zone: ZoneInfo,
    upto: int | None = None,
    before: Callable[[CountyFacts, object], None] | None = None,
) -> int:
    """Folds the county's events after `fold.last_seq` (up to `upto`); the number folded.

    `before(fold, event)` is called with each event before the fold applies it.
    """
    folded = 0
    while True:
        page = await events_of_types(conn, tenant_id, TOPICS, fold.last_seq, upto_seq=upto)
        with no_collection():
            for e in page:
                event = decoded(mapper, e.event_type, e.payload, e.stream_id, e.version)
                if before is not None:
                    before(fold, event)
                fold.apply(event, e.tenant_seq, e.recorded_at.astimezone(zone))
        folded += len(page)
        if not page:
            if upto is not None:
                fold.last_seq = max(fold.last_seq, upto)  # nothing it reads lies between
            return folded
