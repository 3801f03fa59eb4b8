"""Examples of rule sets: a seed plan's template as drafted, and its view as the domain reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec

from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.codes import AssessmentGrade, CommunityType, Subject
from projections.assessment.assessment_list import AssessmentRow
from projections.assessment.rule_set_list import evolve as rule_set_row
from service.commands.assessment.assessments import RecordAssessment
from service.commands.assessment.rule_sets import DraftRuleSet, LoadTemplate, PublishRuleSet
from service.reference.ids import ADMIN_TOKEN, ASSESSMENT_ID, COMMUNITY, COUNTY, MEMBER
from service.views.assessment.assessment import (
    AssessmentPage,
    AssessmentView,
    MemberScoreView,
    RuleScoreView,
    assessment_summary,
)
from service.views.assessment.kpis import (
    CountyKpis,
    FiguresView,
    ShareView,
    SubsidiesView,
    WeakSchoolView,
)
from service.views.assessment.rule_set import RuleSetPage, rule_set_summary, rule_set_view
from service.views.labels import text

TEMPLATE = "school-partnership"
SOURCE = msgspec.convert(template_source(TEMPLATE), dict[str, Any])
DRAFTED = RuleSet.draft(namespace=COUNTY, source=SOURCE, template=TEMPLATE, by=ADMIN_TOKEN)
VIEW = rule_set_view(DRAFTED, "zh")
DRAFTED_ROW = rule_set_row(None, next(iter(DRAFTED.collect_events())))
assert DRAFTED_ROW is not None  # noqa: S101 - a Drafted event always gives a row
RECORDED_AT = datetime(2024, 7, 10, 2, 30, tzinfo=UTC)

RULE = str(SOURCE["rules"][0]["id"])
ASSESSMENT = AssessmentView(
    id=ASSESSMENT_ID,
    community_id=COMMUNITY,
    community_type=CommunityType.CO_BUILT.value,
    community_type_label=text(CommunityType.CO_BUILT, "zh"),
    school_year="2023-2024",
    rule_set_id=DRAFTED.id,
    rule_set=DRAFTED.label,
    as_of=date(2024, 7, 10),
    folded_seq=18_204,
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
    version=2,
)
FIGURES_NOW = FiguresView(pass_rate=85.0, good_rate=40.0, mean=74.5)
FIGURES_BEFORE = FiguresView(pass_rate=91.2, good_rate=47.1, mean=79.0)

EXAMPLES = (
    DraftRuleSet(rule_set=SOURCE),
    LoadTemplate(version=2, publish=True, in_force_from=date(2024, 9, 1)),
    PublishRuleSet(in_force_from=date(2024, 9, 1)),
    VIEW,
    RuleSetPage(items=[rule_set_summary(DRAFTED_ROW, "zh")], next_cursor=None),
    RecordAssessment(
        community_id=COMMUNITY,
        school_year="2023-2024",
        as_of=date(2024, 7, 10),
        grade=AssessmentGrade.EXCELLENT,
    ),
    ASSESSMENT,
    AssessmentPage(
        items=[
            assessment_summary(
                AssessmentRow(
                    assessment_id=ASSESSMENT_ID,
                    community_id=COMMUNITY,
                    community_type=CommunityType.CO_BUILT,
                    school_year="2023-2024",
                    rule_set_id=DRAFTED.id,
                    rule_set=DRAFTED.label,
                    total=9030,
                    computed_grade=AssessmentGrade.EXCELLENT,
                    final_grade=AssessmentGrade.EXCELLENT,
                    reason="",
                    funding=1_000_000,
                    as_of=date(2024, 7, 10),
                    folded_seq=18_204,
                    recorded_at=RECORDED_AT,
                    version=2,
                ),
                "zh",
            )
        ],
        next_cursor=None,
    ),
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
