"""A school (学校): as one record and as the list shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from service.views.labels import text

if TYPE_CHECKING:
    from domain.community.school import School
    from projections.community.school_list import SchoolRow


class SchoolView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    code: str
    stage: str
    stage_label: str
    location: str
    location_label: str
    district: str
    is_open: bool
    closed_on: date | None
    version: int


def school_view(school: School | SchoolRow, lang: str) -> SchoolView:
    """A school as the event store rebuilds it, or as the lists hold it: the same view."""
    return SchoolView(
        id=school.id,
        name=school.name,
        code=school.code,
        stage=school.stage.value,
        stage_label=text(school.stage, lang),
        location=school.location.value,
        location_label=text(school.location, lang),
        district=school.district,
        is_open=school.is_open,
        closed_on=school.closed_on,
        version=school.version,
    )


class SchoolPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SchoolView]
    next_cursor: str | None  # None on the last page
