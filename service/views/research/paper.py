"""A paper (论文): whole, and as the list shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.research.paper_list import paper_row
from service.views.labels import text

if TYPE_CHECKING:
    from domain.research.paper import Paper
    from projections.research.paper_list import PaperRow


class PaperSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    title: str
    school_id: UUID
    community_id: UUID | None
    project_id: UUID | None
    author_ids: list[UUID]
    level: str
    level_label: str
    outcome: str
    outcome_label: str
    award_grade: str
    venue: str
    dated_on: date
    school_year: str
    is_void: bool
    version: int


class PaperView(PaperSummary, frozen=True, kw_only=True):
    void_reason: str | None


def paper_summary(row: PaperRow, lang: str) -> PaperSummary:
    return PaperSummary(
        id=row.paper_id,
        title=row.title,
        school_id=row.school_id,
        community_id=row.community_id,
        project_id=row.project_id,
        author_ids=list(row.author_ids),
        level=row.level.value,
        level_label=text(row.level, lang),
        outcome=row.outcome.value,
        outcome_label=text(row.outcome, lang),
        award_grade=row.award_grade,
        venue=row.venue,
        dated_on=row.dated_on,
        school_year=row.school_year,
        is_void=row.is_void,
        version=row.version,
    )


def paper_view(paper: Paper, lang: str) -> PaperView:
    summary = paper_summary(paper_row(paper), lang)
    return PaperView(**msgspec.structs.asdict(summary), void_reason=paper.void_reason)


class PaperPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[PaperSummary]
    next_cursor: str | None
