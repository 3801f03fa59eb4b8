"""The Mentorship aggregate (师徒结对) and its apprentice's public report lessons."""

from datetime import date
from typing import Any
from uuid import UUID

from domain.codes import ActivityKind, SchoolLocation
from domain.community.activity import Activity
from domain.community.errors import ActivityVoidedError, SchoolClosedError
from domain.errors import InvalidValueError
from domain.staff.errors import (
    AlreadyEndedError,
    EarlyEndDateError,
    LessonAlreadyLinkedError,
    LessonKindError,
    LessonOutsideTermError,
    SameTeacherError,
    TeacherLeftError,
    TermDatesError,
)
from domain.staff.mentorship import Mentorship
from tests.domain.support import CLERK, TODAY, community, facts, raises, rebuilt, school, teacher

LEAD = school("CG-01", location=SchoolLocation.URBAN)
VILLAGE = school("CZ-03")
GROUP = community(LEAD, (VILLAGE,))
MENTOR = teacher(LEAD, 1)
APPRENTICE = teacher(VILLAGE, 2)
STARTS_ON, ENDS_ON = date(2022, 9, 1), date(2024, 8, 31)
MENTORSHIP_ID = UUID(int=0x3E00)


def pair(**changes: Any) -> Mentorship:
    values: dict[str, Any] = {
        "id": MENTORSHIP_ID,
        "mentor": MENTOR,
        "apprentice": APPRENTICE,
        "school": LEAD,
        "starts_on": STARTS_ON,
        "planned_ends_on": ENDS_ON,
        "by": CLERK,
    }
    values.update(changes)
    return Mentorship.pair(**values)


def paired() -> Mentorship:
    new = pair()
    new.collect_events()
    return new


def lesson(number: int = 1, **changes: Any) -> Activity:
    """A public report lesson (公开汇报课) at the lead school on 2023-05-10."""
    return Activity.record(
        id=UUID(int=0xAC00 + number),
        community=GROUP,
        facts=facts(LEAD.id, VILLAGE.id, **{"kind": ActivityKind.PUBLIC_LESSON, **changes}),
        today=TODAY,
        by=CLERK,
    )


def test_pairing_records_mentor_apprentice_school_and_term() -> None:
    new = pair()
    [event] = new.collect_events()
    assert isinstance(event, Mentorship.Paired)
    assert (event.originator_id, event.mentor_id, event.apprentice_id) == (
        MENTORSHIP_ID,
        MENTOR.id,
        APPRENTICE.id,
    )
    assert (event.school_id, event.starts_on, event.planned_ends_on, event.paired_by) == (
        LEAD.id,
        STARTS_ON,
        ENDS_ON,
        CLERK,
    )


def test_the_apprentice_is_not_the_mentor() -> None:
    with raises(SameTeacherError, teacher_id=MENTOR.id, first="mentor", second="apprentice"):
        pair(apprentice=MENTOR)


def test_a_pairing_needs_serving_teachers_an_open_school_and_a_term() -> None:
    gone = teacher(VILLAGE, 3)
    gone.leave(date(2022, 7, 1), "moved away", by=CLERK)
    with raises(TeacherLeftError, teacher_id=gone.id):
        pair(apprentice=gone)
    with raises(TeacherLeftError):
        pair(mentor=gone)
    shut = school("GB-09")
    shut.close(date(2022, 7, 1), "merged", by=CLERK)
    with raises(SchoolClosedError, school_id=shut.id):
        pair(school=shut)
    with raises(TermDatesError):
        pair(planned_ends_on=date(2022, 8, 31))


def test_a_public_lesson_within_the_term_is_linked_once() -> None:
    pairing = paired()
    given = lesson()
    pairing.link_lesson(given, by=CLERK)
    [event] = pairing.collect_events()
    assert isinstance(event, Mentorship.LessonLinked)
    assert (event.activity_id, event.linked_by) == (given.id, CLERK)
    assert pairing.lesson_ids == (given.id,)
    with raises(LessonAlreadyLinkedError, activity_id=given.id, mentorship_id=MENTORSHIP_ID):
        pairing.link_lesson(given, by=CLERK)
    replayed = rebuilt(Mentorship, [*pair().collect_events(), event])
    assert replayed.lesson_ids == (given.id,)


def test_only_a_public_lesson_that_counts_is_linked() -> None:
    pairing = paired()
    with raises(LessonKindError, kind=ActivityKind.SENDING_LESSONS):
        pairing.link_lesson(lesson(kind=ActivityKind.SENDING_LESSONS), by=CLERK)
    voided = lesson(2)
    voided.void("duplicate", by=CLERK)
    with raises(ActivityVoidedError, activity_id=voided.id):
        pairing.link_lesson(voided, by=CLERK)
    assert pairing.collect_events() == []


def test_a_lesson_outside_the_term_is_not_linked() -> None:
    pairing = pair(starts_on=date(2023, 6, 1))
    with raises(LessonOutsideTermError, held_on=date(2023, 5, 10), starts_on=date(2023, 6, 1)):
        pairing.link_lesson(lesson(), by=CLERK)


def test_an_early_end_records_its_reason_and_shortens_the_term_for_lessons() -> None:
    pairing = paired()
    with raises(InvalidValueError, field="reason"):
        pairing.end_early(date(2023, 3, 31), "", by=CLERK)
    pairing.end_early(date(2023, 3, 31), "mentor transferred", by=CLERK)
    [event] = pairing.collect_events()
    assert isinstance(event, Mentorship.EndedEarly)
    assert (event.ended_on, event.reason, event.ended_by) == (
        date(2023, 3, 31),
        "mentor transferred",
        CLERK,
    )
    with raises(LessonOutsideTermError, ends_on=date(2023, 3, 31)):
        pairing.link_lesson(lesson(), by=CLERK)
    # A lesson given before the end may still be linked after it.
    pairing.link_lesson(lesson(3, held_on=date(2023, 3, 31)), by=CLERK)
    with raises(AlreadyEndedError, record_id=MENTORSHIP_ID):
        pairing.end_early(date(2023, 4, 30), "again", by=CLERK)


def test_an_early_end_falls_before_the_planned_end() -> None:
    pairing = paired()
    with raises(EarlyEndDateError, ended_on=ENDS_ON):
        pairing.end_early(ENDS_ON, "done", by=CLERK)
    with raises(EarlyEndDateError, ended_on=date(2022, 8, 31)):
        pairing.end_early(date(2022, 8, 31), "never began", by=CLERK)
