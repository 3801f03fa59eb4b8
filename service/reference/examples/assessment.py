"""Examples of rule sets: a seed plan's template as drafted, and its view as the domain reads it."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.codes import AssessmentGrade, CommunityType, ComplianceStatus, Subject
from service.commands.assessment.assessments import RecordAssessment, ResultIn
from service.commands.assessment.rule_sets import DraftRuleSet, LoadTemplate, PublishRuleSet
from service.reference.ids import ADMIN_TOKEN, ASSESSMENT_ID, COMMUNITY, COUNTY, LEAD, MEMBER
from service.views.assessment.assessment import (
    AssessmentList,
    AssessmentView,
    MemberScoreView,
    RuleScoreView,
)
from service.views.assessment.kpis import (
    CountyKpis,
    FiguresView,
    ShareView,
    SubsidiesView,
    WeakSchoolView,
)
from service.views.assessment.rule_set import RuleSetList, rule_set_view
from service.views.labels import text

TEMPLATE = "school-partnership"
SOURCE = msgspec.convert(template_source(TEMPLATE), dict[str, Any])
DRAFTED = RuleSet.draft(namespace=COUNTY, source=SOURCE, template=TEMPLATE, by=ADMIN_TOKEN)
VIEW = rule_set_view(DRAFTED, "zh")

RULE = str(SOURCE["rules"][0]["id"])
ASSESSMENT = AssessmentView(
    id=ASSESSMENT_ID,
    community_id=COMMUNITY,
    community_type=CommunityType.CO_BUILT.value,
    community_type_label=text(CommunityType.CO_BUILT, "zh"),
    school_year="2023-2024",
    rule_set_id=DRAFTED.id,
    rule_set=DRAFTED.label,
    rules=[RuleScoreView(rule_id=RULE, points=5, earned=5, results=1, met=1)],
    own_total=92.5,
    members=[MemberScoreView(school_id=MEMBER, total=88.0)],
    project=[],
    computed_total=90.3,
    computed_grade=AssessmentGrade.EXCELLENT.value,
    computed_grade_label=text(AssessmentGrade.EXCELLENT, "zh"),
    final_grade=AssessmentGrade.EXCELLENT.value,
    final_grade_label=text(AssessmentGrade.EXCELLENT, "zh"),
    reason="",
    funding=1_000_000,
    version=1,
)
FIGURES_NOW = FiguresView(pass_rate=85.0, good_rate=40.0, mean=74.5)
FIGURES_BEFORE = FiguresView(pass_rate=91.2, good_rate=47.1, mean=79.0)

EXAMPLES = (
    DraftRuleSet(rule_set=SOURCE),
    LoadTemplate(version=2, publish=True, in_force_from=date(2024, 9, 1)),
    PublishRuleSet(in_force_from=date(2024, 9, 1)),
    VIEW,
    RuleSetList(items=[VIEW]),
    RecordAssessment(
        community_id=COMMUNITY,
        school_year="2023-2024",
        rule_set_id=DRAFTED.id,
        results=[ResultIn(rule_id=RULE, school_id=LEAD, status=ComplianceStatus.MET, score=5)],
        grade=AssessmentGrade.EXCELLENT,
    ),
    ASSESSMENT,
    AssessmentList(items=[ASSESSMENT]),
    CountyKpis(
        school_year="2023-2024",
        ownership_recorded=False,
        compulsory_schools_in_communities=ShareView(part=18, whole=21, share=0.857),
        fused_or_co_built_communities=ShareView(part=3, whole=4, share=0.75),
        weak_schools=[
            WeakSchoolView(
                school_id=MEMBER,
                community_id=COMMUNITY,
                subject=Subject.MATH.value,
                subject_label=text(Subject.MATH, "zh"),
                grade=4,
                term="spring",
                fell=["pass_rate", "good_rate", "mean"],
                now=FIGURES_NOW,
                year_before=FIGURES_BEFORE,
            )
        ],
        subsidies=SubsidiesView(
            rule_set=DRAFTED.label,
            due_fen=2_400_000,
            paid_fen=1_800_000,
            shortfall_fen=600_000,
            persons=4,
        ),
    ),
)
