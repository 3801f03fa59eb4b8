"""Events to stored bytes and back: eventsourcing's mapper with a msgspec transcoder."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, cast
from uuid import UUID

import msgspec
from eventsourcing.persistence import (
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import resolve_topic

from domain._topics import register_renamed_topics

DomainEvent = Any  # eventsourcing's event classes are dataclasses made at class creation


class MsgspecTranscoder(Transcoder):
    """JSON via msgspec: UUID, date, datetime, Decimal, enums and dataclasses encode natively."""

    def __init__(self) -> None:
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder()

    def encode(self, obj: Any) -> bytes:
        return self._encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        return self._decoder.decode(data)


class EventMapper(Mapper[UUID]):
    """The library's mapper, but events are rebuilt by msgspec from the class's annotations.

    The library's own rebuild keeps JSON types (a UUID stays a str); converting the upcast
    state into the event class restores every field type exactly, nested values included.
    """

    def __init__(self) -> None:
        super().__init__(transcoder=MsgspecTranscoder())
        register_renamed_topics()
        self._typed: dict[str, _TypedDecoder] = {}

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEvent:
        return self.decode(
            stored_event.topic,
            stored_event.state,
            stored_event.originator_id,
            stored_event.originator_version,
        )

    def decode(self, topic: str, state: bytes, originator_id: Any, version: int) -> DomainEvent:
        """The domain event stored as `state` under `topic`, field types restored."""
        if not (self.cipher or self.compressor):
            typed = self._typed.get(topic)
            if typed is None:
                typed = self._typed[topic] = _TypedDecoder(resolve_topic(topic))
            event = typed.decode(state, originator_id, version)
            if event is not None:
                return event
        return self._upcast_and_convert(StoredEvent(originator_id, version, topic, state))

    def _upcast_and_convert(self, stored_event: StoredEvent) -> DomainEvent:
        cls = resolve_topic(stored_event.topic)
        state = stored_event.state
        try:
            if self.cipher:
                state = self.cipher.decrypt(state)
            if self.compressor:
                state = self.compressor.decompress(state)
            event_state: dict[str, Any] = self.transcoder.decode(state)
            from_version = event_state.pop("class_version", 1)
            class_version = getattr(cls, "class_version", 1)
            while from_version < class_version:
                getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
                from_version += 1
            event_state["originator_id"] = stored_event.originator_id
            event_state["originator_version"] = stored_event.originator_version
            return msgspec.convert(event_state, type=cls)
        except (msgspec.ValidationError, ValueError, TypeError, AttributeError) as e:
            msg = (
                f"cannot decode event {stored_event.topic} of {stored_event.originator_id} "
                f"v{stored_event.originator_version}: {e}"
            )
            raise MapperDeserialisationError(msg) from e


class _TypedDecoder:
    """Decodes a current-version payload straight into the event's field types (the fast path).

    A payload of an older class version, or one that does not fit, returns None and takes the
    upcasting path instead.
    """

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.class_version: int = getattr(cls, "class_version", 1)
        hints = typing.get_type_hints(cls)
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for f in dataclasses.fields(cls):
            if f.name in ("originator_id", "originator_version"):
                continue
            if f.default is not dataclasses.MISSING:
                fields.append((f.name, hints[f.name], f.default))
            elif f.default_factory is not dataclasses.MISSING:
                fields.append(
                    (f.name, hints[f.name], msgspec.field(default_factory=f.default_factory))
                )
            else:
                fields.append((f.name, hints[f.name]))
        mirror = msgspec.defstruct(
            f"{cls.__qualname__}Payload", [*fields, ("class_version", int, 1)], kw_only=True
        )
        self._decoder = msgspec.json.Decoder(mirror)

    def decode(self, state: bytes, originator_id: Any, version: int) -> DomainEvent | None:
        try:
            payload = self._decoder.decode(state)
        except msgspec.ValidationError:
            return None
        if getattr(payload, "class_version", 1) != self.class_version:
            return None
        values = msgspec.structs.asdict(payload)
        del values["class_version"]
        values["originator_id"] = originator_id
        values["originator_version"] = version
        # As eventsourcing's own mapper builds events: frozen dataclasses, state set directly.
        event: DomainEvent = object.__new__(self.cls)
        object.__setattr__(event, "__dict__", values)
        return event


def schema_version_of(event: DomainEvent) -> int:
    """The event class's schema version (eventsourcing's `class_version`)."""
    return cast("int", getattr(type(event), "class_version", 1))


def to_json_builtins(event: DomainEvent) -> dict[str, Any]:
    """An event's fields as JSON-ready values, for audit answers."""
    return cast("dict[str, Any]", msgspec.to_builtins(dict(vars(event))))
