"""The assessment by community type from hand-made results: 融合型, 共建型, 协作型."""

from hypothesis import given
from hypothesis import strategies as st

from domain.assessment.assessment import Criterion, Unit, assess, unit_score
from domain.codes import AssessmentGrade, CommunityType, ComplianceStatus
from tests.domain.assessment_support import SPRING, result, rules_of
from tests.domain.rules_support import COMMUNITY, LEAD, MEMBER_A, MEMBER_B, uid

MET, MISSED = ComplianceStatus.MET, ComplianceStatus.MISSED
NA, AT_RISK = ComplianceStatus.NOT_APPLICABLE, ComplianceStatus.AT_RISK


def unit(type_: CommunityType) -> Unit:
    return Unit(COMMUNITY, type_, LEAD, (MEMBER_A, MEMBER_B))


def test_fused_one_unit_scores_each_rule_and_leaves_not_applicable_out() -> None:
    rules = rules_of(40, 40, 20)
    results = [
        result("R1", MET, 40),
        result("R1", MET, 40, period=SPRING),
        result("R2", MET, 40),
        result("R2", MISSED, 40, period=SPRING),  # half the periods: half the points
        result("R3", NA, 20),
        result("R3", NA, 20, period=SPRING),
        result("R1", MISSED, 40, community=uid(99)),  # another community's
    ]
    found = assess(rules, unit(CommunityType.FUSED), results)
    assert [(r.rule_id, r.earned, r.points, r.met) for r in found.own.rules] == [
        ("R1", 40, 40, 2),
        ("R2", 20, 40, 1),
    ]
    assert found.own.maximum == 80
    assert found.total == 75.0  # 100 x 60 / 80: R3 is out of the denominator
    assert found.grade == AssessmentGrade.PASS
    assert found.members == ()
    assert rules.funding_for(AssessmentGrade.PASS) == 10000


def test_partial_score_counts_its_fraction() -> None:
    rules = rules_of(10)
    found = unit_score(rules, [result("R1", AT_RISK, 10, 2.5)])
    assert found.rules[0].earned == 2.5
    assert found.total == 25.0


def test_nothing_applicable_has_no_total_and_no_grade() -> None:
    found = assess(rules_of(10), unit(CommunityType.FUSED), [result("R1", NA, 10)])
    assert found.total is None
    assert found.grade is None


def test_co_built_lead_score_is_mainly_its_members() -> None:
    rules = rules_of(50, 50, weights={"lead_own": 0.3, "members": 0.7})
    results = [
        result("R1", MET, 50),  # a community-wide rule: the lead's own
        result("R2", MET, 50, school=LEAD),
        result("R1", MET, 50, school=MEMBER_A),
        result("R2", MET, 50, school=MEMBER_A),  # member A: 100
        result("R1", MISSED, 50, school=MEMBER_B),
        result("R2", MISSED, 50, school=MEMBER_B),  # member B: 0
    ]
    found = assess(rules, unit(CommunityType.CO_BUILT), results)
    assert found.own.total == 100.0
    assert [(m.school_id, m.score.total) for m in found.members] == [
        (MEMBER_A, 100.0),
        (MEMBER_B, 0.0),
    ]
    assert found.total == 0.3 * 100 + 0.7 * 50  # 65
    assert found.grade == AssessmentGrade.PASS


def test_co_built_weights_come_from_the_rule_set() -> None:
    results = [result("R1", MISSED, 10), result("R1", MET, 10, school=MEMBER_A)]
    heavy = assess(
        rules_of(10, weights={"lead_own": 0.1, "members": 0.9}),
        unit(CommunityType.CO_BUILT),
        results,
    )
    light = assess(
        rules_of(10, weights={"lead_own": 0.9, "members": 0.1}),
        unit(CommunityType.CO_BUILT),
        results,
    )
    assert heavy.total == 90.0
    assert heavy.grade == AssessmentGrade.EXCELLENT
    assert light.total is not None and round(light.total, 6) == 10.0
    assert light.grade == AssessmentGrade.FAIL


def test_co_built_without_member_results_is_the_lead_alone() -> None:
    found = assess(rules_of(10), unit(CommunityType.CO_BUILT), [result("R1", MET, 10)])
    assert found.total == 100.0


def test_collaborative_total_is_the_bureau_project_score() -> None:
    criteria = (
        Criterion("项目实施", 40, 36),
        Criterion("成员校提升", 60, 30),
    )
    found = assess(
        rules_of(10), unit(CommunityType.COLLABORATIVE), [result("R1", MET, 10)], criteria
    )
    assert found.own.total == 100.0  # the rules are shown beside it
    assert found.total == 66.0
    assert found.grade == AssessmentGrade.PASS
    assert found.project == criteria


def test_collaborative_without_a_project_score_has_no_grade() -> None:
    found = assess(rules_of(10), unit(CommunityType.COLLABORATIVE), [result("R1", MET, 10)])
    assert found.total is None
    assert found.grade is None


STATUSES = st.sampled_from(list(ComplianceStatus))
ONE = st.tuples(st.sampled_from(["R1", "R2", "R3"]), STATUSES, st.floats(0, 1))
SCHOOLS = st.sampled_from([None, LEAD, MEMBER_A, MEMBER_B])


@given(
    st.lists(st.tuples(ONE, SCHOOLS), max_size=30),
    st.sampled_from(list(CommunityType)),
    st.floats(0, 1),
    st.lists(st.tuples(st.floats(0.5, 50), st.floats(-10, 60)), max_size=4),
)
def test_total_never_exceeds_the_maximum(
    drawn: list[tuple[tuple[str, ComplianceStatus, float], object]],
    type_: CommunityType,
    lead_own: float,
    scored: list[tuple[float, float]],
) -> None:
    rules = rules_of(10, 20, 30, weights={"lead_own": lead_own, "members": 1 - lead_own})
    points = {"R1": 10, "R2": 20, "R3": 30}
    results = [
        result(r, s, points[r], points[r] * f, school=school)  # type: ignore[arg-type]
        for (r, s, f), school in drawn
    ]
    criteria = [Criterion(f"c{n}", p, s) for n, (p, s) in enumerate(scored)]
    found = assess(rules, unit(type_), results, criteria)
    for rule in found.own.rules:
        assert 0 <= rule.earned <= rule.points
    if found.total is not None:
        assert 0 <= found.total <= 100 + 1e-9
        assert found.grade == rules.grade_for(found.total)


@given(st.floats(0, 100), st.floats(0, 100))
def test_grade_is_monotone_in_score(low: float, high: float) -> None:
    low, high = sorted((low, high))
    rules = rules_of(10)
    order = [AssessmentGrade.FAIL, AssessmentGrade.PASS, AssessmentGrade.EXCELLENT]

    def rank(score: float) -> int:
        grade = rules.grade_for(score)
        return -1 if grade is None else order.index(grade)

    assert rank(low) <= rank(high)
