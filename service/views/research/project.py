"""A research project (课题): whole, and as the list shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.research.project_list import project_row
from service.views.community.activity import SubjectView
from service.views.labels import text

if TYPE_CHECKING:
    from domain.research.project import Project
    from projections.research.project_list import ProjectRow


class ProjectSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A project as lists show it; `level` is the approved level (None until approved)."""

    id: UUID
    title: str
    owner_school_ids: list[UUID]
    is_joint: bool
    community_id: UUID | None
    participant_ids: list[UUID]
    subjects: list[SubjectView]
    stage: str
    stage_label: str
    applied_level: str
    applied_level_label: str
    level: str | None
    level_label: str | None
    applied_on: date
    approved_on: date | None
    concluded_on: date | None
    abandoned_on: date | None
    school_year: str
    version: int


class ProjectView(ProjectSummary, frozen=True, kw_only=True):
    """A project whole: its approval number, notes and why it was abandoned."""

    reference: str
    note: str
    conclusion: str
    abandon_reason: str | None


def project_summary(row: ProjectRow, lang: str) -> ProjectSummary:
    return ProjectSummary(
        id=row.project_id,
        title=row.title,
        owner_school_ids=list(row.owner_school_ids),
        is_joint=row.is_joint,
        community_id=row.community_id,
        participant_ids=list(row.participant_ids),
        subjects=[SubjectView(code=s.value, label=text(s, lang)) for s in row.subjects],
        stage=row.stage.value,
        stage_label=text(row.stage, lang),
        applied_level=row.applied_level.value,
        applied_level_label=text(row.applied_level, lang),
        level=None if row.level is None else row.level.value,
        level_label=None if row.level is None else text(row.level, lang),
        applied_on=row.applied_on,
        approved_on=row.approved_on,
        concluded_on=row.concluded_on,
        abandoned_on=row.abandoned_on,
        school_year=row.school_year,
        version=row.version,
    )


def project_view(project: Project, lang: str) -> ProjectView:
    """The project as the event store rebuilds it; its summary is what the list would show."""
    summary = project_summary(project_row(project), lang)
    return ProjectView(
        **msgspec.structs.asdict(summary),
        reference=project.reference,
        note=project.note,
        conclusion=project.conclusion,
        abandon_reason=project.abandon_reason,
    )


class ProjectPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ProjectSummary]
    next_cursor: str | None
