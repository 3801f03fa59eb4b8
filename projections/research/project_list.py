"""Research projects (课题) as they stand, one row per project.

A project counts in the school year of its application.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import ProjectStage, ResearchLevel, Subject
from domain.periods import school_year_of
from domain.research.project import Project
from projections.base import Projection


class ProjectRow(msgspec.Struct, frozen=True, kw_only=True):
    project_id: UUID
    title: str
    owner_school_ids: tuple[UUID, ...]
    community_id: UUID | None
    participant_ids: tuple[UUID, ...]
    subjects: tuple[Subject, ...]
    stage: ProjectStage
    applied_level: ResearchLevel
    level: ResearchLevel | None  # the approved level
    applied_on: date
    approved_on: date | None
    concluded_on: date | None
    abandoned_on: date | None
    school_year: str  # of the application
    is_joint: bool
    version: int


def project_row(project: Project) -> ProjectRow:
    """The row of a project as its aggregate stands (the list's row once folded)."""
    return ProjectRow(
        project_id=project.id,
        title=project.title,
        owner_school_ids=project.owner_school_ids,
        community_id=project.community_id,
        participant_ids=project.participant_ids,
        subjects=project.subjects,
        stage=project.stage,
        applied_level=project.applied_level,
        level=project.level,
        applied_on=project.applied_on,
        approved_on=project.approved_on,
        concluded_on=project.concluded_on,
        abandoned_on=project.abandoned_on,
        school_year=school_year_of(project.applied_on).code,
        is_joint=project.is_joint,
        version=project.version,
    )


def evolve(row: ProjectRow | None, event: Any) -> ProjectRow | None:  # noqa: ANN401 - any event
    version = event.originator_version
    match event:
        case Project.Applied():
            return ProjectRow(
                project_id=event.originator_id,
                title=event.title,
                owner_school_ids=event.owner_school_ids,
                community_id=event.community_id,
                participant_ids=event.participant_ids,
                subjects=event.subjects,
                stage=ProjectStage.APPLIED,
                applied_level=event.level,
                level=None,
                applied_on=event.applied_on,
                approved_on=None,
                concluded_on=None,
                abandoned_on=None,
                school_year=school_year_of(event.applied_on).code,
                is_joint=len(event.owner_school_ids) > 1,
                version=version,
            )
        case Project.Approved() if row is not None:
            return msgspec.structs.replace(
                row,
                stage=ProjectStage.APPROVED,
                level=event.level,
                approved_on=event.approved_on,
                version=version,
            )
        case Project.Concluded() if row is not None:
            return msgspec.structs.replace(
                row, stage=ProjectStage.CONCLUDED, concluded_on=event.concluded_on, version=version
            )
        case Project.Abandoned() if row is not None:
            return msgspec.structs.replace(
                row, stage=ProjectStage.ABANDONED, abandoned_on=event.abandoned_on, version=version
            )
        case _:
            return row


project_list = Projection(
    name="project_list", aggregate=Project, row_type=ProjectRow, key="project_id", evolve=evolve
)
