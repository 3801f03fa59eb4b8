"""Events are a schema: only JSON-safe field types, and a JSON round trip restores them exactly."""

import dataclasses
import types
import typing
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any
from uuid import UUID

import msgspec
import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate

from domain.assessment.record import Assessment
from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.codes import (
    ActivityKind,
    ActivityMode,
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    BackboneLevel,
    GroupRole,
    PhaseKind,
    Post,
    Relation,
    ReviewLevel,
    TeacherTitle,
)
from domain.commendation.commendation import Commendation
from domain.community.activity import Activity, ActivityFacts, Participant
from domain.community.attendance import Attendance
from domain.community.community import Community
from domain.community.school import School
from domain.community.setup import Agreement, ExternalSchool, GroupMember, Phase, Studio
from domain.money.entry import Entry
from domain.quality.sitting import Sitting
from domain.research.paper import Paper
from domain.research.project import Project
from domain.review.policy import ReviewPolicy
from domain.review.review import Review
from domain.staff.assignment import Assignment
from domain.staff.mentorship import Mentorship
from domain.staff.teacher import Teacher
from domain.staff.term import CommunityPeriod
from tests.domain.assessment_events import every_kind_of_assessment_event
from tests.domain.research_events import every_kind_of_research_event
from tests.domain.support import (
    CLERK,
    SEALED,
    SHA_A,
    STARTS_ON,
    TODAY,
    community,
    facts,
    school,
    teacher,
)

COMMUNITY_AGGREGATES: list[type[Aggregate]] = [School, Community, Activity]
STAFF_AGGREGATES: list[type[Aggregate]] = [Teacher, Assignment, Mentorship]
RESEARCH_AGGREGATES: list[type[Aggregate]] = [Project, Paper, Sitting, Entry, Commendation]
ASSESSMENT_AGGREGATES: list[type[Aggregate]] = [RuleSet, Assessment]
REVIEW_AGGREGATES: list[type[Aggregate]] = [ReviewPolicy, Review]
AGGREGATES: list[type[Aggregate]] = (
    COMMUNITY_AGGREGATES
    + STAFF_AGGREGATES
    + RESEARCH_AGGREGATES
    + ASSESSMENT_AGGREGATES
    + REVIEW_AGGREGATES
)


def events_of(aggregates: list[type[Aggregate]]) -> list[type[Aggregate.Event]]:
    return [
        value
        for aggregate in aggregates
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in {"Event", "Created"}  # the library's bases, redefined on each aggregate
    ]


COMMUNITY_EVENTS = events_of(COMMUNITY_AGGREGATES)
EVENTS = events_of(AGGREGATES)
# Set by the library and the store, not by the domain (originator_id is typed by a TypeVar).
BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}
SCALARS = (str, int, bool, bytes, UUID, date, datetime)  # bytes: base64 in JSON


def allowed(annotation: Any) -> bool:
    """Whether a codec that restores types from annotations gets this field back exactly."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is types.UnionType:
        return len(args) == 2 and type(None) in args and all(map(allowed, args))
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis and allowed(args[0])
    if annotation is type(None) or annotation in SCALARS:
        return True
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return True
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        frozen = annotation.__dataclass_params__.frozen  # type: ignore[attr-defined]  # not in typeshed
        hints = typing.get_type_hints(annotation)
        return bool(frozen) and all(allowed(hints[f.name]) for f in dataclasses.fields(annotation))
    return False


def test_every_aggregate_names_its_events_in_the_past_tense() -> None:
    assert sorted(e.__qualname__ for e in COMMUNITY_EVENTS) == [
        "Activity.Corrected",
        "Activity.Recorded",
        "Activity.ReflectionSubmitted",
        "Activity.SignInLinkIssued",
        "Activity.SignedIn",
        "Activity.Voided",
        "Community.AgreementSigned",
        "Community.BaseSchoolsDesignated",
        "Community.Dissolved",
        "Community.ExternalSchoolPaired",
        "Community.Formed",
        "Community.LeadingGroupAppointed",
        "Community.MemberSchoolJoined",
        "Community.MemberSchoolLeft",
        "Community.PhasesPlanned",
        "Community.StudioOpened",
        "School.Closed",
        "School.Registered",
        "School.Renamed",
    ]
    assert sorted(e.__qualname__ for e in events_of(STAFF_AGGREGATES)) == [
        "Assignment.Arranged",
        "Assignment.EndedEarly",
        "Assignment.Replaced",
        "Mentorship.EndedEarly",
        "Mentorship.LessonLinked",
        "Mentorship.Paired",
        "Teacher.BackboneLevelChanged",
        "Teacher.Erased",
        "Teacher.Left",
        "Teacher.PersonalDataChanged",
        "Teacher.PostsChanged",
        "Teacher.Registered",
        "Teacher.TitleChanged",
        "Teacher.Transferred",
    ]
    assert sorted(e.__qualname__ for e in events_of(RESEARCH_AGGREGATES)) == [
        "Commendation.Awarded",
        "Commendation.Revoked",
        "Entry.Recorded",
        "Entry.Reversed",
        "Paper.Recorded",
        "Paper.Voided",
        "Project.Abandoned",
        "Project.Applied",
        "Project.Approved",
        "Project.Concluded",
        "Sitting.AnalysisRecorded",
        "Sitting.Held",
        "Sitting.ResultsRecorded",
    ]
    assert sorted(e.__qualname__ for e in events_of(REVIEW_AGGREGATES)) == [
        "Review.Approved",
        "Review.Opened",
        "Review.Reopened",
        "Review.Resubmitted",
        "Review.Returned",
        "ReviewPolicy.Adopted",
        "ReviewPolicy.Changed",
    ]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__qualname__)
def test_event_fields_use_only_json_safe_types(event: type[Aggregate.Event]) -> None:
    hints = typing.get_type_hints(event)
    for field in dataclasses.fields(event):
        if field.name not in BASE_FIELDS:
            annotation = hints[field.name]
            assert allowed(annotation), f"{event.__qualname__}.{field.name}: {annotation}"


def identical(restored: object, original: object) -> bool:
    """Equal and of the same types all the way down (a StrEnum equals its plain string)."""
    if type(restored) is not type(original):
        return False
    if isinstance(original, tuple):
        assert isinstance(restored, tuple)
        return len(restored) == len(original) and all(map(identical, restored, original))
    if dataclasses.is_dataclass(original):
        return all(
            identical(getattr(restored, f.name), getattr(original, f.name))
            for f in dataclasses.fields(original)
        )
    return restored == original


def every_kind_of_event() -> list[CanMutateAggregate[UUID]]:
    lead, town, village = school("CG-01"), school("XZ-02"), school("CZ-03")
    later = school("CZ-04")
    lead.rename("Chengguan Central Primary", "renamed", by=CLERK)
    group = community(lead, (town, village))
    group.join(later, TODAY, by=CLERK)
    later.close(TODAY, "merged", by=CLERK)
    group.leave(village.id, TODAY, "merged", by=CLERK)
    earlier = Activity.record(
        id=UUID(int=6), community=group, facts=facts(lead.id, town.id), today=TODAY, by=CLERK
    )
    full = full_facts(lead, town, follows_up=earlier.id)
    activity = Activity.record(
        id=UUID(int=7), community=group, facts=full, today=TODAY, by=CLERK, follows=earlier
    )
    link = UUID(int=70)
    activity.issue_sign_in_link(link, MORNING + timedelta(hours=2), MORNING, by=CLERK)
    activity.sign_in("Wang Fang", town.id, MORNING + timedelta(minutes=5), link_id=link)
    activity.submit_reflection("Li Hua", lead.id, "What I learnt.", by=CLERK)
    corrected = dataclasses.replace(full, note="fixed")
    activity.correct(group, corrected, "note", TODAY, by=CLERK, follows=earlier)
    activity.void("duplicate", by=CLERK)
    staff = every_kind_of_staff_event(lead, town, group)
    research = every_kind_of_research_event(lead, town, group)
    set_up(group, lead.id)
    group.dissolve(TODAY, "merged", by=CLERK)
    rules = RuleSet.draft(
        namespace=UUID(int=10), source=template_source("yueqing-pingyang"), template="", by=CLERK
    )
    rules.revise(template_source("yueqing-pingyang"), by=CLERK)
    rules.validate(by=CLERK)
    rules.publish(date(2022, 9, 1), None, by=CLERK)
    assessment = every_kind_of_assessment_event(rules, group)
    return [
        *lead.collect_events(),
        *later.collect_events(),
        *group.collect_events(),
        *earlier.collect_events(),
        *activity.collect_events(),
        *staff,
        *research,
        *rules.collect_events(),
        *assessment,
        *every_kind_of_review_event(),
    ]


MORNING = datetime(2023, 5, 10, 8, 30, tzinfo=timezone(timedelta(hours=8)))


def full_facts(lead: School, town: School, **changes: Any) -> ActivityFacts:
    """Facts with every field set: attendance, place, notice, the online stand-in."""
    return facts(
        lead.id,
        town.id,
        participants=(
            Participant("Li Hua", lead.id, "teacher"),
            Participant("Wang Fang", town.id, ""),
            Participant("Zhao Lei", town.id, ""),
        ),
        mode=ActivityMode.ONLINE,
        online_reason="Roads closed by snow",
        starts_at=MORNING,
        venue_school_id=town.id,
        notified_at=MORNING - timedelta(days=1),
        attendance=(
            Attendance("Li Hua", lead.id, signed_in_at=MORNING, left_early=True),
            Attendance("Zhao Lei", town.id, leave_reason="ill"),
        ),
        **changes,
    )


def set_up(group: Community, base: UUID) -> None:
    """Every kind of event of a community's set-up (domain/community/setup.py)."""
    teacher_id = UUID(int=11)
    group.sign_agreement(
        Agreement("rights", "duties", "co-built", "targets", "bundled", TODAY, "pact.pdf", SHA_A),
        by=CLERK,
    )
    group.appoint_leading_group(
        [
            GroupMember(GroupRole.LEADER, None, "Director", "bureau"),
            GroupMember(GroupRole.MEMBER, teacher_id, "", ""),
        ],
        TODAY,
        by=CLERK,
    )
    group.designate_base_schools([base], TODAY, by=CLERK)
    group.open_studio(
        Studio(UUID(int=12), "Math studio", teacher_id, (UUID(int=13),), TODAY), by=CLERK
    )
    group.plan_phases([Phase(PhaseKind.LAUNCH, STARTS_ON, TODAY)], by=CLERK)
    group.pair_external_school(ExternalSchool("Pingyang No.1", "Pingyang", TODAY, ""), by=CLERK)


def every_kind_of_review_event() -> list[CanMutateAggregate[UUID]]:
    levels = (ReviewLevel.SCHOOL, ReviewLevel.COUNTY)
    policy = ReviewPolicy.adopt(
        id=UUID(int=11), levels=levels, applies_from=date(2022, 9, 1), by=CLERK
    )
    policy.change((ReviewLevel.COUNTY,), None, by=CLERK)
    review = Review.open(activity_id=UUID(int=7), levels=levels, by=CLERK)
    review.approve(ReviewLevel.SCHOOL, 1, "ok", by=CLERK)
    review.send_back(ReviewLevel.COUNTY, 1, "missing sign-in sheet", by=CLERK)
    review.resubmit((ReviewLevel.COUNTY,), 2, "corrected", by=CLERK)
    review.approve(ReviewLevel.COUNTY, 2, "", by=CLERK)
    review.reopen(levels, 3, by=None)  # corrected once approved
    return [*policy.collect_events(), *review.collect_events()]


def every_kind_of_staff_event(
    lead: School, town: School, group: Community
) -> list[CanMutateAggregate[UUID]]:
    mentor, apprentice, successor = teacher(lead, 1), teacher(town, 2), teacher(lead, 3)
    mentor.transfer(town, TODAY, by=CLERK)
    mentor.change_title(TeacherTitle.SENIOR, TODAY, by=CLERK)
    mentor.change_backbone_level(BackboneLevel.CITY, TODAY, by=CLERK)
    mentor.change_posts((Post.GRADE_LEADER,), TODAY, by=CLERK)
    mentor.change_personal_data(SEALED + b"new phone", by=CLERK)
    apprentice.leave(TODAY, "moved away", by=CLERK)
    apprentice.erase(by=CLERK)
    dispatch = Assignment.arrange(
        id=UUID(int=8),
        kind=AssignmentKind.DISPATCH,
        teacher=successor,
        role=AssignmentRole.BACKBONE_TEACHER,
        from_school=lead,
        to_school=town,
        host_posts=(Post.CLASS_TEACHER,),
        starts_on=date(2022, 9, 1),
        planned_ends_on=date(2024, 7, 31),
        community=CommunityPeriod.of(group),
        personnel_relation=Relation.UNCHANGED,
        party_relation=Relation.UNCHANGED,
        others=(),
        by=CLERK,
    )
    dispatch.replace(
        mentor, on=date(2023, 9, 1), side=AssignmentSide.HOST, reason="", others=(), by=CLERK
    )
    dispatch.end_early(date(2024, 1, 31), "illness", by=CLERK)
    pairing = Mentorship.pair(
        id=UUID(int=9),
        mentor=mentor,
        apprentice=successor,
        school=town,
        starts_on=date(2022, 9, 1),
        planned_ends_on=date(2024, 8, 31),
        by=CLERK,
    )
    public = Activity.record(
        id=UUID(int=10),
        community=group,
        facts=facts(lead.id, town.id, kind=ActivityKind.PUBLIC_LESSON),
        today=TODAY,
        by=CLERK,
    )
    pairing.link_lesson(public, by=CLERK)
    pairing.end_early(TODAY, "apprentice left", by=CLERK)
    return [
        *mentor.collect_events(),
        *apprentice.collect_events(),
        *dispatch.collect_events(),
        *pairing.collect_events(),
    ]


def test_every_event_survives_a_json_round_trip_exactly() -> None:
    events = every_kind_of_event()
    assert {type(e) for e in events} == set(EVENTS)
    for event in events:
        state = msgspec.json.decode(msgspec.json.encode(vars(event)))
        state["originator_id"] = event.originator_id  # the store keeps it in its own column
        restored = msgspec.convert(state, type=type(event))
        assert restored == event
        for name, value in vars(event).items():
            assert identical(getattr(restored, name), value), f"{type(event).__qualname__}.{name}"
