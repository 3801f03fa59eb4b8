"""The Project aggregate: a research project (课题) from application to its conclusion."""

from collections.abc import Sequence
from datetime import date
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import ProjectStage, ResearchLevel, Subject
from domain.community.community import Community
from domain.community.errors import DuplicateSubjectError
from domain.community.school import School
from domain.research.checks import check_day, check_schools, check_teachers
from domain.research.errors import NoOwnerSchoolError, ProjectStageError

TITLE_LIMIT = 200
REFERENCE_LIMIT = 100
NOTE_LIMIT = 2000
REASON_LIMIT = 500


class Project(Aggregate):
    """A 课题 owned by one school, or jointly by several (共同研究课题), maybe of a community.

    Participants are teachers named by their ids in the staff context. Stages go applied →
    approved (at a level, which may differ from the one applied for) → concluded; an applied
    or approved project may be abandoned with a reason.
    """

    class Applied(Aggregate.Created):
        title: str
        owner_school_ids: tuple[UUID, ...]
        community_id: UUID | None
        participant_ids: tuple[UUID, ...]
        subjects: tuple[Subject, ...]
        level: ResearchLevel  # the level applied at
        applied_on: date
        note: str
        applied_by: UUID

    class Approved(Aggregate.Event):
        level: ResearchLevel
        approved_on: date
        reference: str  # 立项编号, may be blank
        approved_by: UUID

    class Concluded(Aggregate.Event):
        concluded_on: date
        note: str
        concluded_by: UUID

    class Abandoned(Aggregate.Event):
        abandoned_on: date
        reason: str
        abandoned_by: UUID

    @classmethod
    def apply(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        title: str,
        owners: Sequence[School],
        community: Community | None,
        participant_ids: Sequence[UUID],
        subjects: Sequence[Subject],
        level: ResearchLevel,
        applied_on: date,
        note: str,
        today: date,
        by: UUID,
    ) -> Self:
        title = required(title, field="project_title", limit=TITLE_LIMIT)
        note = optional(note, field="note", limit=NOTE_LIMIT)
        check_day("applied_on", applied_on, today=today)
        if not owners:
            raise NoOwnerSchoolError
        check_schools(owners, community, applied_on)
        check_teachers(participant_ids)
        seen: set[Subject] = set()
        for subject in subjects:
            if subject in seen:
                raise DuplicateSubjectError(subject=subject)
            seen.add(subject)
        return cls(
            id=id,
            title=title,
            owner_school_ids=tuple(school.id for school in owners),
            community_id=None if community is None else community.id,
            participant_ids=tuple(participant_ids),
            subjects=tuple(subjects),
            level=level,
            applied_on=applied_on,
            note=note,
            applied_by=by,
        )

    @event(Applied)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        title: str,
        owner_school_ids: tuple[UUID, ...],
        community_id: UUID | None,
        participant_ids: tuple[UUID, ...],
        subjects: tuple[Subject, ...],
        level: ResearchLevel,
        applied_on: date,
        note: str,
        applied_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.title = title
        self.owner_school_ids = owner_school_ids
        self.community_id = community_id
        self.participant_ids = participant_ids
        self.subjects = subjects
        self.applied_level = level
        self.applied_on = applied_on
        self.note = note
        self.stage = ProjectStage.APPLIED
        self.level: ResearchLevel | None = None  # the approved level
        self.approved_on: date | None = None
        self.reference = ""
        self.concluded_on: date | None = None
        self.conclusion = ""
        self.abandoned_on: date | None = None
        self.abandon_reason: str | None = None

    @property
    def is_joint(self) -> bool:
        return len(self.owner_school_ids) > 1

    @property
    def last_day(self) -> date:
        """The day of the latest stage."""
        return self.approved_on or self.applied_on

    def approve(
        self, level: ResearchLevel, on: date, reference: str, today: date, by: UUID
    ) -> None:
        self._check_stage("approve", ProjectStage.APPLIED)
        reference = optional(reference, field="reference", limit=REFERENCE_LIMIT)
        check_day("approved_on", on, today=today, after=self.applied_on)
        self._approved(level=level, approved_on=on, reference=reference, approved_by=by)

    def conclude(self, on: date, note: str, today: date, by: UUID) -> None:
        self._check_stage("conclude", ProjectStage.APPROVED)
        note = optional(note, field="note", limit=NOTE_LIMIT)
        check_day("concluded_on", on, today=today, after=self.last_day)
        self._concluded(concluded_on=on, note=note, concluded_by=by)

    def abandon(self, on: date, reason: str, today: date, by: UUID) -> None:
        self._check_stage("abandon", ProjectStage.APPLIED, ProjectStage.APPROVED)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        check_day("abandoned_on", on, today=today, after=self.last_day)
        self._abandoned(abandoned_on=on, reason=reason, abandoned_by=by)

    def _check_stage(self, action: str, *allowed: ProjectStage) -> None:
        if self.stage not in allowed:
            raise ProjectStageError(project_id=self.id, stage=self.stage, action=action)

    @event(Approved)
    def _approved(
        self,
        *,
        level: ResearchLevel,
        approved_on: date,
        reference: str,
        approved_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.stage = ProjectStage.APPROVED
        self.level = level
        self.approved_on = approved_on
        self.reference = reference

    @event(Concluded)
    def _concluded(
        self,
        *,
        concluded_on: date,
        note: str,
        concluded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.stage = ProjectStage.CONCLUDED
        self.concluded_on = concluded_on
        self.conclusion = note

    @event(Abandoned)
    def _abandoned(
        self,
        *,
        abandoned_on: date,
        reason: str,
        abandoned_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.stage = ProjectStage.ABANDONED
        self.abandoned_on = abandoned_on
        self.abandon_reason = reason
