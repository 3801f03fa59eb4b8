"""What an action carries: attendance, phone sign-ins, reflections, place, notice, follow-ups."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from uuid import UUID

from domain.codes import ActivityKind, ActivityMode, CommunityType
from domain.community.activity import Activity, ActivityFacts, Participant
from domain.community.attendance import Attendance, count_attendance
from domain.community.community import Community
from domain.community.errors import (
    ActivityVoidedError,
    AlreadySignedInError,
    AttendanceMarkError,
    DuplicateAttendanceError,
    DuplicateParticipantError,
    FollowUpError,
    ModeNotAllowedError,
    NotExpectedError,
    NoticeAfterActivityError,
    OnlineReasonError,
    SignInLinkError,
    VenueSchoolError,
)
from domain.errors import InvalidValueError
from tests.domain.support import (
    CLERK,
    ENDS_ON,
    STARTS_ON,
    TODAY,
    community,
    facts,
    raises,
    rebuilt,
    school,
)

LEAD, TOWN, OTHER = school("CG-01"), school("XZ-02"), school("QT-09")
GROUP = community(LEAD, (TOWN,))
CST = timezone(timedelta(hours=8))
STARTS = datetime(2023, 5, 10, 8, 30, tzinfo=CST)
LINK = UUID(int=99)
PEOPLE = (
    Participant("李华", LEAD.id, "授课教师"),
    Participant("王芳", TOWN.id),
    Participant("赵磊", TOWN.id),
)


def lesson(**changes: object) -> ActivityFacts:
    values: dict[str, object] = {"participants": PEOPLE, "starts_at": STARTS}
    values.update(changes)
    return facts(LEAD.id, TOWN.id, **values)


def record(
    given: ActivityFacts | None = None, *, id_: int = 1, follows: Activity | None = None
) -> Activity:
    """The action, with the sign-in link LINK issued for the morning."""
    activity = Activity.record(
        id=UUID(int=id_),
        community=GROUP,
        facts=given or lesson(),
        today=TODAY,
        by=CLERK,
        follows=follows,
    )
    activity.issue_sign_in_link(
        LINK, STARTS + timedelta(hours=2), STARTS - timedelta(hours=1), CLERK
    )
    return activity


def test_the_sheet_and_phone_sign_ins_are_counted_per_expected_participant() -> None:
    activity = record(
        lesson(
            attendance=(
                Attendance("李华", LEAD.id, signed_in_at=STARTS, left_early=True),
                Attendance(" 赵磊 ", TOWN.id, leave_reason=" 发烧 "),
            )
        )
    )
    assert activity.facts.attendance[1] == Attendance("赵磊", TOWN.id, leave_reason="发烧")
    activity.sign_in(" 王芳 ", TOWN.id, STARTS + timedelta(minutes=3), link_id=LINK)
    [recorded, issued, signed] = activity.collect_events()
    assert isinstance(signed, Activity.SignedIn)
    assert (signed.name, signed.late, signed.link_id) == ("王芳", True, LINK)
    again = rebuilt(Activity, [recorded, issued, signed])
    late = {person: s.late for person, s in again.sign_ins.items()}
    counted = count_attendance(again.expected, again.facts.attendance, late)
    assert counted.__dict__ == {
        "expected": 3,
        "signed_in": 2,
        "late": 1,
        "left_early": 1,
        "on_leave": 1,
        "absent": 0,
    }


def test_a_sign_in_before_the_start_is_on_time_and_a_second_one_is_refused() -> None:
    activity = record()
    activity.sign_in("王芳", TOWN.id, STARTS - timedelta(minutes=1), link_id=LINK)
    assert not activity.sign_ins["王芳", TOWN.id].late
    with raises(AlreadySignedInError, participant="王芳"):
        activity.sign_in("王芳", TOWN.id, STARTS, link_id=LINK)


def test_a_participant_marked_on_the_sheet_does_not_sign_in_by_phone() -> None:
    activity = record(lesson(attendance=(Attendance("王芳", TOWN.id, leave_reason="病假"),)))
    with raises(AlreadySignedInError, participant="王芳", at="-"):
        activity.sign_in("王芳", TOWN.id, STARTS, link_id=LINK)


def test_only_an_expected_participant_signs_in_or_reflects_and_not_on_a_void_action() -> None:
    activity = record()
    with raises(NotExpectedError, participant="陌生人"):
        activity.sign_in("陌生人", TOWN.id, STARTS, link_id=LINK)
    with raises(NotExpectedError, participant="王芳"):  # the right name, the wrong school
        activity.submit_reflection("王芳", LEAD.id, "心得", by=CLERK)
    with raises(InvalidValueError, field="sign_in_at", reason="no_time_zone"):
        activity.sign_in("王芳", TOWN.id, datetime(2023, 5, 10, 9), link_id=LINK)  # noqa: DTZ001
    activity.void("重复", by=CLERK)
    with raises(ActivityVoidedError):
        activity.sign_in("王芳", TOWN.id, STARTS, link_id=LINK)


def test_a_reflection_keeps_its_text_and_a_later_one_replaces_it() -> None:
    activity = record()
    activity.submit_reflection("王芳", TOWN.id, " 第一稿 ", by=CLERK)
    activity.submit_reflection("王芳", TOWN.id, "心" * 2000, by=CLERK)
    assert activity.reflections == {("王芳", TOWN.id): "心" * 2000}
    with raises(InvalidValueError, field="reflection", reason="blank"):
        activity.submit_reflection("王芳", TOWN.id, "\u3000", by=CLERK)
    with raises(InvalidValueError, field="reflection", reason="too_long"):
        activity.submit_reflection("王芳", TOWN.id, "x" * 20_001, by=CLERK)


def test_a_sheet_that_contradicts_itself_is_refused() -> None:
    with raises(NotExpectedError, participant="陌生人"):
        record(lesson(attendance=(Attendance("陌生人", TOWN.id),)))
    twice = (Attendance("王芳", TOWN.id), Attendance("王芳", TOWN.id))
    with raises(DuplicateAttendanceError, participant="王芳"):
        record(lesson(attendance=twice))
    both = Attendance("王芳", TOWN.id, signed_in_at=STARTS, leave_reason="病假")
    with raises(AttendanceMarkError, reason="leave_and_present"):
        record(lesson(attendance=(both,)))
    with raises(AttendanceMarkError, reason="not_signed_in"):
        record(lesson(attendance=(Attendance("王芳", TOWN.id, late=True),)))


def test_the_same_person_twice_is_refused_but_namesakes_of_two_schools_are_two() -> None:
    with raises(DuplicateParticipantError, participant="王芳"):
        record(lesson(participants=(*PEOPLE, Participant("王芳", TOWN.id, "听课"))))
    assert len(record(lesson(participants=(*PEOPLE, Participant("王芳", LEAD.id)))).expected) == 4


def test_moments_need_their_time_zone() -> None:
    bare = datetime(2023, 5, 10, 8, 30)  # noqa: DTZ001
    for field in ("starts_at", "notified_at"):
        with raises(InvalidValueError, field=field, reason="no_time_zone"):
            record(lesson(**{field: bare}))
    with raises(InvalidValueError, field="attendance_signed_in_at", reason="no_time_zone"):
        record(lesson(attendance=(Attendance("王芳", TOWN.id, signed_in_at=bare),)))


def test_the_notice_comes_before_the_day_and_the_venue_is_one_of_the_actions_schools() -> None:
    a_day_ahead = record(
        lesson(kind=ActivityKind.SPOT_CHECK_LESSON, notified_at=STARTS - timedelta(days=1))
    )
    assert a_day_ahead.facts.notified_at == STARTS - timedelta(days=1)
    with raises(NoticeAfterActivityError):
        record(lesson(notified_at=STARTS + timedelta(days=1)))
    assert record(lesson(venue_school_id=TOWN.id)).facts.venue_school_id == TOWN.id
    with raises(VenueSchoolError, school_id=OTHER.id):
        record(lesson(venue_school_id=OTHER.id))


def test_sending_lessons_go_online_only_with_a_reason_and_a_reason_only_online() -> None:
    online = record(lesson(mode=ActivityMode.ONLINE, online_reason=" 道路因雪封闭 "))
    assert online.facts.online_reason == "道路因雪封闭"
    with raises(ModeNotAllowedError, kind=ActivityKind.SENDING_LESSONS):
        record(lesson(mode=ActivityMode.ONLINE))
    with raises(OnlineReasonError, mode=ActivityMode.ON_SITE):
        record(lesson(online_reason="没有必要"))
    with raises(OnlineReasonError, kind=ActivityKind.SYNCHRONOUS_LESSON):  # online by nature
        record(
            lesson(
                kind=ActivityKind.SYNCHRONOUS_LESSON, mode=ActivityMode.ONLINE, online_reason="x"
            )
        )
    training = lesson(
        kind=ActivityKind.TEACHER_TRAINING, mode=ActivityMode.ONLINE, online_reason="疫情"
    )
    assert record(training).facts.online_reason == "疫情"


def test_a_follow_up_continues_an_earlier_action_of_the_same_community() -> None:
    sync = lesson(kind=ActivityKind.SYNCHRONOUS_LESSON, mode=ActivityMode.ONLINE)
    earlier = record(replace(sync, held_on=sync.held_on - timedelta(days=1)), id_=2)
    seminar = lesson(kind=ActivityKind.SYNC_TEACHING_SEMINAR, follows_up=earlier.id)
    assert record(seminar, follows=earlier).facts.follows_up == earlier.id
    with raises(FollowUpError, reason="not_loaded"):
        record(seminar)
    with raises(FollowUpError, reason="itself"):
        record(replace(seminar, follows_up=UUID(int=1)), follows=record())
    later = record(replace(sync, held_on=sync.held_on + timedelta(days=1)), id_=3)
    with raises(FollowUpError, reason="later"):
        record(replace(seminar, follows_up=later.id), follows=later)
    other = Community.form(
        id=UUID(int=40),
        name="Another community",
        type=CommunityType.CO_BUILT,
        lead=TOWN,
        members=(LEAD,),
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        agreement="",
        by=CLERK,
    )
    elsewhere = Activity.record(
        id=UUID(int=4),
        community=other,
        facts=facts(TOWN.id, LEAD.id),
        today=TODAY,
        by=CLERK,
    )
    with raises(FollowUpError, reason="other_community"):
        record(replace(seminar, follows_up=elsewhere.id), follows=elsewhere)
    earlier.void("重复", by=CLERK)
    with raises(FollowUpError, reason="voided"):
        record(seminar, follows=earlier)


def test_a_sign_in_needs_a_link_this_action_issued_and_before_it_expires() -> None:
    activity = record()
    with raises(SignInLinkError, reason="unknown"):
        activity.sign_in("王芳", TOWN.id, STARTS, link_id=UUID(int=5))
    with raises(SignInLinkError, reason="expired"):
        activity.sign_in("王芳", TOWN.id, STARTS + timedelta(hours=2), link_id=LINK)
    with raises(SignInLinkError, reason="expired"):  # issued already past its time
        activity.issue_sign_in_link(UUID(int=6), STARTS, STARTS, CLERK)
    with raises(InvalidValueError, field="expires_at", reason="no_time_zone"):
        activity.issue_sign_in_link(UUID(int=6), datetime(2099, 1, 1), STARTS, CLERK)  # noqa: DTZ001
    activity.void("重复", by=CLERK)
    with raises(ActivityVoidedError):
        activity.issue_sign_in_link(UUID(int=7), STARTS + timedelta(hours=1), STARTS, CLERK)


def test_a_mark_on_the_sheet_wins_over_a_phone_sign_in_and_only_the_expected_count() -> None:
    activity = record()
    activity.sign_in("王芳", TOWN.id, STARTS + timedelta(minutes=9), link_id=LINK)
    activity.sign_in("赵磊", TOWN.id, STARTS - timedelta(minutes=9), link_id=LINK)
    late = {person: s.late for person, s in activity.sign_ins.items()}
    on_time = (Attendance("王芳", TOWN.id, signed_in_at=STARTS),)  # the sheet says on time
    fewer = (PEOPLE[0], PEOPLE[1])  # 赵磊 taken off the list
    counted = count_attendance(((p.name, p.school_id) for p in fewer), on_time, late)
    assert (counted.expected, counted.signed_in, counted.late, counted.absent) == (2, 1, 0, 1)
