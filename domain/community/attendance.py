"""What an action's sign-in sheet and reflections say: who was expected, came, was late, left.

An expected participant (参与教师) is named with their school. The recorder may mark each one
from the paper sheet (in the facts, corrected like them); a teacher may also sign in by phone
(an event of its own). A mark in the facts says more than a phone sign-in and wins over it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain._text import optional, required
from domain.community.errors import (
    AttendanceMarkError,
    DuplicateAttendanceError,
    DuplicateParticipantError,
    NotExpectedError,
)
from domain.errors import InvalidValueError

LEAVE_REASON_LIMIT = 500
REFLECTION_LIMIT = 20_000  # a training's reflection is ≥ 2000 characters (seed 001 篇一)


@dataclass(frozen=True)
class Attendance:
    """One expected participant's line of the sign-in sheet.

    Signed in (with the time), maybe late or gone early; or on leave (请假) with a written
    reason; a participant with no line and no sign-in was absent.
    """

    name: str
    school_id: UUID
    signed_in_at: datetime | None = None
    late: bool = False
    left_early: bool = False
    leave_reason: str = ""


@dataclass(frozen=True)
class SignIn:
    """A sign-in by phone: who, when, and whether after the action began."""

    name: str
    school_id: UUID
    at: datetime
    late: bool


@dataclass(frozen=True)
class AttendanceCount:
    expected: int
    signed_in: int
    late: int
    left_early: int
    on_leave: int
    absent: int


Person = tuple[str, UUID]  # an expected participant: name and school


def aware(value: datetime | None, field: str) -> None:
    """A moment must say its offset: a bare 09:00 means different things in different places."""
    if value is not None and value.utcoffset() is None:
        raise InvalidValueError(field=field, reason="no_time_zone")


def check_expected(people: Iterable[Person]) -> frozenset[Person]:
    seen: set[Person] = set()
    for person in people:
        if person in seen:
            raise DuplicateParticipantError(participant=person[0], school_id=person[1])
        seen.add(person)
    return frozenset(seen)


def normalised_mark(mark: Attendance) -> Attendance:
    return Attendance(
        name=mark.name.strip(),
        school_id=mark.school_id,
        signed_in_at=mark.signed_in_at,
        late=mark.late,
        left_early=mark.left_early,
        leave_reason=mark.leave_reason.strip(),
    )


def check_marks(marks: Iterable[Attendance], expected: frozenset[Person]) -> None:
    seen: set[Person] = set()
    for mark in marks:
        person = (mark.name, mark.school_id)
        if person not in expected:
            raise NotExpectedError(participant=mark.name, school_id=mark.school_id)
        if person in seen:
            raise DuplicateAttendanceError(participant=mark.name, school_id=mark.school_id)
        seen.add(person)
        aware(mark.signed_in_at, "attendance_signed_in_at")
        optional(mark.leave_reason, field="leave_reason", limit=LEAVE_REASON_LIMIT)
        if mark.leave_reason and (mark.signed_in_at or mark.late or mark.left_early):
            raise AttendanceMarkError(participant=mark.name, reason="leave_and_present")
        if (mark.late or mark.left_early) and mark.signed_in_at is None:
            raise AttendanceMarkError(participant=mark.name, reason="not_signed_in")


def check_reflection(text: str) -> str:
    return required(text, field="reflection", limit=REFLECTION_LIMIT)


def count_attendance(
    expected: Iterable[Person], marks: Iterable[Attendance], sign_ins: Mapping[Person, bool]
) -> AttendanceCount:
    """Counts per expected participant: their mark if any, else their phone sign-in (late?)."""
    by_person = {(mark.name, mark.school_id): mark for mark in marks}
    people = list(dict.fromkeys(expected))
    if not by_person and not sign_ins:  # most actions: no sheet, no phone sign-in
        return AttendanceCount(
            expected=len(people), signed_in=0, late=0, left_early=0, on_leave=0, absent=len(people)
        )
    signed = late = left = leave = 0
    for person in people:
        mark = by_person.get(person)
        if mark is None:
            if person in sign_ins:
                signed, late = signed + 1, late + sign_ins[person]
            continue
        if mark.leave_reason:
            leave += 1
        elif mark.signed_in_at is not None:
            signed, late, left = signed + 1, late + mark.late, left + mark.left_early
    return AttendanceCount(
        expected=len(people),
        signed_in=signed,
        late=late,
        left_early=left,
        on_leave=leave,
        absent=len(people) - signed - leave,
    )
