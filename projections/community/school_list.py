"""The county's schools (学校) as they stand: what lists and names of schools are read from."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import SchoolLocation, SchoolStage
from domain.community.school import School
from projections.base import Projection


class SchoolRow(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    name: str
    code: str
    stage: SchoolStage
    location: SchoolLocation
    district: str
    closed_on: date | None
    version: int

    @property
    def id(self) -> UUID:
        return self.school_id

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


def evolve(row: SchoolRow | None, event: Any) -> SchoolRow | None:  # noqa: ANN401 - any event
    match event:
        case School.Registered():
            return SchoolRow(
                school_id=event.originator_id,
                name=event.name,
                code=event.code,
                stage=event.stage,
                location=event.location,
                district=event.district,
                closed_on=None,
                version=event.originator_version,
            )
        case School.Renamed() if row is not None:
            return msgspec.structs.replace(row, name=event.name, version=event.originator_version)
        case School.Closed() if row is not None:
            return msgspec.structs.replace(
                row, closed_on=event.closed_on, version=event.originator_version
            )
        case _:
            return row


school_list = Projection(
    name="school_list", aggregate=School, row_type=SchoolRow, key="school_id", evolve=evolve
)
