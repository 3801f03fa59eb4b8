"""Whom and what a rule is over: a roster by school role or assignment; a stage's subjects."""

from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import CommunityRole
from domain.assessment.facts import AssignmentFact
from domain.assessment.measures import Roster
from domain.assessment.selection import Scope, View
from domain.codes import SchoolStage, Subject

S = Subject
# The subjects of each stage's timetable (义务教育课程方案 2022, 普通高中课程方案): what "all
# subjects" covers when a rule names none; a county's rule can list its own.
STAGE_SUBJECTS: dict[SchoolStage, tuple[Subject, ...]] = {
    SchoolStage.PRIMARY: (
        S.CHINESE, S.MATH, S.ENGLISH, S.MORALITY_LAW, S.SCIENCE, S.MUSIC, S.ART, S.PE, S.IT,
        S.LABOR, S.COMPREHENSIVE,
    ),
    SchoolStage.JUNIOR: (
        S.CHINESE, S.MATH, S.ENGLISH, S.MORALITY_LAW, S.HISTORY, S.GEOGRAPHY, S.PHYSICS,
        S.CHEMISTRY, S.BIOLOGY, S.MUSIC, S.ART, S.PE, S.IT, S.LABOR,
    ),
    SchoolStage.SENIOR: (
        S.CHINESE, S.MATH, S.ENGLISH, S.MORALITY_LAW, S.HISTORY, S.GEOGRAPHY, S.PHYSICS,
        S.CHEMISTRY, S.BIOLOGY, S.MUSIC, S.ART, S.PE, S.IT,
    ),
    SchoolStage.KINDERGARTEN: (S.PRESCHOOL,),
    SchoolStage.SPECIAL: (S.SPECIAL_EDUCATION,),
}  # fmt: skip


def stage_of(view: View, school_id: UUID) -> SchoolStage | None:
    school = view.schools.get(school_id)
    return school.stage if school is not None else None


def stage_subjects(stage: SchoolStage | None) -> tuple[Subject, ...]:
    return STAGE_SUBJECTS.get(stage, ()) if stage is not None else ()


def active(assignment: AssignmentFact, period: Window) -> bool:
    ends = assignment.actual_ends_on or assignment.planned_ends_on
    return assignment.starts_on <= period.ends_on and ends >= period.starts_on


def roster_of(view: View, roster: Roster, scope: Scope, period: Window) -> set[UUID]:
    community = scope.community
    people: set[UUID] = set()
    if roster.assignment_kind is not None:
        people = {
            a.person_id
            for a in view.facts.assignments
            if a.kind == roster.assignment_kind
            and a.community_id == community.id
            and view.known(a.known_at)
            and active(a, period)
            and (scope.school_id in {None, a.from_school_id, a.to_school_id})
        }
    if roster.school_role is not None:
        if roster.school_role == CommunityRole.LEAD:
            schools = {community.lead_school_id}
        elif scope.school_id is not None and scope.school_id != community.lead_school_id:
            schools = {scope.school_id}
        else:
            schools = {m.school_id for m in community.members if m.role == roster.school_role}
        by_school = {t.id for t in view.teachers.values() if t.school_id in schools}
        people = by_school if roster.assignment_kind is None else people & by_school
    if roster.predicate is not None:
        check = roster.predicate
        people = {
            p
            for p in people
            if (t := view.teachers.get(p)) is not None and check.holds(t, period.starts_on)
        }
    return people
