"""The assessment from compliance, pure over a county's fold: which version grades, as known when."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from domain.assessment.assessment import assess
from domain.assessment.rule_set import RuleSet
from domain.codes import AssessmentGrade, ComplianceStatus
from domain.periods import SchoolYear
from projections.assessment.facts import CountyFacts
from service.assessment.assessing import assessed, unit_of
from service.assessment.judging import AS_KNOWN, judge, question
from service.errors import AsOfAfterTodayError, NoRuleSetInForceError, UnknownReferenceError
from tests.domain.support import CLERK, community, school
from tests.service.test_api_assessments import graded_rule_set

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

ZONE = ZoneInfo("Asia/Shanghai")


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=ZONE)


def fold_of(*recorded: tuple[date, Aggregate]) -> CountyFacts:
    fold = CountyFacts()
    seq = 0
    for day, aggregate in recorded:
        for event in aggregate.collect_events():
            seq += 1
            fold.apply(event, seq, on(day))
    return fold


def published(version: int, starts: date, ends: date | None, **source: Any) -> RuleSet:
    found = RuleSet.draft(
        namespace=UUID(int=1), source={**graded_rule_set(version), **source}, template="", by=CLERK
    )
    found.validate(by=CLERK)
    found.publish(starts, ends, by=CLERK)
    return found


def test_the_version_in_force_at_the_year_s_end_grades_as_known_on_the_day() -> None:
    lead, first, second = school("L1"), school("M1"), school("M2")
    group = community(lead, [first, second])
    first_version = published(1, date(2022, 9, 1), date(2024, 8, 31))
    # Version 2 comes into force for the year's end, with a pass mark no total of 0 reaches.
    second_version = published(
        2,
        date(2023, 6, 1),
        date(2024, 8, 31),
        bands=[{"grade": "pass", "min_score": 0}],
        funding=[{"grade": "pass", "amount": 800}],
    )
    fold = fold_of(
        (date(2023, 1, 5), lead),
        (date(2023, 1, 5), first),
        (date(2023, 1, 5), second),
        (date(2023, 1, 6), group),
        (date(2023, 1, 7), first_version),
        (date(2023, 7, 1), second_version),
    )
    early = assessed(fold, group.id, "2022-2023", date(2023, 6, 30))
    late = assessed(fold, group.id, "2022-2023", date(2023, 7, 2), today=date(2023, 7, 2))
    assert (early.rule_set.label, early.computed.grade) == ("test-assess@1", AssessmentGrade.FAIL)
    assert (late.rule_set.label, late.computed.grade) == ("test-assess@2", AssessmentGrade.PASS)
    assert late.folded_seq == fold.last_seq
    # What the route keeps is the pure assessment of the judged results of the year.
    results = judge(fold, question("2022-2023", date(2023, 7, 2), AS_KNOWN)).results
    assert {r.period.code for r in results} == {"2022-autumn", "2023-spring"}
    assert ComplianceStatus.MET not in {r.status for r in results}  # nothing was done
    unit = unit_of(fold.facts().communities[0], SchoolYear.parse("2022-2023"))
    assert unit.member_ids == tuple(sorted((first.id, second.id)))
    assert late.computed == assess(second_version.rules, unit, results)
    assert late.computed.total == 0.0

    with pytest.raises(NoRuleSetInForceError):
        assessed(fold, group.id, "2024-2025", date(2025, 1, 1))
    with pytest.raises(UnknownReferenceError):
        assessed(fold, group.id, "2022-2023", date(2023, 1, 5))  # formed the day after
    with pytest.raises(AsOfAfterTodayError):
        assessed(fold, group.id, "2022-2023", date(2023, 7, 3), today=date(2023, 7, 2))
    with pytest.raises(NoRuleSetInForceError):  # known, but nothing published by then
        assessed(fold, group.id, "2022-2023", date(2023, 1, 6))
