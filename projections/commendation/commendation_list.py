"""Commendations as they stand, one row per commendation; a revoked one stays, marked."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import CommendationKind
from domain.commendation.commendation import Commendation
from projections.base import Projection


class CommendationRow(msgspec.Struct, frozen=True, kw_only=True):
    commendation_id: UUID
    kind: CommendationKind
    year: int
    title: str
    teacher_id: UUID | None
    school_id: UUID | None
    community_id: UUID | None
    awarded_on: date
    is_revoked: bool
    version: int


def _row(commendation_id: UUID, source: Any, version: int) -> CommendationRow:  # noqa: ANN401
    return CommendationRow(
        commendation_id=commendation_id,
        kind=source.kind,
        year=source.year,
        title=source.title,
        teacher_id=source.teacher_id,
        school_id=source.school_id,
        community_id=source.community_id,
        awarded_on=source.awarded_on,
        is_revoked=False,
        version=version,
    )


def commendation_row(commendation: Commendation) -> CommendationRow:
    row = _row(commendation.id, commendation, commendation.version)
    return msgspec.structs.replace(row, is_revoked=commendation.is_revoked)


def evolve(row: CommendationRow | None, event: Any) -> CommendationRow | None:  # noqa: ANN401
    match event:
        case Commendation.Awarded():
            return _row(event.originator_id, event, event.originator_version)
        case Commendation.Revoked() if row is not None:
            return msgspec.structs.replace(row, is_revoked=True, version=event.originator_version)
        case _:
            return row


commendation_list = Projection(
    name="commendation_list",
    aggregate=Commendation,
    row_type=CommendationRow,
    key="commendation_id",
    evolve=evolve,
)
