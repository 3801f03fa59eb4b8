"""Papers (论文) as they stand, one row per paper; a voided one stays, marked."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import PaperOutcome, ResearchLevel
from domain.periods import school_year_of
from domain.research.paper import Paper
from projections.base import Projection


class PaperRow(msgspec.Struct, frozen=True, kw_only=True):
    paper_id: UUID
    title: str
    school_id: UUID
    community_id: UUID | None
    project_id: UUID | None
    author_ids: tuple[UUID, ...]
    level: ResearchLevel
    outcome: PaperOutcome
    award_grade: str
    venue: str
    dated_on: date
    school_year: str
    is_void: bool
    version: int


def _row(paper_id: UUID, event: Any, version: int) -> PaperRow:  # noqa: ANN401 - Paper.Recorded
    return PaperRow(
        paper_id=paper_id,
        title=event.title,
        school_id=event.school_id,
        community_id=event.community_id,
        project_id=event.project_id,
        author_ids=event.author_ids,
        level=event.level,
        outcome=event.outcome,
        award_grade=event.award_grade,
        venue=event.venue,
        dated_on=event.dated_on,
        school_year=school_year_of(event.dated_on).code,
        is_void=False,
        version=version,
    )


def paper_row(paper: Paper) -> PaperRow:
    """The row of a paper as its aggregate stands (the list's row once folded)."""
    row = _row(paper.id, paper, paper.version)
    return msgspec.structs.replace(row, is_void=paper.is_void)


def evolve(row: PaperRow | None, event: Any) -> PaperRow | None:  # noqa: ANN401 - any event
    match event:
        case Paper.Recorded():
            return _row(event.originator_id, event, event.originator_version)
        case Paper.Voided() if row is not None:
            return msgspec.structs.replace(row, is_void=True, version=event.originator_version)
        case _:
            return row


paper_list = Projection(
    name="paper_list", aggregate=Paper, row_type=PaperRow, key="paper_id", evolve=evolve
)
