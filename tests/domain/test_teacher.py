"""The Teacher aggregate: personal data only sealed, changes as events, leaving and erasure."""

from datetime import date

import pytest

from domain.codes import BackboneLevel, Gender, Post, SchoolLocation, Subject, TeacherTitle
from domain.community.errors import DuplicateSubjectError, SchoolClosedError
from domain.community.school import School
from domain.errors import InvalidValueError
from domain.staff.errors import (
    BirthYearError,
    DuplicatePostError,
    TeacherErasedError,
    TeacherLeftError,
    TeacherUnchangedError,
)
from domain.staff.teacher import FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR, Teacher
from tests.domain.support import CLERK, SEALED, raises, rebuilt, school, teacher

LEAD = school("CG-01", location=SchoolLocation.URBAN)
VILLAGE = school("CZ-03")
ON = date(2023, 3, 1)


def closed() -> School:
    shut = school("GB-09")
    shut.close(date(2022, 7, 1), "merged", by=CLERK)
    return shut


def registered() -> Teacher:
    new = teacher(VILLAGE, 1)
    new.collect_events()
    return new


def test_registering_records_the_facts_and_only_the_sealed_personal_data() -> None:
    new = teacher(VILLAGE, 1, subjects=(Subject.MATH, Subject.SCIENCE), posts=())
    [event] = new.collect_events()
    assert isinstance(event, Teacher.Registered)
    assert event.originator_id == new.id
    assert (event.school_id, event.personal) == (VILLAGE.id, SEALED + b"\x01")
    assert (event.gender, event.birth_year) == (Gender.FEMALE, 1990)
    assert event.subjects == (Subject.MATH, Subject.SCIENCE)
    assert (event.title, event.backbone_level) == (TeacherTitle.INTERMEDIATE, BackboneLevel.COUNTY)
    assert (event.posts, event.registered_by) == ((), CLERK)
    # Nothing but the sealed bytes stands for the person: no name, phone or ID field.
    assert not {"name", "phone", "id_number"} & set(vars(event))


def test_a_teacher_without_a_title_or_backbone_level_can_be_registered() -> None:
    new = teacher(VILLAGE, 2, title=None, backbone_level=None)
    assert (new.title, new.backbone_level) == (None, None)


def test_a_closed_school_registers_no_teacher() -> None:
    with raises(SchoolClosedError):
        teacher(closed(), 1)


@pytest.mark.parametrize("year", [FIRST_BIRTH_YEAR - 1, LAST_BIRTH_YEAR + 1, 0])
def test_a_birth_year_out_of_range_is_refused(year: int) -> None:
    with raises(BirthYearError, birth_year=year):
        teacher(VILLAGE, 1, birth_year=year)


@pytest.mark.parametrize("year", [FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR])
def test_the_birth_year_bounds_are_accepted(year: int) -> None:
    assert teacher(VILLAGE, 1, birth_year=year).birth_year == year


def test_a_subject_or_post_listed_twice_is_refused() -> None:
    with raises(DuplicateSubjectError, subject=Subject.MATH):
        teacher(VILLAGE, 1, subjects=(Subject.MATH, Subject.ART, Subject.MATH))
    with raises(DuplicatePostError, post=Post.GRADE_LEADER):
        teacher(VILLAGE, 1, posts=(Post.GRADE_LEADER, Post.GRADE_LEADER))


def test_a_transfer_records_the_new_school() -> None:
    moved = registered()
    moved.transfer(LEAD, ON, by=CLERK)
    [event] = moved.collect_events()
    assert isinstance(event, Teacher.Transferred)
    assert (event.school_id, event.transferred_on, event.transferred_by) == (LEAD.id, ON, CLERK)
    assert moved.school_id == LEAD.id


def test_a_transfer_to_the_same_or_a_closed_school_is_refused() -> None:
    moved = registered()
    with raises(TeacherUnchangedError, field="school"):
        moved.transfer(VILLAGE, ON, by=CLERK)
    with raises(SchoolClosedError):
        moved.transfer(closed(), ON, by=CLERK)
    assert moved.collect_events() == []


def test_title_backbone_level_and_posts_change_by_events() -> None:
    changed = registered()
    changed.change_title(TeacherTitle.SENIOR, ON, by=CLERK)
    changed.change_backbone_level(None, ON, by=CLERK)
    changed.change_posts((Post.RESEARCH_GROUP_LEADER, Post.CLASS_TEACHER), ON, by=CLERK)
    title, level, posts = changed.collect_events()
    assert isinstance(title, Teacher.TitleChanged)
    assert (title.title, title.changed_on, title.changed_by) == (TeacherTitle.SENIOR, ON, CLERK)
    assert isinstance(level, Teacher.BackboneLevelChanged)
    assert level.backbone_level is None
    assert isinstance(posts, Teacher.PostsChanged)
    assert posts.posts == (Post.RESEARCH_GROUP_LEADER, Post.CLASS_TEACHER)
    again = rebuilt(Teacher, [*teacher(VILLAGE, 1).collect_events(), title, level, posts])
    assert (again.title, again.backbone_level, again.posts) == (
        TeacherTitle.SENIOR,
        None,
        (Post.RESEARCH_GROUP_LEADER, Post.CLASS_TEACHER),
    )


def test_a_change_to_what_is_already_recorded_is_refused() -> None:
    same = registered()
    with raises(TeacherUnchangedError, teacher_id=same.id, field="title"):
        same.change_title(TeacherTitle.INTERMEDIATE, ON, by=CLERK)
    with raises(TeacherUnchangedError, field="backbone_level"):
        same.change_backbone_level(BackboneLevel.COUNTY, ON, by=CLERK)
    with raises(TeacherUnchangedError, field="posts"):
        same.change_posts((Post.CLASS_TEACHER,), ON, by=CLERK)
    with raises(DuplicatePostError):
        same.change_posts((Post.CLASS_TEACHER, Post.CLASS_TEACHER), ON, by=CLERK)
    assert same.collect_events() == []


def test_personal_data_is_replaced_by_a_new_sealed_value() -> None:
    changed = registered()
    changed.change_personal_data(b"\x01resealed", by=CLERK)
    [event] = changed.collect_events()
    assert isinstance(event, Teacher.PersonalDataChanged)
    assert (event.personal, event.changed_by) == (b"\x01resealed", CLERK)
    assert changed.personal == b"\x01resealed"


def test_a_teacher_who_left_is_not_changed_but_can_still_be_erased() -> None:
    gone = registered()
    with raises(InvalidValueError, field="reason", reason="blank"):
        gone.leave(ON, "  ", by=CLERK)
    gone.leave(ON, " retired ", by=CLERK)
    [left] = gone.collect_events()
    assert isinstance(left, Teacher.Left)
    assert (left.left_on, left.reason, left.left_by) == (ON, "retired", CLERK)
    with raises(TeacherLeftError, teacher_id=gone.id, left_on=ON):
        gone.change_title(TeacherTitle.SENIOR, ON, by=CLERK)
    with raises(TeacherLeftError):
        gone.check_can_serve()
    with raises(TeacherLeftError):
        gone.leave(ON, "again", by=CLERK)
    gone.erase(by=CLERK)
    assert gone.is_erased


def test_erasure_is_recorded_once_and_ends_every_change() -> None:
    erased = registered()
    erased.erase(by=CLERK)
    [event] = erased.collect_events()
    assert isinstance(event, Teacher.Erased)
    assert vars(event).keys() - {"originator_id", "originator_version", "timestamp"} == {
        "erased_by"
    }
    assert (erased.is_erased, erased.personal) == (True, None)
    with raises(TeacherErasedError, teacher_id=erased.id):
        erased.erase(by=CLERK)
    with raises(TeacherErasedError):
        erased.change_personal_data(b"\x01new", by=CLERK)
    with raises(TeacherErasedError):
        erased.transfer(LEAD, ON, by=CLERK)
    with raises(TeacherErasedError):
        erased.check_can_serve()
    replayed = rebuilt(Teacher, [*teacher(VILLAGE, 1).collect_events(), event])
    assert (replayed.is_erased, replayed.personal) == (True, None)
