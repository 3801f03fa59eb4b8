"""One test (or a few) per shape of RULES-CATALOGUE §2, with hand-made facts."""

from dataclasses import replace
from datetime import date

from domain.assessment.calendar import Window
from domain.assessment.codes import CommunityRole, EvaluationMode, ExclusionReason
from domain.assessment.facts import (
    AssignmentFact,
    Attendance,
    MentorshipFact,
    MoneyFact,
    PaperFact,
    Phase,
    ProjectFact,
    QualityFact,
    Reflection,
)
from domain.codes import (
    ActivityMode,
    AssignmentKind,
    AssignmentRole,
    BackboneLevel,
    CommunityType,
    ComplianceStatus,
    Post,
    ResearchLevel,
    SchoolStage,
    Subject,
    TeacherTitle,
)
from tests.domain.rules_support import (
    COMMUNITY,
    LEAD,
    MEMBER_A,
    MEMBER_B,
    at,
    community,
    facts,
    judge,
    one,
    rule,
    schools,
    teacher,
    uid,
    version,
)
from tests.domain.rules_support import action as act

S = ComplianceStatus
R = ExclusionReason
SEND = {"kinds": ["sending_lessons"]}


def test_shape_1_count_at_least_per_semester_per_member_school() -> None:
    rules = version(rule({"type": "count", "min": 1}, scope="each_member", counts=SEND))
    found = facts(actions=(act(1, "sending_lessons", date(2022, 10, 9)),))
    results = judge(rules, found, date(2023, 3, 1))
    assert one(results, "2022-autumn", MEMBER_A).status == S.MET
    assert one(results, "2022-autumn", MEMBER_B).status == S.MISSED  # not involved
    assert one(results, "2023-spring", MEMBER_A).status == S.OPEN  # 1 month of 6 gone
    assert one(results, "2022-autumn", MEMBER_A).counted == (uid(1001),)


def test_shape_2_exact_count_is_missed_above_it() -> None:
    rules = version(rule({"type": "count", "exactly": 1}, counts=SEND))
    two = (
        act(1, "sending_lessons", date(2022, 10, 9)),
        act(2, "sending_lessons", date(2022, 11, 9)),
    )
    result = one(judge(rules, facts(actions=two), date(2022, 12, 1)), "2022-autumn")
    assert (result.done, result.maximum, result.status) == (2, 1, S.MISSED)


def test_shape_3_range_count() -> None:
    rules = version(rule({"type": "count", "min": 1, "max": 2}, counts=SEND))
    two = (
        act(1, "sending_lessons", date(2022, 10, 9)),
        act(2, "sending_lessons", date(2022, 11, 9)),
    )
    assert one(judge(rules, facts(actions=two), date(2023, 3, 1)), "2022-autumn").status == S.MET


def test_shape_4_weekly_fortnightly_and_monthly_cadences() -> None:
    weekly = version(
        rule(
            {"type": "count", "min": 1},
            period={"grain": "week"},
            counts={"kinds": ["collective_lesson_prep"]},
        )
    )
    found = facts(actions=(act(1, "collective_lesson_prep", date(2022, 9, 7)),))
    results = judge(
        weekly, found, date(2022, 9, 20), asked=replace_window(date(2022, 9, 5), date(2022, 9, 18))
    )
    assert [(r.period.code, r.status) for r in results] == [
        ("2022-W36", S.MET),
        ("2022-W37", S.MISSED),
    ]
    fortnight = version(
        rule(
            {"type": "count", "min": 1},
            period={"grain": "fortnight"},
            counts={"kinds": ["teaching_research"]},
        )
    )
    results = judge(
        fortnight,
        facts(),
        date(2022, 9, 10),
        asked=replace_window(date(2022, 9, 1), date(2022, 9, 20)),
    )
    assert [r.period.code for r in results] == ["F2022-09-01", "F2022-09-15"]
    monthly = version(
        rule(
            {"type": "count", "min": 1},
            period={"grain": "month"},
            counts={"kinds": ["management_exchange"]},
        )
    )
    assert len(judge(monthly, facts(), date(2023, 9, 1))) == 12


def replace_window(start: date, end: date) -> Window:
    return Window(start, end, "asked")


def test_shape_5_per_person_quota_over_a_roster_predicate() -> None:
    young, old = teacher(1, MEMBER_A, 1995), teacher(2, MEMBER_A, 1970)
    rules = version(
        rule(
            {
                "type": "per_person",
                "roster": {"school_role": "member", "predicate": {"age_max": 35}},
                "min": 1,
            },
            period={"grain": "school_year"},
            counts={"kinds": ["public_lesson"]},
        )
    )
    lesson = act(1, "public_lesson", date(2022, 11, 1), host=MEMBER_A, presenter_ids=(young.id,))
    result = one(
        judge(rules, facts(teachers=(young, old), actions=(lesson,)), date(2023, 9, 1)), "2022-2023"
    )
    assert (result.required, result.done, result.status) == (1, 1, S.MET)


def test_shape_6_coverage_of_subjects_within_the_year_names_repeats() -> None:
    rules = version(
        rule(
            {"type": "coverage", "of": "subjects", "subjects": ["chinese", "math"]},
            period={"grain": "school_year"},
            counts=SEND,
        )
    )
    found = facts(
        actions=(
            act(1, "sending_lessons", date(2022, 10, 1), subjects=(Subject.CHINESE,)),
            act(2, "sending_lessons", date(2022, 11, 1), subjects=(Subject.CHINESE,)),
        )
    )
    result = one(judge(rules, found, date(2023, 9, 1)), "2022-2023")
    assert (result.required, result.done, result.status) == (2, 1, S.MISSED)
    assert result.excluded[0].reason == R.SUBJECT_ALREADY_COVERED


def test_shape_6_coverage_of_a_stage_s_subjects_and_of_teachers() -> None:
    rules = version(rule({"type": "coverage", "of": "subjects"}, scope="each_member", counts=SEND))
    result = one(judge(rules, facts(), date(2022, 9, 2)), "2022-autumn", MEMBER_A)
    assert result.required == 11  # the primary timetable
    staff = (teacher(1, MEMBER_A), teacher(2, MEMBER_A))
    everyone = version(
        rule(
            {"type": "coverage", "of": "teachers", "roster": {"school_role": "member"}},
            scope="each_member",
            counts={"kinds": ["teacher_training"]},
        )
    )
    training = act(1, "teacher_training", date(2022, 9, 3), participant_ids=(uid(1), uid(2)))
    found = facts(teachers=staff, actions=(training,))
    assert one(judge(everyone, found, date(2023, 2, 1)), "2022-autumn", MEMBER_A).status == S.MET


def test_shape_7_ratio_of_a_population() -> None:
    rules = version(
        rule(
            {
                "type": "ratio",
                "population": "schools",
                "public": True,
                "in_community": True,
                "min_share": 1,
            },
            scope="county",
            period={"grain": "calendar_year"},
        ),
        rule(
            {
                "type": "ratio",
                "population": "communities",
                "types": ["fused", "co_built"],
                "min_share": 0.8,
            },
            id="R2",
            scope="county",
            period={"grain": "calendar_year"},
        ),
    )
    outsider = schools()[0].__class__(uid(99), SchoolStage.PRIMARY, at(date(2022, 9, 1)))
    results = judge(rules, facts(schools=(*schools(), outsider)), date(2023, 1, 5))
    share = one([r for r in results if r.rule_id == "R1"], "2022")
    assert (share.required, share.done, share.status) == (4, 3, S.MISSED)
    assert share.excluded[0].record_id == uid(99)
    assert one([r for r in results if r.rule_id == "R2"], "2022").status == S.MET


def test_shape_8_trend_against_the_previous_school_year() -> None:
    rules = version(
        rule(
            {"type": "trend", "measures": ["pass_rate", "good_rate"]},
            scope="each_member",
            period={"grain": "school_year"},
        )
    )

    def q(period: str, rate: float) -> QualityFact:
        return QualityFact(
            MEMBER_A, Subject.MATH, 3, period, rate, rate / 2, 80, at(date(2023, 7, 1))
        )

    found = facts(quality=(q("2021-2022", 0.8), q("2022-2023", 0.9)))
    results = judge(rules, found, date(2023, 9, 1))
    assert one(results, "2022-2023", MEMBER_A).status == S.MET
    assert one(results, "2022-2023", MEMBER_B).status == S.MISSED  # no results at all


def assignment(n: int, person: int, **changes: object) -> AssignmentFact:
    found = AssignmentFact(
        id=uid(2000 + n),
        community_id=COMMUNITY,
        person_id=uid(person),
        kind=AssignmentKind.SHADOWING,
        role=AssignmentRole.SHADOWING_TEACHER,
        from_school_id=MEMBER_A,
        to_school_id=LEAD,
        starts_on=date(2022, 9, 1),
        planned_ends_on=date(2024, 8, 31),
        known_at=at(date(2022, 9, 1)),
    )
    return replace(found, **changes)  # type: ignore[arg-type]


def test_shape_9_eligibility_of_people_and_of_mentors() -> None:
    eligible = {
        "any": [
            {"general_teacher_term_served": True},
            {"all": [{"age_max": 35}, {"rotated_before": False}]},
        ]
    }
    rules = version(
        rule(
            {
                "type": "eligibility",
                "of": "assignments",
                "assignment_kind": "shadowing",
                "person": eligible,
            },
            period={"grain": "school_year"},
        ),
        rule(
            {
                "type": "eligibility",
                "of": "mentors",
                "at_host": True,
                "person": {"all": [{"title_min": "intermediate"}, {"backbone_min": "school"}]},
            },
            id="R2",
            period={"grain": "school_year"},
        ),
    )
    people = (
        teacher(1, MEMBER_A, 1995),
        teacher(2, MEMBER_A, 1970, rotated_before=True),
        teacher(3, LEAD, 1980, title=TeacherTitle.INTERMEDIATE, backbone=BackboneLevel.COUNTY),
        teacher(4, LEAD, 1980, title=TeacherTitle.JUNIOR),
    )
    mentors = (
        MentorshipFact(
            uid(3001), uid(3), uid(1), LEAD, date(2022, 9, 1), None, at(date(2022, 9, 1))
        ),
        MentorshipFact(
            uid(3002), uid(4), uid(2), LEAD, date(2022, 9, 1), None, at(date(2022, 9, 1))
        ),
    )
    found = facts(
        teachers=people, assignments=(assignment(1, 1), assignment(2, 2)), mentorships=mentors
    )
    results = judge(rules, found, date(2022, 10, 1))
    people_result = one([r for r in results if r.rule_id == "R1"], "2022-2023")
    assert (people_result.done, people_result.required, people_result.status) == (1, 2, S.MISSED)
    assert people_result.excluded[0].reason == R.INELIGIBLE
    assert one([r for r in results if r.rule_id == "R2"], "2022-2023").counted == (uid(3001),)


def test_shape_10_staffing_with_posts_terms_and_replacement() -> None:
    rules = version(
        rule(
            {
                "type": "staffing",
                "assignment_kind": "dispatch",
                "direction": "lead_to_member",
                "roles": [
                    {"role": "vice_principal", "exactly": 1, "posts": ["party_secretary"]},
                    {
                        "role": "backbone_teacher",
                        "exactly": 2,
                        "posts": ["class_teacher", "grade_leader"],
                    },
                ],
                "term_days": 730,
                "replace_after_days": 365,
            },
            scope="each_member",
            period={"grain": "school_year"},
        )
    )

    def dispatch(
        n: int, role: AssignmentRole, posts: tuple[Post, ...], **changes: object
    ) -> AssignmentFact:
        return assignment(
            n,
            100 + n,
            kind=AssignmentKind.DISPATCH,
            role=role,
            from_school_id=LEAD,
            to_school_id=MEMBER_A,
            posts=posts,
            **changes,
        )

    vp = dispatch(1, AssignmentRole.VICE_PRINCIPAL, (Post.PARTY_SECRETARY,))
    good = dispatch(2, AssignmentRole.BACKBONE_TEACHER, (Post.CLASS_TEACHER,))
    no_post = dispatch(3, AssignmentRole.BACKBONE_TEACHER, ())
    early = dispatch(
        4,
        AssignmentRole.BACKBONE_TEACHER,
        (Post.GRADE_LEADER,),
        starts_on=date(2023, 1, 1),
        replaces_id=uid(2002),
    )
    result = one(
        judge(rules, facts(assignments=(vp, good, no_post, early)), date(2023, 9, 1)),
        "2022-2023",
        MEMBER_A,
    )
    assert (result.required, result.done, result.status) == (3, 2, S.MISSED)
    assert {(e.record_id, e.reason) for e in result.excluded} == {
        (uid(2003), R.MISSING_POST),
        (uid(2004), R.EARLY_REPLACEMENT),
    }


def test_shape_11_symmetry_equal_subjects_both_ways() -> None:
    rules = version(
        rule(
            {
                "type": "symmetry",
                "source": "assignments",
                "assignment_kind": "teacher_exchange",
                "by": "subject",
            },
            period={"grain": "school_year"},
        )
    )
    out = assignment(
        1,
        1,
        kind=AssignmentKind.TEACHER_EXCHANGE,
        from_school_id=LEAD,
        to_school_id=MEMBER_A,
        subject=Subject.MATH,
    )
    back = assignment(2, 2, kind=AssignmentKind.TEACHER_EXCHANGE, subject=Subject.MATH)
    assert (
        one(judge(rules, facts(assignments=(out, back)), date(2023, 9, 1)), "2022-2023").status
        == S.MET
    )
    assert (
        one(judge(rules, facts(assignments=(out,)), date(2023, 9, 1)), "2022-2023").status
        == S.MISSED
    )
    hosts = version(
        rule(
            {"type": "symmetry", "source": "actions", "min_each": 1, "max_each": 1},
            counts={"kinds": ["teaching_research"]},
            period={"grain": "school_year"},
        )
    )
    both = (
        act(1, "teaching_research", date(2022, 10, 1)),
        act(2, "teaching_research", date(2023, 3, 1), host=MEMBER_A),
    )
    assert one(judge(hosts, facts(actions=both), date(2023, 9, 1)), "2022-2023").status == S.MET


def test_shape_12_host_rotation_month_by_month() -> None:
    rules = version(
        rule(
            {"type": "rotation", "every": "month", "order": ["lead", "member"]},
            period={"grain": "window", "from": "2023-03-01", "to": "2023-04-30"},
            counts={"kinds": ["teaching_research"]},
        )
    )
    found = facts(
        actions=(
            act(1, "teaching_research", date(2023, 3, 5)),
            act(2, "teaching_research", date(2023, 4, 5)),
        )
    )
    result = one(judge(rules, found, date(2023, 5, 1)), "2023-03-01..2023-04-30")
    assert (result.required, result.done, result.status) == (2, 1, S.MISSED)
    assert result.excluded[0].reason == R.WRONG_HOST


def test_shape_14_position_at_the_start_and_before_the_start() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            counts={"kinds": ["work_meeting"], "position": {"part": "start", "days": 21}},
        ),
        rule(
            {"type": "count", "min": 1},
            id="R2",
            counts={
                "kinds": ["teacher_training"],
                "position": {"part": "before_start", "days": 20},
            },
        ),
    )
    found = facts(
        actions=(
            act(1, "work_meeting", date(2023, 3, 1)),
            act(2, "teacher_training", date(2023, 1, 20)),
        )
    )
    results = judge(rules, found, date(2023, 8, 1))
    meeting = one([r for r in results if r.rule_id == "R1"], "2023-spring")
    assert meeting.excluded[0].reason == R.WRONG_POSITION
    assert one([r for r in results if r.rule_id == "R2"], "2023-spring").status == S.MET


def test_shape_15_windows_phases_and_a_monthly_schedule() -> None:
    phases = (Phase("launch", date(2022, 9, 1), date(2022, 10, 31)),)
    rules = version(
        rule(
            {"type": "count", "min": 1},
            period={"grain": "phase", "phase": "launch"},
            counts={"kinds": ["work_meeting"]},
        ),
        rule(
            {"type": "count", "exactly": 1},
            id="R2",
            period={"grain": "month", "months": [4]},
            counts={"kinds": ["student_contest"]},
        ),
    )
    results = judge(rules, facts(communities=(community(phases=phases),)), date(2023, 9, 1))
    assert [r.period.code for r in results if r.rule_id == "R1"] == ["phase:launch"]
    assert [r.period.code for r in results if r.rule_id == "R2"] == ["2023-04"]


def test_shape_16_agreement_term_and_shape_26_levels() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            period={"grain": "agreement_term"},
            counts={
                "source": "papers",
                "level_min": "city",
                "outcomes": ["awarded", "exchanged", "published"],
            },
        )
    )
    county = PaperFact(
        uid(1),
        COMMUNITY,
        MEMBER_A,
        uid(5),
        ResearchLevel.COUNTY,
        "awarded",
        date(2023, 5, 1),
        at(date(2023, 5, 1)),
    )
    city = replace(county, id=uid(2), level=ResearchLevel.CITY, outcome="published")
    result = one(
        judge(rules, facts(papers=(county, city)), date(2023, 6, 1)), "term:2022-09-01..2024-08-31"
    )
    assert result.counted == (uid(2),)
    assert result.excluded[0].reason == R.BELOW_LEVEL
    assert result.status == S.MET


def test_shape_17_calendar_year_is_not_school_year() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 2},
            period={"grain": "calendar_year"},
            counts={"kinds": ["lesson_plan_check"]},
        )
    )
    found = facts(
        actions=(
            act(1, "lesson_plan_check", date(2022, 12, 1)),
            act(2, "lesson_plan_check", date(2023, 3, 1)),
        )
    )
    results = judge(rules, found, date(2024, 1, 2))
    assert [(r.period.code, r.done) for r in results] == [("2022", 1), ("2023", 1)]


def test_shape_18_substitute_counts_only_with_a_reason() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            counts={
                "kinds": ["sending_lessons"],
                "substitute": {"kinds": ["synchronous_lesson"], "needs_reason": True},
            },
        )
    )
    bare = act(1, "synchronous_lesson", date(2022, 10, 1), mode=ActivityMode.ONLINE)
    reasoned = act(
        2,
        "synchronous_lesson",
        date(2022, 11, 1),
        mode=ActivityMode.ONLINE,
        substitution_reason="道路中断",
    )
    result = one(judge(rules, facts(actions=(bare, reasoned)), date(2023, 2, 1)), "2022-autumn")
    assert result.counted == (reasoned.id,)
    assert result.excluded[0].reason == R.SUBSTITUTE_WITHOUT_REASON


def test_shape_19_mode_and_place() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            counts={"kinds": ["demonstration_lesson"], "modes": ["on_site"], "place": "member"},
        )
    )
    at_lead = act(1, "demonstration_lesson", date(2022, 10, 1))
    online = act(
        2,
        "demonstration_lesson",
        date(2022, 10, 2),
        mode=ActivityMode.ONLINE,
        place_school_id=MEMBER_A,
    )
    at_member = act(3, "demonstration_lesson", date(2022, 10, 3), place_school_id=MEMBER_A)
    result = one(
        judge(rules, facts(actions=(at_lead, online, at_member)), date(2023, 2, 1)), "2022-autumn"
    )
    assert result.counted == (at_member.id,)
    assert {e.reason for e in result.excluded} == {R.WRONG_PLACE, R.WRONG_MODE}


def test_shape_20_jointness() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            scope="each_member",
            counts={"kinds": ["quality_test"], "joint": True},
        )
    )
    alone = act(1, "quality_test", date(2023, 1, 10), host=MEMBER_A, participating_school_ids=())
    joint = act(2, "quality_test", date(2023, 1, 11), host=MEMBER_A)
    result = one(
        judge(rules, facts(actions=(alone, joint)), date(2023, 2, 1)), "2022-autumn", MEMBER_A
    )
    assert result.counted == (joint.id,)
    assert result.excluded[0].reason == R.NOT_JOINT


def test_shape_21_evidence_attendance_and_reflections() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            counts={
                "kinds": ["teacher_training"],
                "sign_in_sheet": True,
                "no_late": True,
                "min_reflection": 2000,
            },
        )
    )
    base = act(
        0, "teacher_training", date(2022, 10, 1), sign_in_sheet=True, attendance=Attendance(10, 10)
    )
    found = facts(
        actions=(
            replace(base, id=uid(1), sign_in_sheet=False),
            replace(base, id=uid(2), attendance=Attendance(10, 10, late=1)),
            replace(base, id=uid(3), reflections=(Reflection(uid(7), 1999),)),
            replace(base, id=uid(4), reflections=(Reflection(uid(7), 2000),)),
        )
    )
    result = one(judge(rules, found, date(2023, 2, 1)), "2022-autumn")
    assert result.counted == (uid(4),)
    assert [e.reason for e in result.excluded] == [
        R.MISSING_EVIDENCE,
        R.ATTENDANCE,
        R.SHORT_REFLECTION,
    ]


def test_shape_22_linked_follow_up() -> None:
    rules = version(
        rule(
            {"type": "follow_up", "kinds": ["teaching_research"], "within_days": 7},
            counts={"kinds": ["synchronous_lesson"]},
        )
    )
    lesson, other = (
        act(1, "synchronous_lesson", date(2022, 10, 1)),
        act(2, "synchronous_lesson", date(2022, 10, 8)),
    )
    review = act(3, "teaching_research", date(2022, 10, 3), follow_up_of=lesson.id)
    late_review = act(4, "teaching_research", date(2022, 10, 30), follow_up_of=other.id)
    result = one(
        judge(rules, facts(actions=(lesson, other, review, late_review)), date(2023, 2, 1)),
        "2022-autumn",
    )
    assert (result.required, result.done) == (2, 1)
    assert result.excluded[0].reason == R.NO_FOLLOW_UP


def test_shape_24_a_missed_target_still_earns_some_points() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            strictness="target",
            score={"points": 10},
            counts={"kinds": ["teaching_research"]},
        ),
        rule(
            {"type": "count", "min": 1},
            id="R2",
            score={"points": 10},
            counts={"kinds": ["teaching_research"]},
        ),
    )
    results = judge(rules, facts(), date(2023, 2, 1))
    assert [(r.rule_id, r.status, r.score) for r in results if r.period.code == "2022-autumn"] == [
        ("R1", S.MISSED, 5.0),
        ("R2", S.MISSED, 0.0),
    ]


def test_shape_25_stage_dependent_thresholds() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1, "min_by_stage": {"kindergarten": 2}},
            scope="each_member",
            counts={"kinds": ["family_practice"]},
        )
    )
    kinder = schools()[1].__class__(MEMBER_B, SchoolStage.KINDERGARTEN, at(date(2022, 9, 1)))
    found = facts(schools=(schools()[0], schools()[1], kinder))
    results = judge(rules, found, date(2022, 9, 2))
    assert one(results, "2022-autumn", MEMBER_A).required == 1
    assert one(results, "2022-autumn", MEMBER_B).required == 2


def test_shape_27_money_rate_per_person_month_and_fixed_grants() -> None:
    rules = version(
        rule(
            {
                "type": "money",
                "purpose": "dispatch_subsidy",
                "amount": 200,
                "per": "person_month",
                "months_cap": 10,
                "assignment_kind": "dispatch",
            },
            period={"grain": "school_year"},
        ),
        rule(
            {"type": "money", "purpose": "lead_grant", "amount": 10000, "per": "lead_school"},
            id="R2",
            period={"grain": "school_year"},
        ),
    )
    sent = assignment(
        1,
        1,
        kind=AssignmentKind.DISPATCH,
        role=AssignmentRole.BACKBONE_TEACHER,
        from_school_id=LEAD,
        to_school_id=MEMBER_A,
    )
    paid = MoneyFact(
        uid(9), "dispatch_subsidy", 1600, date(2023, 6, 1), at(date(2023, 6, 1)), person_id=uid(1)
    )
    grant = MoneyFact(
        uid(8), "lead_grant", 10000, date(2022, 10, 1), at(date(2022, 10, 1)), school_id=LEAD
    )
    results = judge(rules, facts(assignments=(sent,), money=(paid, grant)), date(2023, 9, 1))
    subsidy = one([r for r in results if r.rule_id == "R1"], "2022-2023")
    assert (subsidy.required, subsidy.done, subsidy.status) == (2000, 1600, S.MISSED)
    assert one([r for r in results if r.rule_id == "R2"], "2022-2023").status == S.MET


def test_shape_30_the_assessor_is_carried_to_each_result() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 3},
            assessor="both_counties",
            counts={"kinds": ["teaching_research"]},
        )
    )
    assert {r.assessor for r in judge(rules, facts(), date(2023, 2, 1))} == {"both_counties"}


def test_applies_to_types_and_roles_gives_not_applicable() -> None:
    rules = version(
        rule({"type": "count", "min": 1}, applies_to={"community_types": ["fused"]}, counts=SEND)
    )
    results = judge(rules, facts(), date(2023, 2, 1))
    assert {r.status for r in results} == {S.NOT_APPLICABLE}
    assert {r.points for r in results} == {0.0}
    fused = facts(communities=(community(CommunityType.FUSED),))
    assert S.NOT_APPLICABLE not in {r.status for r in judge(rules, fused, date(2023, 2, 1))}
    base = facts(
        communities=(
            community(
                members=(
                    replace(community().members[0], role=CommunityRole.BASE_SCHOOL),
                    community().members[1],
                )
            ),
        )
    )
    roles = version(
        rule(
            {"type": "count", "min": 1},
            scope="each_member",
            applies_to={"roles": ["base_school"]},
            counts=SEND,
        )
    )
    found = judge(roles, base, date(2022, 9, 2))
    assert one(found, "2022-autumn", MEMBER_A).status == S.OPEN
    assert one(found, "2022-autumn", MEMBER_B).status == S.NOT_APPLICABLE


def test_research_projects_joint_and_with_a_member_teacher() -> None:
    rules = version(
        rule(
            {"type": "count", "min": 1},
            period={"grain": "school_year"},
            counts={"source": "projects", "owner": "joint"},
        ),
        rule(
            {"type": "count", "min": 1},
            id="R2",
            period={"grain": "school_year"},
            counts={"source": "projects", "level_min": "county", "member_participant": True},
        ),
    )
    own = ProjectFact(
        uid(1),
        COMMUNITY,
        (MEMBER_A,),
        ResearchLevel.COUNTY,
        "applied",
        date(2022, 10, 1),
        at(date(2022, 10, 1)),
        participant_ids=(uid(5),),
    )
    joint = replace(
        own,
        id=uid(2),
        owner_school_ids=(LEAD, MEMBER_A),
        level=ResearchLevel.SCHOOL,
        participant_ids=(),
    )
    found = facts(projects=(own, joint), teachers=(teacher(5, MEMBER_A),))
    results = judge(rules, found, date(2023, 9, 1), mode=EvaluationMode.AS_HAPPENED)
    assert one([r for r in results if r.rule_id == "R1"], "2022-2023").counted == (uid(2),)
    assert one([r for r in results if r.rule_id == "R2"], "2022-2023").counted == (uid(1),)
