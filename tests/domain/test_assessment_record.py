"""The bureau's record: the computed assessment kept as seen, the final grade beside it."""

from datetime import date
from uuid import UUID

from domain.assessment.assessment import Criterion, Unit, assess
from domain.assessment.errors import (
    GradeReasonRequiredError,
    ProjectScoreError,
    RuleSetNotPublishedError,
)
from domain.assessment.record import Assessment, MemberLine, RuleLine
from domain.assessment.rule_set import RuleSet
from domain.assessment.rules import RuleSetVersion
from domain.codes import AssessmentGrade, CommunityType, ComplianceStatus
from domain.errors import InvalidValueError
from tests.domain.assessment_support import result, rules_of
from tests.domain.rules_support import COMMUNITY, LEAD, MEMBER_A, rule, version
from tests.domain.support import raises

BUREAU = UUID(int=7)
RULES = rules_of(10, 30)
MET, MISSED = ComplianceStatus.MET, ComplianceStatus.MISSED


def record(
    type_: CommunityType,
    grade: AssessmentGrade,
    reason: str = "",
    criteria: tuple[Criterion, ...] = (),
    rules: RuleSetVersion = RULES,
) -> Assessment:
    results = [result("R1", MET, 10), result("R2", MISSED, 30, school=MEMBER_A)]
    computed = assess(rules, Unit(COMMUNITY, type_, LEAD, (MEMBER_A,)), results, criteria)
    return Assessment.record(
        namespace=UUID(int=3),
        school_year="2022-2023",
        rule_set_id=UUID(int=4),
        rules=rules,
        computed=computed,
        as_of=date(2023, 7, 1),
        folded_seq=42,
        grade=grade,
        reason=reason,
        by=BUREAU,
    )


def test_the_computed_result_is_kept_and_the_same_grade_needs_no_reason() -> None:
    found = record(CommunityType.FUSED, AssessmentGrade.FAIL)  # 10 of 40: 25
    assert found.rules == (RuleLine("R1", 1000, 1000, 1, 1), RuleLine("R2", 3000, 0, 1, 0))
    assert found.total == 2500
    assert found.computed_grade == found.final_grade == AssessmentGrade.FAIL
    assert found.funding is None  # the rule set funds no 不合格
    assert [type(e).__name__ for e in found.collect_events()] == ["Computed", "Graded"]
    assert found.id == Assessment.id_for(UUID(int=3), COMMUNITY, "2022-2023")
    assert (found.as_of, found.folded_seq) == (date(2023, 7, 1), 42)


def test_a_different_grade_needs_a_reason_and_funding_follows_the_final_grade() -> None:
    with raises(GradeReasonRequiredError, field="reason", grade="pass", computed="fail"):
        record(CommunityType.FUSED, AssessmentGrade.PASS)
    with raises(GradeReasonRequiredError):
        record(CommunityType.FUSED, AssessmentGrade.PASS, reason="   ")
    found = record(CommunityType.FUSED, AssessmentGrade.PASS, reason="特色工作突出")
    assert found.computed_grade == AssessmentGrade.FAIL
    assert found.final_grade == AssessmentGrade.PASS
    assert found.reason == "特色工作突出"
    assert found.funding == 10000


def test_co_built_keeps_each_member_total() -> None:
    found = record(CommunityType.CO_BUILT, AssessmentGrade.FAIL)
    assert found.own_total == 10000
    assert found.members == (MemberLine(MEMBER_A, 0),)
    assert found.total == 3000  # 0.3 x 100 + 0.7 x 0


def test_collaborative_is_scored_by_its_project_criteria() -> None:
    criteria = (Criterion("项目实施", 40, 40), Criterion("成员校提升", 60, 55))
    found = record(CommunityType.COLLABORATIVE, AssessmentGrade.EXCELLENT, criteria=criteria)
    assert found.total == 9500
    assert [(p.name, p.points, p.score) for p in found.project] == [
        ("项目实施", 4000, 4000),
        ("成员校提升", 6000, 5500),
    ]
    with raises(ProjectScoreError):
        record(CommunityType.COLLABORATIVE, AssessmentGrade.FAIL)
    with raises(ProjectScoreError):
        record(CommunityType.FUSED, AssessmentGrade.EXCELLENT, criteria=criteria)
    with raises(ProjectScoreError):
        record(CommunityType.COLLABORATIVE, AssessmentGrade.PASS, "x", (Criterion("a", 10, 11),))
    with raises(InvalidValueError):
        record(CommunityType.COLLABORATIVE, AssessmentGrade.PASS, "x", (Criterion(" ", 10, 1),))


def test_only_a_published_rule_set_assesses() -> None:
    source = {
        "id": "t",
        "county": "测试县",
        "version": 1,
        "title": {"zh": "测试", "en": "Test"},
        "in_force": {"from": "2022-09-01"},
        "rules": [rule({"type": "count", "min": 1})],
    }
    drafted = RuleSet.draft(namespace=UUID(int=1), source=source, template="", by=BUREAU)
    with raises(RuleSetNotPublishedError, rule_set="t@1"):
        drafted.published_rules()
    drafted.validate(by=BUREAU)
    drafted.publish(version(rule({"type": "count", "min": 1})).in_force_from, None, by=BUREAU)
    assert [r.id for r in drafted.published_rules().rules] == ["R1"]
