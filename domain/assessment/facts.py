"""The plain records evaluation reads; an adapter fills them from the ledgers' read models.

Every record has `known_at`: when the store recorded it (the event's `recorded_at`). "As known
on D" keeps what was known by the end of D; "as happened" keeps everything and dates each record
by when it happened. Later changes (a void, a correction, a review) carry their own times.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from uuid import UUID

from domain.assessment.codes import CommunityRole
from domain.codes import (
    ActivityMode,
    AssignmentKind,
    AssignmentRole,
    BackboneLevel,
    CommunityType,
    Post,
    ResearchLevel,
    SchoolStage,
    Subject,
    TeacherTitle,
)


@dataclass(frozen=True)
class Reflection:
    person_id: UUID
    characters: int


@dataclass(frozen=True)
class Attendance:
    """Sign-in figures of an action: who was expected, who came, who came late or left early."""

    expected: int
    present: int
    late: int = 0
    left_early: int = 0
    written_leave: int = 0  # absences covered by a written leave request (seed 004 篇3 六2)


@dataclass(frozen=True)
class ActionFact:
    """One recorded community action (an activity), as its latest known version."""

    id: UUID
    community_id: UUID
    kind: str  # an ActivityKind code
    held_on: date
    known_at: datetime
    host_school_id: UUID
    participating_school_ids: tuple[UUID, ...] = ()
    place_school_id: UUID | None = None  # where it took place, when not at the host
    mode: ActivityMode = ActivityMode.ON_SITE
    subjects: tuple[Subject, ...] = ()
    presenter_ids: tuple[UUID, ...] = ()
    participant_ids: tuple[UUID, ...] = ()
    attendance: Attendance | None = None
    sign_in_sheet: bool = False
    reflections: tuple[Reflection, ...] = ()
    evidence_count: int = 0
    approved_at: datetime | None = None
    returned_at: datetime | None = None  # the last return in review, if any
    voided_at: datetime | None = None
    corrected_from: UUID | None = None  # the record this one corrects
    follow_up_of: UUID | None = None  # the action this one follows up (同步课堂 → 研讨)
    substitution_reason: str = ""
    project_id: UUID | None = None


@dataclass(frozen=True)
class AssignmentFact:
    """A person sent from one school to another for a term (支教, 跟岗, 跟班, 互派)."""

    id: UUID
    community_id: UUID | None
    person_id: UUID
    kind: AssignmentKind
    role: AssignmentRole
    from_school_id: UUID
    to_school_id: UUID
    starts_on: date
    planned_ends_on: date
    known_at: datetime
    actual_ends_on: date | None = None
    posts: tuple[Post, ...] = ()  # held at the host
    replaces_id: UUID | None = None  # the assignment whose holder this one replaced
    replacement_reason: str = ""
    subject: Subject | None = None


@dataclass(frozen=True)
class MentorshipFact:
    id: UUID
    mentor_id: UUID
    apprentice_id: UUID
    school_id: UUID  # the host school the mentor teaches at
    starts_on: date
    ends_on: date | None
    known_at: datetime


@dataclass(frozen=True)
class ProjectFact:
    """A research project (课题) at one stage; the stage's date is when it got there."""

    id: UUID
    community_id: UUID
    owner_school_ids: tuple[UUID, ...]
    level: ResearchLevel
    stage: str  # applied · approved · concluded
    on: date
    known_at: datetime
    participant_ids: tuple[UUID, ...] = ()
    subject: Subject | None = None
    theme: str = ""  # e.g. moral_education


@dataclass(frozen=True)
class PaperFact:
    id: UUID
    community_id: UUID
    school_id: UUID
    person_id: UUID
    level: ResearchLevel
    outcome: str  # awarded · exchanged · published
    on: date
    known_at: datetime


@dataclass(frozen=True)
class QualityFact:
    """One quality result: school x subject x grade x period (a semester or school-year code)."""

    school_id: UUID
    subject: Subject
    grade: int
    period: str
    pass_rate: float
    good_rate: float
    mean: float
    known_at: datetime


@dataclass(frozen=True)
class TeacherFact:
    id: UUID
    school_id: UUID
    birth_year: int
    known_at: datetime
    title: TeacherTitle | None = None
    backbone: BackboneLevel | None = None
    rotated_before: bool = False
    general_teacher_term_served: bool = False  # 服务期满的小学全科教师
    subjects: tuple[Subject, ...] = ()
    posts: tuple[Post, ...] = ()
    lead_of_subject: bool = False  # 学科带头人
    studio_host: bool = False  # 名师工作室主持人


@dataclass(frozen=True)
class Member:
    school_id: UUID
    role: CommunityRole
    joined_on: date
    left_on: date | None = None  # the first day no longer a member

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class Phase:
    name: str  # launch · implementation · long_term, or the county's own
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CommunityFact:
    id: UUID
    type: CommunityType
    lead_school_id: UUID
    members: tuple[Member, ...]
    starts_on: date
    ends_on: date
    known_at: datetime
    phases: tuple[Phase, ...] = ()
    agreement_starts_on: date | None = None
    agreement_ends_on: date | None = None

    @cached_property
    def sides(self) -> dict[UUID, str]:
        """Each school's side: "lead" or "member"."""
        return {**{m.school_id: "member" for m in self.members}, self.lead_school_id: "lead"}

    def member_ids(self, day: date) -> tuple[UUID, ...]:
        return tuple(m.school_id for m in self.members if m.covers(day))

    def role_of(self, school_id: UUID) -> CommunityRole | None:
        if school_id == self.lead_school_id:
            return CommunityRole.LEAD
        return next((m.role for m in self.members if m.school_id == school_id), None)


@dataclass(frozen=True)
class SchoolFact:
    id: UUID
    stage: SchoolStage
    known_at: datetime
    public: bool = True
    compulsory: bool = True
    hot: bool = False  # 热点学校 (seed 003)
    flags: frozenset[str] = frozenset()  # parent_school, parent_committee, ...


@dataclass(frozen=True)
class MoneyFact:
    """Money paid: a grant to a school or a subsidy to a person, for a purpose."""

    id: UUID
    purpose: str  # lead_grant · dispatch_subsidy · the county's own
    amount: int  # yuan
    paid_on: date
    known_at: datetime
    community_id: UUID | None = None
    school_id: UUID | None = None
    person_id: UUID | None = None


@dataclass(frozen=True)
class Facts:
    """A county's records, each list in any order."""

    communities: tuple[CommunityFact, ...] = ()
    schools: tuple[SchoolFact, ...] = ()
    teachers: tuple[TeacherFact, ...] = ()
    actions: tuple[ActionFact, ...] = ()
    assignments: tuple[AssignmentFact, ...] = ()
    mentorships: tuple[MentorshipFact, ...] = ()
    projects: tuple[ProjectFact, ...] = ()
    papers: tuple[PaperFact, ...] = ()
    quality: tuple[QualityFact, ...] = ()
    money: tuple[MoneyFact, ...] = ()
