"""The Community aggregate."""

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from domain.codes import CommunityType, SchoolLocation
from domain.community.community import Community, Stint
from domain.community.errors import (
    AlreadyMemberError,
    CommunityDissolvedError,
    CommunityPeriodError,
    DuplicateSchoolError,
    JoinBeforeLeftError,
    LastMemberError,
    LeadIsMemberError,
    NoMemberSchoolsError,
    NotMemberError,
    OutsideCommunityPeriodError,
    SchoolClosedError,
)
from domain.community.school import School
from domain.errors import InvalidValueError
from tests.domain.support import (
    CLERK,
    COMMUNITY_ID,
    ENDS_ON,
    STARTS_ON,
    raises,
    rebuilt,
    school,
)

LEAD = school("CG-01", location=SchoolLocation.URBAN)
TOWN = school("XZ-02", location=SchoolLocation.TOWN)
VILLAGE = school("CZ-03")
LATE = school("CZ-04")
SPRING = date(2023, 3, 1)


def closed(code: str) -> School:
    shut = school(code)
    shut.close(date(2022, 7, 1), "merged", by=CLERK)
    return shut


def form(
    lead: School = LEAD,
    members: Sequence[School] = (TOWN, VILLAGE),
    *,
    name: str = "Chengguan Primary Community",
    starts_on: date = STARTS_ON,
    ends_on: date = ENDS_ON,
) -> Community:
    return Community.form(
        id=COMMUNITY_ID,
        name=name,
        type=CommunityType.FUSED,
        lead=lead,
        members=members,
        starts_on=starts_on,
        ends_on=ends_on,
        agreement=" Agreement 2022-07 ",
        by=CLERK,
    )


def formed() -> Community:
    """A community of LEAD with TOWN and VILLAGE, its Formed event already collected."""
    new = form()
    new.collect_events()
    return new


def test_forming_records_formed_with_initial_members() -> None:
    new = form(name=" Chengguan Primary Community ")
    [event] = new.collect_events()
    assert isinstance(event, Community.Formed)
    assert event.originator_id == COMMUNITY_ID
    assert (event.name, event.type, event.lead_school_id) == (
        "Chengguan Primary Community",
        CommunityType.FUSED,
        LEAD.id,
    )
    assert event.member_school_ids == (TOWN.id, VILLAGE.id)
    assert (event.starts_on, event.ends_on) == (STARTS_ON, ENDS_ON)
    assert (event.agreement, event.formed_by) == ("Agreement 2022-07", CLERK)
    assert new.stints == {
        TOWN.id: (Stint(STARTS_ON, None),),
        VILLAGE.id: (Stint(STARTS_ON, None),),
    }
    assert new.current_member_ids == {TOWN.id, VILLAGE.id}
    assert new.dissolved_on is None


def test_forming_without_a_name_is_refused() -> None:
    with raises(InvalidValueError, field="name", reason="blank"):
        form(name=" ")


def test_forming_with_a_too_long_name_is_refused() -> None:
    with raises(InvalidValueError, field="name", reason="too_long", limit=100):
        form(name="x" * 101)


@pytest.mark.parametrize("ends_on", [STARTS_ON, STARTS_ON - timedelta(days=1)])
def test_forming_with_an_end_not_after_the_start_is_refused(ends_on: date) -> None:
    with raises(CommunityPeriodError, starts_on=STARTS_ON, ends_on=ends_on):
        form(ends_on=ends_on)


def test_forming_without_member_schools_is_refused() -> None:
    with raises(NoMemberSchoolsError, lead_school_id=LEAD.id):
        form(members=())


def test_forming_with_the_lead_among_the_members_is_refused() -> None:
    with raises(LeadIsMemberError, school_id=LEAD.id):
        form(members=(TOWN, LEAD))


def test_forming_with_a_member_twice_is_refused() -> None:
    with raises(DuplicateSchoolError, school_id=TOWN.id):
        form(members=(TOWN, VILLAGE, TOWN))


def test_forming_with_a_closed_lead_is_refused() -> None:
    lead = closed("GONE-01")
    with raises(SchoolClosedError, school_id=lead.id, closed_on=date(2022, 7, 1)):
        form(lead=lead)


def test_forming_with_a_closed_member_is_refused() -> None:
    member = closed("GONE-02")
    with raises(SchoolClosedError, school_id=member.id):
        form(members=(TOWN, member))


def test_active_days_run_from_start_to_end_inclusive() -> None:
    active = formed()
    assert not active.is_active_on(STARTS_ON - timedelta(days=1))
    assert active.is_active_on(STARTS_ON)
    assert active.is_active_on(ENDS_ON)
    assert not active.is_active_on(ENDS_ON + timedelta(days=1))


def test_the_lead_counts_as_a_member_on_every_active_day_only() -> None:
    active = formed()
    assert active.is_member_on(LEAD.id, STARTS_ON)
    assert active.is_member_on(LEAD.id, ENDS_ON)
    assert not active.is_member_on(LEAD.id, ENDS_ON + timedelta(days=1))
    assert LEAD.id not in active.member_ids_on(STARTS_ON)


def test_initial_members_are_members_from_the_start() -> None:
    active = formed()
    assert active.is_member_on(TOWN.id, STARTS_ON)
    assert not active.is_member_on(TOWN.id, STARTS_ON - timedelta(days=1))
    assert not active.is_member_on(LATE.id, SPRING)
    assert active.member_ids_on(SPRING) == {TOWN.id, VILLAGE.id}
    assert active.member_ids_on(ENDS_ON + timedelta(days=1)) == frozenset()


def test_joining_records_member_school_joined() -> None:
    active = formed()
    active.join(LATE, SPRING, by=CLERK)
    [event] = active.collect_events()
    assert isinstance(event, Community.MemberSchoolJoined)
    assert (event.school_id, event.joined_on, event.joined_by) == (LATE.id, SPRING, CLERK)
    assert active.stints[LATE.id] == (Stint(SPRING, None),)
    assert not active.is_member_on(LATE.id, SPRING - timedelta(days=1))
    assert active.is_member_on(LATE.id, SPRING)
    assert active.current_member_ids == {TOWN.id, VILLAGE.id, LATE.id}


@pytest.mark.parametrize("on", [STARTS_ON, ENDS_ON])
def test_joining_on_the_first_or_last_day_is_accepted(on: date) -> None:
    active = formed()
    active.join(LATE, on, by=CLERK)
    assert active.is_member_on(LATE.id, on)


@pytest.mark.parametrize("on", [STARTS_ON - timedelta(days=1), ENDS_ON + timedelta(days=1)])
def test_joining_outside_the_period_is_refused(on: date) -> None:
    active = formed()
    with raises(
        OutsideCommunityPeriodError,
        community_id=COMMUNITY_ID,
        day=on,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
    ):
        active.join(LATE, on, by=CLERK)


def test_joining_a_dissolved_community_is_refused() -> None:
    active = formed()
    active.dissolve(date(2023, 7, 1), "merged into another community", by=CLERK)
    with raises(CommunityDissolvedError, community_id=COMMUNITY_ID, dissolved_on=date(2023, 7, 1)):
        active.join(LATE, SPRING, by=CLERK)


def test_joining_with_a_closed_school_is_refused() -> None:
    shut = closed("GONE-03")
    with raises(SchoolClosedError, school_id=shut.id):
        formed().join(shut, SPRING, by=CLERK)


def test_joining_with_the_lead_is_refused() -> None:
    with raises(LeadIsMemberError, school_id=LEAD.id):
        formed().join(LEAD, SPRING, by=CLERK)


def test_joining_again_while_a_member_is_refused() -> None:
    with raises(AlreadyMemberError, community_id=COMMUNITY_ID, school_id=TOWN.id, on=SPRING):
        formed().join(TOWN, SPRING, by=CLERK)


def test_a_school_that_left_may_rejoin_from_its_leaving_day() -> None:
    active = formed()
    left_on = date(2023, 1, 10)
    active.leave(TOWN.id, left_on, "teachers reassigned", by=CLERK)
    active.join(TOWN, SPRING, by=CLERK)
    assert active.stints[TOWN.id] == (Stint(STARTS_ON, left_on), Stint(SPRING, None))
    assert active.is_member_on(TOWN.id, left_on - timedelta(days=1))
    assert not active.is_member_on(TOWN.id, left_on)
    assert not active.is_member_on(TOWN.id, SPRING - timedelta(days=1))
    assert active.is_member_on(TOWN.id, SPRING)
    assert active.current_member_ids == {TOWN.id, VILLAGE.id}
    active.leave(TOWN.id, date(2023, 5, 1), "again", by=CLERK)
    active.join(TOWN, date(2023, 5, 1), by=CLERK)
    assert active.is_member_on(TOWN.id, date(2023, 5, 1))


def test_rejoining_before_the_leaving_day_is_refused() -> None:
    active = formed()
    left_on = date(2023, 1, 10)
    active.leave(TOWN.id, left_on, "teachers reassigned", by=CLERK)
    with raises(
        JoinBeforeLeftError,
        community_id=COMMUNITY_ID,
        school_id=TOWN.id,
        left_on=left_on,
        on=date(2022, 10, 1),
    ):
        active.join(TOWN, date(2022, 10, 1), by=CLERK)


def test_leaving_records_member_school_left() -> None:
    active = formed()
    active.leave(VILLAGE.id, SPRING, " school merged ", by=CLERK)
    [event] = active.collect_events()
    assert isinstance(event, Community.MemberSchoolLeft)
    assert (event.school_id, event.left_on, event.reason, event.left_by) == (
        VILLAGE.id,
        SPRING,
        "school merged",
        CLERK,
    )
    assert active.stints[VILLAGE.id] == (Stint(STARTS_ON, SPRING),)
    assert active.is_member_on(VILLAGE.id, SPRING - timedelta(days=1))
    assert not active.is_member_on(VILLAGE.id, SPRING)
    assert active.member_ids_on(SPRING) == {TOWN.id}
    assert active.current_member_ids == {TOWN.id}


def test_leaving_without_having_joined_is_refused() -> None:
    with raises(NotMemberError, community_id=COMMUNITY_ID, school_id=LATE.id, on=SPRING):
        formed().leave(LATE.id, SPRING, "never joined", by=CLERK)


def test_leaving_twice_is_refused() -> None:
    active = formed()
    active.leave(VILLAGE.id, SPRING, "merged", by=CLERK)
    with raises(NotMemberError, school_id=VILLAGE.id):
        active.leave(VILLAGE.id, date(2023, 4, 1), "merged", by=CLERK)


def test_leaving_before_joining_is_refused() -> None:
    active = formed()
    active.join(LATE, SPRING, by=CLERK)
    with raises(NotMemberError, school_id=LATE.id, on=date(2023, 2, 1)):
        active.leave(LATE.id, date(2023, 2, 1), "wrong date", by=CLERK)


def test_the_lead_cannot_leave() -> None:
    with raises(NotMemberError, school_id=LEAD.id):
        formed().leave(LEAD.id, SPRING, "lead leaves", by=CLERK)


def test_the_last_member_cannot_leave() -> None:
    active = formed()
    active.leave(VILLAGE.id, SPRING, "merged", by=CLERK)
    with raises(LastMemberError, community_id=COMMUNITY_ID, school_id=TOWN.id, on=SPRING):
        active.leave(TOWN.id, SPRING, "merged", by=CLERK)


def test_leaving_without_a_reason_is_refused() -> None:
    with raises(InvalidValueError, field="reason", reason="blank"):
        formed().leave(VILLAGE.id, SPRING, "", by=CLERK)


def test_leaving_outside_the_period_is_refused() -> None:
    with raises(OutsideCommunityPeriodError, day=ENDS_ON + timedelta(days=1)):
        formed().leave(VILLAGE.id, ENDS_ON + timedelta(days=1), "after the end", by=CLERK)


def test_leaving_a_dissolved_community_is_refused() -> None:
    active = formed()
    active.dissolve(date(2023, 7, 1), "merged", by=CLERK)
    with raises(CommunityDissolvedError, community_id=COMMUNITY_ID):
        active.leave(VILLAGE.id, SPRING, "merged", by=CLERK)


def test_dissolving_records_dissolved_and_ends_activity_that_day() -> None:
    active = formed()
    dissolved_on = date(2023, 7, 1)
    active.dissolve(dissolved_on, " merged into a larger community ", by=CLERK)
    [event] = active.collect_events()
    assert isinstance(event, Community.Dissolved)
    assert (event.dissolved_on, event.reason, event.dissolved_by) == (
        dissolved_on,
        "merged into a larger community",
        CLERK,
    )
    assert active.dissolved_on == dissolved_on
    assert active.is_active_on(dissolved_on - timedelta(days=1))
    assert not active.is_active_on(dissolved_on)
    assert active.is_member_on(TOWN.id, dissolved_on - timedelta(days=1))
    assert not active.is_member_on(TOWN.id, dissolved_on)
    assert not active.is_member_on(LEAD.id, dissolved_on)
    assert active.member_ids_on(dissolved_on) == frozenset()


def test_dissolving_twice_is_refused() -> None:
    active = formed()
    active.dissolve(date(2023, 7, 1), "merged", by=CLERK)
    with raises(CommunityDissolvedError, dissolved_on=date(2023, 7, 1)):
        active.dissolve(date(2023, 7, 2), "again", by=CLERK)


@pytest.mark.parametrize("on", [STARTS_ON - timedelta(days=1), ENDS_ON + timedelta(days=1)])
def test_dissolving_outside_the_period_is_refused(on: date) -> None:
    with raises(OutsideCommunityPeriodError, day=on):
        formed().dissolve(on, "merged", by=CLERK)


def test_dissolving_without_a_reason_is_refused() -> None:
    with raises(InvalidValueError, field="reason", reason="blank"):
        formed().dissolve(date(2023, 7, 1), " ", by=CLERK)


def test_stints_cannot_be_changed_from_outside() -> None:
    active = formed()
    active.stints[LATE.id] = (Stint(STARTS_ON, None),)
    assert LATE.id not in active.stints


def test_replaying_the_events_rebuilds_the_same_community() -> None:
    original = form()
    original.join(LATE, SPRING, by=CLERK)
    original.leave(TOWN.id, date(2023, 4, 1), "reassigned", by=CLERK)
    original.join(TOWN, date(2023, 5, 1), by=CLERK)
    original.dissolve(date(2024, 7, 1), "merged", by=CLERK)
    events = original.collect_events()
    assert [type(e) for e in events] == [
        Community.Formed,
        Community.MemberSchoolJoined,
        Community.MemberSchoolLeft,
        Community.MemberSchoolJoined,
        Community.Dissolved,
    ]
    copy = rebuilt(Community, events)
    assert copy == original
    assert copy.stints == original.stints
    assert copy.dissolved_on == date(2024, 7, 1)
    assert copy.version == 5
