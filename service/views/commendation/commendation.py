"""A commendation, whole and as the list shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.commendation.commendation_list import commendation_row
from service.views.labels import text

if TYPE_CHECKING:
    from domain.commendation.commendation import Commendation
    from projections.commendation.commendation_list import CommendationRow


class CommendationSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    kind_label: str
    year: int
    title: str
    teacher_id: UUID | None
    school_id: UUID | None
    community_id: UUID | None
    awarded_on: date
    is_revoked: bool
    version: int


class CommendationView(CommendationSummary, frozen=True, kw_only=True):
    basis: str
    document: str
    revoke_reason: str | None


def commendation_summary(row: CommendationRow, lang: str) -> CommendationSummary:
    return CommendationSummary(
        id=row.commendation_id,
        kind=row.kind.value,
        kind_label=text(row.kind, lang),
        year=row.year,
        title=row.title,
        teacher_id=row.teacher_id,
        school_id=row.school_id,
        community_id=row.community_id,
        awarded_on=row.awarded_on,
        is_revoked=row.is_revoked,
        version=row.version,
    )


def commendation_view(commendation: Commendation, lang: str) -> CommendationView:
    summary = commendation_summary(commendation_row(commendation), lang)
    return CommendationView(
        **msgspec.structs.asdict(summary),
        basis=commendation.basis,
        document=commendation.document,
        revoke_reason=commendation.revoke_reason,
    )


class CommendationPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[CommendationSummary]
    next_cursor: str | None
