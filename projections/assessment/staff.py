"""Staff for the rule language: teachers as they stand, assignments by holder, mentorships.

A teacher's record is known from its registration and shows its latest school, title, backbone
level and posts (their changes carry days of their own that the rules do not read yet). A
replaced assignment ends the day before its successor starts, who holds it as a record of its
own that names the one it replaces.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from domain.assessment.facts import AssignmentFact, MentorshipFact, TeacherFact
from domain.staff.assignment import Assignment
from domain.staff.mentorship import Mentorship
from domain.staff.teacher import Teacher

if TYPE_CHECKING:
    from datetime import datetime


class Staff:
    def __init__(self) -> None:
        self.teachers: dict[UUID, TeacherFact] = {}
        self.assignments: dict[UUID, list[AssignmentFact]] = {}
        self.mentorships: dict[UUID, MentorshipFact] = {}

    def apply(self, event: Any, at: datetime) -> None:  # noqa: ANN401 - any staff event
        handler = HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event, at)

    def assignment_facts(self) -> tuple[AssignmentFact, ...]:
        return tuple(a for holders in self.assignments.values() for a in holders)


def _teacher(staff: Staff, e: Teacher.Registered, at: datetime) -> None:
    staff.teachers[e.originator_id] = TeacherFact(
        id=e.originator_id,
        school_id=e.school_id,
        birth_year=e.birth_year,
        known_at=at,
        title=e.title,
        backbone=e.backbone_level,
        subjects=e.subjects,
        posts=e.posts,
    )


def _change(staff: Staff, teacher_id: UUID, **changes: Any) -> None:  # noqa: ANN401
    found = staff.teachers.get(teacher_id)
    if found is not None:
        staff.teachers[teacher_id] = replace(found, **changes)


def _transferred(staff: Staff, e: Teacher.Transferred, _: datetime) -> None:
    _change(staff, e.originator_id, school_id=e.school_id)


def _title(staff: Staff, e: Teacher.TitleChanged, _: datetime) -> None:
    _change(staff, e.originator_id, title=e.title)


def _backbone(staff: Staff, e: Teacher.BackboneLevelChanged, _: datetime) -> None:
    _change(staff, e.originator_id, backbone=e.backbone_level)


def _posts(staff: Staff, e: Teacher.PostsChanged, _: datetime) -> None:
    _change(staff, e.originator_id, posts=e.posts)


def _left(staff: Staff, e: Teacher.Left | Teacher.Erased, _: datetime) -> None:
    staff.teachers.pop(e.originator_id, None)


def _arranged(staff: Staff, e: Assignment.Arranged, at: datetime) -> None:
    staff.assignments[e.originator_id] = [
        AssignmentFact(
            id=e.originator_id,
            community_id=e.community_id,
            person_id=e.teacher_id,
            kind=e.kind,
            role=e.role,
            from_school_id=e.from_school_id,
            to_school_id=e.to_school_id,
            starts_on=e.starts_on,
            planned_ends_on=e.planned_ends_on,
            known_at=at,
            posts=e.host_posts,
        )
    ]


def _replaced(staff: Staff, e: Assignment.Replaced, at: datetime) -> None:
    holders = staff.assignments[e.originator_id]
    before = holders[-1]
    holders[-1] = replace(before, actual_ends_on=e.replaced_on - timedelta(days=1))
    holders.append(
        replace(
            before,
            id=uuid5(e.originator_id, f"version:{e.originator_version}"),
            person_id=e.teacher_id,
            starts_on=e.replaced_on,
            known_at=at,
            replaces_id=before.id,
            replacement_reason=e.reason,
        )
    )


def _assignment_ended(staff: Staff, e: Assignment.EndedEarly, _: datetime) -> None:
    holders = staff.assignments[e.originator_id]
    holders[-1] = replace(holders[-1], actual_ends_on=e.ended_on)


def _paired(staff: Staff, e: Mentorship.Paired, at: datetime) -> None:
    staff.mentorships[e.originator_id] = MentorshipFact(
        id=e.originator_id,
        mentor_id=e.mentor_id,
        apprentice_id=e.apprentice_id,
        school_id=e.school_id,
        starts_on=e.starts_on,
        ends_on=e.planned_ends_on,
        known_at=at,
    )


def _pairing_ended(staff: Staff, e: Mentorship.EndedEarly, _: datetime) -> None:
    found = staff.mentorships.get(e.originator_id)
    if found is not None:
        staff.mentorships[e.originator_id] = replace(found, ends_on=e.ended_on)


HANDLERS: dict[type, Any] = {
    Teacher.Registered: _teacher,
    Teacher.Transferred: _transferred,
    Teacher.TitleChanged: _title,
    Teacher.BackboneLevelChanged: _backbone,
    Teacher.PostsChanged: _posts,
    Teacher.Left: _left,
    Teacher.Erased: _left,
    Assignment.Arranged: _arranged,
    Assignment.Replaced: _replaced,
    Assignment.EndedEarly: _assignment_ended,
    Mentorship.Paired: _paired,
    Mentorship.EndedEarly: _pairing_ended,
}
