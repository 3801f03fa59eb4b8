"""The School aggregate: a school (学校) of the county."""

import re
from datetime import date
from typing import Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import SchoolLocation, SchoolStage
from domain.community.errors import SchoolClosedError, SchoolUnchangedError
from domain.errors import InvalidValueError
from domain.periods import check_in_range

NAME_LIMIT = 100
CODE_LIMIT = 32
DISTRICT_LIMIT = 100
REASON_LIMIT = 500
_CODE = re.compile(r"[A-Za-z0-9_-]+")


class School(Aggregate):
    """A school (学校) of the county; its stream id derives from its code (see `id_for`)."""

    class Registered(Aggregate.Created):
        name: str
        code: str
        stage: SchoolStage
        location: SchoolLocation
        district: str
        registered_by: UUID

    class Renamed(Aggregate.Event):
        name: str
        reason: str
        renamed_by: UUID

    class Closed(Aggregate.Event):
        closed_on: date
        reason: str
        closed_by: UUID

    @staticmethod
    def id_for(namespace: UUID, code: str) -> UUID:
        """One id per code within a county's namespace: registering a code twice hits one stream."""
        return uuid5(namespace, code.strip().upper())

    @classmethod
    def register(
        cls,
        *,
        namespace: UUID,
        name: str,
        code: str,
        stage: SchoolStage,
        location: SchoolLocation,
        district: str,
        by: UUID,
    ) -> Self:
        name = required(name, field="name", limit=NAME_LIMIT)
        code = required(code, field="code", limit=CODE_LIMIT)
        if not _CODE.fullmatch(code):
            raise InvalidValueError(field="code", reason="bad_characters", value=code)
        district = optional(district, field="district", limit=DISTRICT_LIMIT)
        return cls(
            id=cls.id_for(namespace, code),
            name=name,
            code=code,
            stage=stage,
            location=location,
            district=district,
            registered_by=by,
        )

    @event(Registered)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        name: str,
        code: str,
        stage: SchoolStage,
        location: SchoolLocation,
        district: str,
        registered_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.name = name
        self.code = code
        self.stage = stage
        self.location = location
        self.district = district
        self.closed_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def rename(self, name: str, reason: str, by: UUID) -> None:
        self._check_open()
        name = required(name, field="name", limit=NAME_LIMIT)
        if name == self.name:
            raise SchoolUnchangedError(school_id=self.id, name=name)
        reason = optional(reason, field="reason", limit=REASON_LIMIT)
        self._renamed(name=name, reason=reason, renamed_by=by)

    def close(self, on: date, reason: str, by: UUID) -> None:
        check_in_range("closed_on", on)
        self._check_open()
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._closed(closed_on=on, reason=reason, closed_by=by)

    def _check_open(self) -> None:
        if self.closed_on is not None:
            raise SchoolClosedError(school_id=self.id, closed_on=self.closed_on)

    @event(Renamed)
    def _renamed(
        self,
        *,
        name: str,
        reason: str,  # noqa: ARG002 (kept in the event only)
        renamed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.name = name

    @event(Closed)
    def _closed(
        self,
        *,
        closed_on: date,
        reason: str,  # noqa: ARG002 (kept in the event only)
        closed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.closed_on = closed_on
