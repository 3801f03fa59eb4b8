"""The Assignment aggregate, and the rule that spans a person's assignments."""

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    EligibilityBasis,
    Post,
    Relation,
    SchoolLocation,
    TeacherTitle,
)
from domain.community.errors import OutsideCommunityPeriodError, SchoolClosedError
from domain.errors import InvalidValueError
from domain.staff.assignment import Assignment, Holder, check_no_overlap
from domain.staff.errors import (
    AlreadyEndedError,
    DuplicatePostError,
    EarlyEndDateError,
    OverlappingAssignmentError,
    ReplacementDateError,
    ReplacementTooEarlyError,
    SameSchoolAssignmentError,
    SameTeacherError,
    TeacherErasedError,
    TeacherLeftError,
    TermDatesError,
)
from domain.staff.teacher import Teacher
from domain.staff.term import CommunityPeriod, Span
from tests.domain.support import (
    CLERK,
    COMMUNITY_ID,
    ENDS_ON,
    STARTS_ON,
    community,
    raises,
    rebuilt,
    school,
    teacher,
)

LEAD = school("CG-01", location=SchoolLocation.URBAN)
TOWN = school("XZ-02", location=SchoolLocation.TOWN)
VILLAGE = school("CZ-03")
PERIOD = CommunityPeriod.of(community(LEAD, (TOWN, VILLAGE)))
ZHANG = teacher(LEAD, 1)
WANG = teacher(LEAD, 2)
TERM_ENDS = date(2024, 7, 31)
FIRST_YEAR_OVER = date(2023, 9, 1)


def arrange(
    person: Teacher = ZHANG, others: Sequence[Assignment] = (), number: int = 1, **changes: Any
) -> Assignment:
    """ZHANG, a backbone teacher of LEAD, to VILLAGE for two years as 班主任 (seed 001)."""
    values: dict[str, Any] = {
        "id": UUID(int=0xA500 + number),
        "kind": AssignmentKind.DISPATCH,
        "teacher": person,
        "role": AssignmentRole.BACKBONE_TEACHER,
        "from_school": LEAD,
        "to_school": VILLAGE,
        "host_posts": (Post.CLASS_TEACHER,),
        "starts_on": STARTS_ON,
        "planned_ends_on": TERM_ENDS,
        "community": PERIOD,
        "personnel_relation": Relation.UNCHANGED,
        "party_relation": Relation.UNCHANGED,
        "others": others,
        "by": CLERK,
    }
    values.update(changes)
    return Assignment.arrange(**values)


def arranged(**changes: Any) -> Assignment:
    new = arrange(**changes)
    new.collect_events()
    return new


def test_arranging_records_every_fact_of_the_assignment() -> None:
    new = arrange(
        role=AssignmentRole.VICE_PRINCIPAL,
        host_posts=(Post.PARTY_SECRETARY,),
        party_relation=Relation.MOVED_TO_HOST,
    )
    [event] = new.collect_events()
    assert isinstance(event, Assignment.Arranged)
    assert (event.kind, event.teacher_id, event.role) == (
        AssignmentKind.DISPATCH,
        ZHANG.id,
        AssignmentRole.VICE_PRINCIPAL,
    )
    assert (event.from_school_id, event.to_school_id) == (LEAD.id, VILLAGE.id)
    assert event.host_posts == (Post.PARTY_SECRETARY,)
    assert (event.starts_on, event.planned_ends_on) == (STARTS_ON, TERM_ENDS)
    assert (event.community_id, event.full_time) == (COMMUNITY_ID, True)
    assert (event.personnel_relation, event.party_relation) == (
        Relation.UNCHANGED,
        Relation.MOVED_TO_HOST,
    )
    assert (event.eligibility_basis, event.arranged_by) == (None, CLERK)
    assert new.holders == (Holder(ZHANG.id, STARTS_ON, None),)
    assert new.spans_of(ZHANG.id) == (Span(STARTS_ON, TERM_ENDS),)


def test_an_assignment_outside_any_community_is_recorded_without_one() -> None:
    new = arrange(kind=AssignmentKind.SHADOWING, community=None, starts_on=date(2021, 9, 1))
    assert new.community_id is None


def test_eligibility_is_recorded_not_refused() -> None:
    """A 58-year-old of senior title as a shadowing teacher 'young, never rotated': the rules judge."""
    old = teacher(VILLAGE, 3, birth_year=1965, title=TeacherTitle.SENIOR)
    new = arrange(
        old,
        kind=AssignmentKind.SHADOWING,
        role=AssignmentRole.SHADOWING_TEACHER,
        from_school=VILLAGE,
        to_school=LEAD,
        host_posts=(),
        personnel_relation=Relation.MOVED_TO_HOST,
        eligibility_basis=EligibilityBasis.YOUNG_NEVER_ROTATED,
    )
    [event] = new.collect_events()
    assert isinstance(event, Assignment.Arranged)
    assert event.eligibility_basis is EligibilityBasis.YOUNG_NEVER_ROTATED


def test_the_sending_and_host_school_differ() -> None:
    with raises(SameSchoolAssignmentError, school_id=VILLAGE.id):
        arrange(from_school=VILLAGE, to_school=VILLAGE)


def test_a_closed_school_neither_sends_nor_hosts() -> None:
    shut = school("GB-09")
    shut.close(date(2022, 7, 1), "merged", by=CLERK)
    with raises(SchoolClosedError, school_id=shut.id):
        arrange(to_school=shut)
    with raises(SchoolClosedError, school_id=shut.id):
        arrange(from_school=shut)


def test_the_planned_end_is_not_before_the_start() -> None:
    with raises(TermDatesError, starts_on=STARTS_ON, ends_on=date(2022, 8, 31)):
        arrange(planned_ends_on=date(2022, 8, 31))
    assert arrange(planned_ends_on=STARTS_ON).spans_of(ZHANG.id) == (Span(STARTS_ON, STARTS_ON),)


@pytest.mark.parametrize(
    ("starts_on", "planned_ends_on", "outside"),
    [
        (date(2022, 8, 31), TERM_ENDS, date(2022, 8, 31)),
        (STARTS_ON, date(2024, 9, 1), date(2024, 9, 1)),
    ],
)
def test_the_term_lies_within_the_community_s_period(
    starts_on: date, planned_ends_on: date, outside: date
) -> None:
    with raises(OutsideCommunityPeriodError, community_id=COMMUNITY_ID, day=outside):
        arrange(starts_on=starts_on, planned_ends_on=planned_ends_on)
    assert arrange(planned_ends_on=ENDS_ON).planned_ends_on == ENDS_ON


def test_a_dissolved_community_s_period_ends_the_day_before_its_dissolution() -> None:
    group = community(LEAD, (TOWN, VILLAGE))
    group.dissolve(date(2024, 1, 1), "merged", by=CLERK)
    period = CommunityPeriod.of(group)
    assert (period.starts_on, period.ends_on) == (STARTS_ON, date(2023, 12, 31))
    with raises(OutsideCommunityPeriodError, day=TERM_ENDS, ends_on=date(2023, 12, 31)):
        arrange(community=period)


def test_someone_who_left_or_was_erased_is_not_assigned() -> None:
    gone = teacher(LEAD, 4)
    gone.leave(date(2022, 7, 1), "retired", by=CLERK)
    with raises(TeacherLeftError, teacher_id=gone.id):
        arrange(gone)
    erased = teacher(LEAD, 5)
    erased.erase(by=CLERK)
    with raises(TeacherErasedError, teacher_id=erased.id):
        arrange(erased)


def test_a_post_at_the_host_is_listed_once() -> None:
    with raises(DuplicatePostError, post=Post.CLASS_TEACHER):
        arrange(host_posts=(Post.CLASS_TEACHER, Post.PREP_GROUP_LEADER, Post.CLASS_TEACHER))


def test_one_person_holds_no_two_full_time_assignments_at_once() -> None:
    first = arranged()
    with raises(
        OverlappingAssignmentError,
        teacher_id=ZHANG.id,
        other_assignment_id=first.id,
        starts_on=STARTS_ON,
        ends_on=TERM_ENDS,
    ):
        arrange(others=[first], number=2, to_school=TOWN, starts_on=TERM_ENDS)
    # The next day is free; so is a part-time one; another person is not concerned.
    arrange(others=[first], number=2, starts_on=date(2024, 8, 1), planned_ends_on=ENDS_ON)
    arrange(others=[first], number=2, to_school=TOWN, full_time=False)
    arrange(WANG, others=[first], number=2)


def test_a_part_time_assignment_never_conflicts() -> None:
    weekly = arranged(full_time=False)
    arrange(others=[weekly], number=2, to_school=TOWN)
    check_no_overlap(ZHANG.id, Span(STARTS_ON, TERM_ENDS), [weekly], exclude=UUID(int=0))


def test_the_assignment_itself_is_not_counted_against_its_own_days() -> None:
    first = arranged()
    check_no_overlap(ZHANG.id, Span(STARTS_ON, TERM_ENDS), [first], exclude=first.id)
    with raises(OverlappingAssignmentError):
        check_no_overlap(ZHANG.id, Span(TERM_ENDS, TERM_ENDS), [first], exclude=UUID(int=0))


def test_an_early_end_frees_the_days_after_it() -> None:
    first = arranged()
    first.end_early(date(2023, 1, 31), "illness", by=CLERK)
    arrange(others=[first], number=2, starts_on=date(2023, 2, 1))
    with raises(OverlappingAssignmentError, ends_on=date(2023, 1, 31)):
        arrange(others=[first], number=2, starts_on=date(2023, 1, 31))


def test_either_side_replaces_the_person_once_the_first_year_is_over() -> None:
    slot = arranged()
    slot.replace(WANG, on=FIRST_YEAR_OVER, side=AssignmentSide.HOST, reason="", others=[], by=CLERK)
    [event] = slot.collect_events()
    assert isinstance(event, Assignment.Replaced)
    assert (event.teacher_id, event.replaced_on, event.side) == (
        WANG.id,
        FIRST_YEAR_OVER,
        AssignmentSide.HOST,
    )
    assert (event.reason, event.replaced_by) == ("", CLERK)
    assert slot.teacher_id == WANG.id
    assert slot.spans_of(ZHANG.id) == (Span(STARTS_ON, date(2023, 8, 31)),)
    assert slot.spans_of(WANG.id) == (Span(FIRST_YEAR_OVER, TERM_ENDS),)
    # The person replaced is free from the day of the replacement, the successor is not.
    arrange(others=[slot], number=2, starts_on=FIRST_YEAR_OVER)
    with raises(OverlappingAssignmentError, teacher_id=WANG.id):
        arrange(WANG, others=[slot], number=2, starts_on=TERM_ENDS)
    replayed = rebuilt(Assignment, [*arrange().collect_events(), event])
    assert replayed.holders == slot.holders


def test_a_replacement_within_the_first_year_is_refused() -> None:
    slot = arranged()
    with raises(
        ReplacementTooEarlyError, assignment_id=slot.id, on="2023-08-31", earliest=FIRST_YEAR_OVER
    ):
        slot.replace(
            WANG, on=date(2023, 8, 31), side=AssignmentSide.SENDING, reason="", others=[], by=CLERK
        )


def test_the_first_year_of_a_term_begun_on_29_february_is_over_on_1_march() -> None:
    slot = arranged(starts_on=date(2024, 2, 29), planned_ends_on=ENDS_ON, community=None)
    with raises(ReplacementTooEarlyError, earliest=date(2025, 3, 1)):
        slot.replace(
            WANG, on=date(2025, 2, 28), side=AssignmentSide.HOST, reason="", others=[], by=CLERK
        )


def test_a_replacement_names_someone_else_within_the_term() -> None:
    slot = arranged()
    with raises(SameTeacherError, teacher_id=ZHANG.id, first="current", second="successor"):
        slot.replace(
            ZHANG, on=FIRST_YEAR_OVER, side=AssignmentSide.HOST, reason="", others=[], by=CLERK
        )
    with raises(ReplacementDateError, on=TERM_ENDS, planned_ends_on=TERM_ENDS):
        slot.replace(WANG, on=TERM_ENDS, side=AssignmentSide.HOST, reason="", others=[], by=CLERK)
    erased = teacher(LEAD, 6)
    erased.erase(by=CLERK)
    with raises(TeacherErasedError):
        slot.replace(
            erased, on=FIRST_YEAR_OVER, side=AssignmentSide.HOST, reason="", others=[], by=CLERK
        )
    assert slot.collect_events() == []


def test_a_second_replacement_comes_after_the_first() -> None:
    slot = arranged()
    later = date(2024, 1, 1)
    slot.replace(WANG, on=later, side=AssignmentSide.HOST, reason="", others=[], by=CLERK)
    with raises(ReplacementDateError, on=FIRST_YEAR_OVER, current_since=later):
        slot.replace(
            ZHANG, on=FIRST_YEAR_OVER, side=AssignmentSide.SENDING, reason="", others=[], by=CLERK
        )


def test_the_successor_holds_no_other_full_time_assignment_meanwhile() -> None:
    elsewhere = arranged(person=WANG, number=2, to_school=TOWN)
    slot = arranged()
    with raises(OverlappingAssignmentError, teacher_id=WANG.id, other_assignment_id=elsewhere.id):
        slot.replace(
            WANG,
            on=FIRST_YEAR_OVER,
            side=AssignmentSide.HOST,
            reason="",
            others=[elsewhere],
            by=CLERK,
        )


def test_an_early_end_records_the_last_day_served_and_a_reason() -> None:
    slot = arranged()
    with raises(InvalidValueError, field="reason", reason="blank"):
        slot.end_early(date(2023, 1, 31), " ", by=CLERK)
    slot.end_early(date(2023, 1, 31), " illness ", by=CLERK)
    [event] = slot.collect_events()
    assert isinstance(event, Assignment.EndedEarly)
    assert (event.ended_on, event.reason, event.ended_by) == (date(2023, 1, 31), "illness", CLERK)
    assert slot.spans_of(ZHANG.id) == (Span(STARTS_ON, date(2023, 1, 31)),)
    with raises(AlreadyEndedError, record_id=slot.id, ended_on=date(2023, 1, 31)):
        slot.end_early(date(2023, 2, 1), "again", by=CLERK)
    with raises(AlreadyEndedError):
        slot.replace(
            WANG, on=FIRST_YEAR_OVER, side=AssignmentSide.HOST, reason="", others=[], by=CLERK
        )


@pytest.mark.parametrize("on", [date(2022, 8, 31), TERM_ENDS, date(2024, 8, 1)])
def test_an_early_end_falls_within_the_term_before_its_planned_end(on: date) -> None:
    slot = arranged()
    with raises(EarlyEndDateError, ended_on=on, starts_on=STARTS_ON, planned_ends_on=TERM_ENDS):
        slot.end_early(on, "illness", by=CLERK)


def test_an_early_end_after_a_replacement_falls_in_the_successor_s_time() -> None:
    slot = arranged()
    slot.replace(WANG, on=FIRST_YEAR_OVER, side=AssignmentSide.HOST, reason="", others=[], by=CLERK)
    with raises(EarlyEndDateError, starts_on=FIRST_YEAR_OVER):
        slot.end_early(date(2023, 8, 31), "illness", by=CLERK)
    slot.end_early(FIRST_YEAR_OVER, "illness", by=CLERK)
    assert slot.spans_of(WANG.id) == (Span(FIRST_YEAR_OVER, FIRST_YEAR_OVER),)
