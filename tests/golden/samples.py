"""Golden samples: one stored form per event class and version, kept as files forever."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import StoredEvent

from infra.codec import EventMapper

FOLDER = Path(__file__).parent / "events"


class Sample(msgspec.Struct, frozen=True, kw_only=True):
    topic: str
    class_version: int
    originator_id: UUID
    originator_version: int
    state: dict[str, Any]  # the stored JSON, as the codec wrote it

    def stored(self) -> StoredEvent:
        return StoredEvent(
            self.originator_id, self.originator_version, self.topic, msgspec.json.encode(self.state)
        )


def file_for(topic: str, class_version: int) -> Path:
    return FOLDER / f"{topic.replace(':', '.')}.v{class_version}.json"


def sample_of(event: Any, mapper: EventMapper) -> Sample:
    stored = mapper.to_stored_event(event)
    return Sample(
        topic=stored.topic,
        class_version=getattr(type(event), "class_version", 1),
        originator_id=UUID(str(stored.originator_id)),
        originator_version=stored.originator_version,
        state=msgspec.json.decode(stored.state),
    )


def load(path: Path) -> Sample:
    return msgspec.json.decode(path.read_bytes(), type=Sample)


def save(sample: Sample) -> Path:
    path = file_for(sample.topic, sample.class_version)
    path.write_bytes(msgspec.json.format(msgspec.json.encode(sample), indent=2) + b"\n")
    return path
