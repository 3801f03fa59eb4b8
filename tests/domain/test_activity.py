"""The Activity aggregate."""

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.codes import ActivityKind, ActivityMode, CommunityType, SchoolLocation, Subject
from domain.community.activity import Activity, ActivityFacts, Evidence, Participant
from domain.community.community import Community
from domain.community.errors import (
    ActivityInFutureError,
    ActivitySpanError,
    ActivityVoidedError,
    CommunityDissolvedError,
    CommunityMismatchError,
    DuplicateEvidenceError,
    DuplicateSchoolError,
    DuplicateSubjectError,
    ModeNotAllowedError,
    NothingToCorrectError,
    OutsideCommunityPeriodError,
    ParticipantSchoolError,
    SchoolNotInCommunityError,
)
from domain.errors import InvalidValueError
from tests.domain.support import (
    CLERK,
    COMMUNITY_ID,
    ENDS_ON,
    SHA_A,
    SHA_B,
    STARTS_ON,
    TODAY,
    community,
    facts,
    raises,
    rebuilt,
    school,
)

ACTIVITY_ID = UUID("6f1c2a4e-0000-4000-8000-0000000000a1")
LEAD = school("CG-01", location=SchoolLocation.URBAN)
TOWN = school("XZ-02", location=SchoolLocation.TOWN)
VILLAGE = school("CZ-03")
LATE = school("CZ-04")
OUTSIDER = school("QT-05")
LATE_JOINS_ON = date(2023, 3, 1)
HELD_ON = date(2023, 5, 10)


def active_community() -> Community:
    """LEAD with TOWN and VILLAGE from the start; LATE joins on 2023-03-01."""
    new = community(LEAD, (TOWN, VILLAGE))
    new.join(LATE, LATE_JOINS_ON, by=CLERK)
    return new


def sending_lessons(**changes: object) -> ActivityFacts:
    """LEAD sends lessons to VILLAGE on 2023-05-10."""
    return facts(LEAD.id, VILLAGE.id, **changes)


def record(
    given: ActivityFacts | None = None,
    *,
    within: Community | None = None,
    today: date = TODAY,
) -> Activity:
    return Activity.record(
        id=ACTIVITY_ID,
        community=within or active_community(),
        facts=given or sending_lessons(),
        today=today,
        by=CLERK,
    )


def recorded() -> Activity:
    """A recorded sending-lessons activity, its Recorded event already collected."""
    activity = record()
    activity.collect_events()
    return activity


def test_recording_records_recorded_with_the_facts() -> None:
    activity = record()
    [event] = activity.collect_events()
    assert isinstance(event, Activity.Recorded)
    assert event.originator_id == ACTIVITY_ID
    assert (event.community_id, event.facts, event.recorded_by) == (
        COMMUNITY_ID,
        sending_lessons(),
        CLERK,
    )
    assert activity.community_id == COMMUNITY_ID
    assert activity.facts == sending_lessons()
    assert not activity.is_void
    assert activity.void_reason is None


def test_recording_strips_the_free_text() -> None:
    activity = record(
        sending_lessons(
            title="  Sending lessons ",
            note=" rainy day ",
            participants=(Participant(" Li Hua ", LEAD.id, " mentor "),),
            evidence=(Evidence(" sign-in.jpg ", SHA_A, 10, " image/jpeg "),),
        )
    )
    assert activity.facts.title == "Sending lessons"
    assert activity.facts.note == "rainy day"
    assert activity.facts.participants == (Participant("Li Hua", LEAD.id, "mentor"),)
    assert activity.facts.evidence == (Evidence("sign-in.jpg", SHA_A, 10, "image/jpeg"),)


@pytest.mark.parametrize(("title", "reason"), [(" ", "blank"), ("x" * 201, "too_long")])
def test_recording_with_an_invalid_title_is_refused(title: str, reason: str) -> None:
    with raises(InvalidValueError, field="title", reason=reason):
        record(sending_lessons(title=title))


def test_recording_a_title_of_200_characters_is_accepted() -> None:
    assert len(record(sending_lessons(title="x" * 200)).facts.title) == 200


def test_recording_an_activity_held_today_is_accepted() -> None:
    assert record(sending_lessons(held_on=TODAY)).facts.held_on == TODAY


def test_recording_an_activity_held_after_today_is_refused() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with raises(ActivityInFutureError, day=tomorrow, today=TODAY):
        record(sending_lessons(held_on=tomorrow))


def test_recording_an_activity_ending_after_today_is_refused() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with raises(ActivityInFutureError, day=tomorrow, today=TODAY):
        record(sending_lessons(held_on=TODAY, ends_on=tomorrow))


def test_recording_an_activity_ending_before_it_starts_is_refused() -> None:
    with raises(ActivitySpanError, held_on=HELD_ON, ends_on=HELD_ON - timedelta(days=1)):
        record(sending_lessons(ends_on=HELD_ON - timedelta(days=1)))


@pytest.mark.parametrize("ends_on", [HELD_ON, HELD_ON + timedelta(days=2), TODAY])
def test_recording_an_activity_over_several_days_is_accepted(ends_on: date) -> None:
    assert record(sending_lessons(ends_on=ends_on)).facts.ends_on == ends_on


def test_recording_an_activity_before_the_community_starts_is_refused() -> None:
    day = STARTS_ON - timedelta(days=1)
    with raises(
        OutsideCommunityPeriodError,
        community_id=COMMUNITY_ID,
        day=day,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
    ):
        record(sending_lessons(held_on=day))


def test_recording_an_activity_ending_after_the_community_ends_is_refused() -> None:
    day_after = ENDS_ON + timedelta(days=1)
    with raises(OutsideCommunityPeriodError, day=day_after):
        record(
            sending_lessons(held_on=ENDS_ON, ends_on=day_after),
            today=date(2024, 9, 10),
        )


def test_recording_an_activity_on_the_last_day_is_accepted() -> None:
    activity = record(sending_lessons(held_on=ENDS_ON), today=date(2024, 9, 10))
    assert activity.facts.held_on == ENDS_ON


def test_recording_an_activity_held_after_dissolution_is_refused() -> None:
    dissolved = active_community()
    dissolved.dissolve(HELD_ON, "merged", by=CLERK)
    with raises(CommunityDissolvedError, community_id=COMMUNITY_ID, dissolved_on=HELD_ON):
        record(within=dissolved)


def test_recording_an_activity_held_before_dissolution_is_accepted() -> None:
    dissolved = active_community()
    dissolved.dissolve(HELD_ON + timedelta(days=1), "merged", by=CLERK)
    assert record(within=dissolved).facts.held_on == HELD_ON


def test_a_member_school_may_host_and_the_lead_take_part() -> None:
    activity = record(
        facts(
            TOWN.id,
            LEAD.id,
            VILLAGE.id,
            kind=ActivityKind.TEACHING_RESEARCH,
            participants=(Participant("Wang Fang", TOWN.id), Participant("Li Hua", LEAD.id)),
        )
    )
    assert activity.facts.host_school_id == TOWN.id


def test_recording_with_a_host_outside_the_community_is_refused() -> None:
    with raises(
        SchoolNotInCommunityError, community_id=COMMUNITY_ID, school_id=OUTSIDER.id, on=HELD_ON
    ):
        record(facts(OUTSIDER.id, VILLAGE.id, participants=()))


def test_recording_with_a_school_that_had_not_joined_yet_is_refused() -> None:
    before_joining = LATE_JOINS_ON - timedelta(days=1)
    with raises(SchoolNotInCommunityError, school_id=LATE.id, on=before_joining):
        record(facts(LEAD.id, LATE.id, held_on=before_joining))


def test_recording_with_a_school_that_has_joined_is_accepted() -> None:
    activity = record(facts(LEAD.id, LATE.id, held_on=LATE_JOINS_ON))
    assert activity.facts.participating_school_ids == (LATE.id,)


def test_recording_with_a_school_that_had_left_is_refused() -> None:
    within = active_community()
    within.leave(VILLAGE.id, HELD_ON, "merged", by=CLERK)
    with raises(SchoolNotInCommunityError, school_id=VILLAGE.id, on=HELD_ON):
        record(within=within)


def test_recording_with_the_host_also_taking_part_is_refused() -> None:
    with raises(DuplicateSchoolError, school_id=LEAD.id):
        record(facts(LEAD.id, VILLAGE.id, LEAD.id))


def test_recording_with_a_school_taking_part_twice_is_refused() -> None:
    with raises(DuplicateSchoolError, school_id=VILLAGE.id):
        record(facts(LEAD.id, VILLAGE.id, TOWN.id, VILLAGE.id))


def test_sending_lessons_online_is_refused() -> None:
    with raises(
        ModeNotAllowedError,
        kind=ActivityKind.SENDING_LESSONS,
        mode=ActivityMode.ONLINE,
        required=ActivityMode.ON_SITE,
    ):
        record(sending_lessons(mode=ActivityMode.ONLINE))


def test_a_synchronous_lesson_on_site_is_refused() -> None:
    with raises(
        ModeNotAllowedError,
        kind=ActivityKind.SYNCHRONOUS_LESSON,
        mode=ActivityMode.ON_SITE,
        required=ActivityMode.ONLINE,
    ):
        record(sending_lessons(kind=ActivityKind.SYNCHRONOUS_LESSON))


def test_a_synchronous_lesson_online_is_accepted() -> None:
    activity = record(
        sending_lessons(kind=ActivityKind.SYNCHRONOUS_LESSON, mode=ActivityMode.ONLINE)
    )
    assert activity.facts.mode is ActivityMode.ONLINE


@pytest.mark.parametrize("mode", list(ActivityMode))
def test_other_kinds_may_be_on_site_or_online(mode: ActivityMode) -> None:
    activity = record(sending_lessons(kind=ActivityKind.TEACHING_RESEARCH, mode=mode))
    assert activity.facts.mode is mode


def test_recording_a_subject_twice_is_refused() -> None:
    with raises(DuplicateSubjectError, subject=Subject.MATH):
        record(sending_lessons(subjects=(Subject.MATH, Subject.CHINESE, Subject.MATH)))


def test_recording_without_subjects_is_accepted() -> None:
    assert record(sending_lessons(subjects=())).facts.subjects == ()


def test_recording_a_participant_of_another_school_is_refused() -> None:
    with raises(ParticipantSchoolError, participant="Zhao Lei", school_id=TOWN.id):
        record(sending_lessons(participants=(Participant("Zhao Lei", TOWN.id),)))


@pytest.mark.parametrize(("name", "reason"), [("  ", "blank"), ("x" * 51, "too_long")])
def test_recording_a_participant_with_an_invalid_name_is_refused(name: str, reason: str) -> None:
    with raises(InvalidValueError, field="participant_name", reason=reason):
        record(sending_lessons(participants=(Participant(name, LEAD.id),)))


def test_participants_of_host_and_participating_schools_are_accepted() -> None:
    people = (Participant("Li Hua", LEAD.id, "lecturer"), Participant("Chen Jing", VILLAGE.id))
    assert record(sending_lessons(participants=people)).facts.participants == people


@pytest.mark.parametrize(
    ("evidence", "field", "reason"),
    [
        (Evidence("a.jpg", SHA_A.upper(), 10, "image/jpeg"), "evidence_sha256", "not_sha256"),
        (Evidence("a.jpg", SHA_A[:63], 10, "image/jpeg"), "evidence_sha256", "not_sha256"),
        (Evidence("a.jpg", "g" * 64, 10, "image/jpeg"), "evidence_sha256", "not_sha256"),
        (Evidence("a.jpg", SHA_A, 0, "image/jpeg"), "evidence_size", "not_positive"),
        (Evidence("a.jpg", SHA_A, -1, "image/jpeg"), "evidence_size", "not_positive"),
        (Evidence(" ", SHA_A, 10, "image/jpeg"), "evidence_name", "blank"),
    ],
)
def test_recording_invalid_evidence_is_refused(evidence: Evidence, field: str, reason: str) -> None:
    with raises(InvalidValueError, field=field, reason=reason):
        record(sending_lessons(evidence=(evidence,)))


def test_recording_the_same_evidence_twice_is_refused() -> None:
    evidence = (
        Evidence("sign-in.jpg", SHA_A, 10, "image/jpeg"),
        Evidence("photo.jpg", SHA_B, 10, "image/jpeg"),
        Evidence("sign-in copy.jpg", SHA_A, 10, "image/jpeg"),
    )
    with raises(DuplicateEvidenceError, sha256=SHA_A):
        record(sending_lessons(evidence=evidence))


def test_correcting_records_corrected_with_the_full_facts() -> None:
    activity = recorded()
    fixed = sending_lessons(held_on=date(2023, 5, 11), subjects=(Subject.ENGLISH,))
    activity.correct(active_community(), fixed, " wrong date ", TODAY, by=CLERK)
    [event] = activity.collect_events()
    assert isinstance(event, Activity.Corrected)
    assert (event.facts, event.reason, event.corrected_by) == (fixed, "wrong date", CLERK)
    assert activity.facts == fixed


def test_correcting_with_the_same_facts_is_refused() -> None:
    activity = recorded()
    same = sending_lessons(title=f" {sending_lessons().title} ")
    with raises(NothingToCorrectError, activity_id=ACTIVITY_ID):
        activity.correct(active_community(), same, "no change", TODAY, by=CLERK)


def test_correcting_without_a_reason_is_refused() -> None:
    with raises(InvalidValueError, field="reason", reason="blank"):
        recorded().correct(active_community(), sending_lessons(note="x"), "", TODAY, by=CLERK)


def test_correcting_with_another_community_is_refused() -> None:
    other_id = UUID("6f1c2a4e-0000-4000-8000-0000000000e2")
    other = Community.form(
        id=other_id,
        name="Another community",
        type=CommunityType.COLLABORATIVE,
        lead=LEAD,
        members=(TOWN, VILLAGE),
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        agreement="",
        by=CLERK,
    )
    with raises(
        CommunityMismatchError,
        activity_id=ACTIVITY_ID,
        community_id=COMMUNITY_ID,
        given_community_id=other_id,
    ):
        recorded().correct(other, sending_lessons(note="x"), "moved", TODAY, by=CLERK)


def test_correcting_checks_the_facts_as_recording_does() -> None:
    activity = recorded()
    with raises(ModeNotAllowedError, kind=ActivityKind.SENDING_LESSONS):
        activity.correct(
            active_community(), sending_lessons(mode=ActivityMode.ONLINE), "mode", TODAY, by=CLERK
        )
    with raises(ActivityInFutureError, day=TODAY + timedelta(days=1)):
        activity.correct(
            active_community(),
            sending_lessons(held_on=TODAY + timedelta(days=1)),
            "date",
            TODAY,
            by=CLERK,
        )
    assert activity.collect_events() == []


def test_correcting_a_voided_activity_is_refused() -> None:
    activity = recorded()
    activity.void("duplicate entry", by=CLERK)
    with raises(ActivityVoidedError, activity_id=ACTIVITY_ID):
        activity.correct(active_community(), sending_lessons(note="x"), "fix", TODAY, by=CLERK)


def test_voiding_records_voided() -> None:
    activity = recorded()
    activity.void(" duplicate entry ", by=CLERK)
    [event] = activity.collect_events()
    assert isinstance(event, Activity.Voided)
    assert (event.reason, event.voided_by) == ("duplicate entry", CLERK)
    assert activity.is_void
    assert activity.void_reason == "duplicate entry"
    assert activity.facts == sending_lessons()


def test_voiding_twice_is_refused() -> None:
    activity = recorded()
    activity.void("duplicate entry", by=CLERK)
    with raises(ActivityVoidedError, activity_id=ACTIVITY_ID):
        activity.void("again", by=CLERK)


def test_voiding_without_a_reason_is_refused() -> None:
    with raises(InvalidValueError, field="reason", reason="blank"):
        recorded().void(" ", by=CLERK)


def test_replaying_the_events_rebuilds_the_same_activity() -> None:
    original = record()
    original.correct(
        active_community(), replace(sending_lessons(), note="corrected"), "note", TODAY, by=CLERK
    )
    original.void("duplicate entry", by=CLERK)
    events = original.collect_events()
    assert [type(e) for e in events] == [Activity.Recorded, Activity.Corrected, Activity.Voided]
    copy = rebuilt(Activity, events)
    assert copy == original
    assert copy.facts.note == "corrected"
    assert (copy.is_void, copy.void_reason, copy.version) == (True, "duplicate entry", 3)
