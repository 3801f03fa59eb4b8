"""The RuleSet aggregate: drafted, validated, published; a published version never changes."""

from datetime import date
from uuid import UUID

from domain.assessment.codes import RuleSetState
from domain.assessment.errors import (
    InvalidRuleError,
    RuleSetNotValidatedError,
    RuleSetPublishedError,
)
from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.errors import DateOutOfRangeError
from tests.domain.support import CLERK, raises

COUNTY = UUID(int=77)


def drafted() -> RuleSet:
    return RuleSet.draft(
        namespace=COUNTY, source=template_source("rongan-2022"), template="rongan-2022", by=CLERK
    )


def test_a_template_is_drafted_validated_and_published_for_a_period() -> None:
    rules = drafted()
    assert (rules.state, rules.label, rules.template) == (
        RuleSetState.DRAFT,
        "rongan-2022@1",
        "rongan-2022",
    )
    assert rules.id == RuleSet.id_for(COUNTY, "rongan-2022", 1)
    rules.validate(by=CLERK)
    rules.publish(date(2023, 2, 1), None, by=CLERK)
    assert rules.state == RuleSetState.PUBLISHED
    assert (rules.rules.in_force_from, rules.rules.in_force_to) == (date(2023, 2, 1), None)
    assert [type(e).__name__ for e in rules.collect_events()] == [
        "Drafted",
        "Validated",
        "Published",
    ]


def test_a_published_version_never_changes() -> None:
    rules = drafted()
    rules.validate(by=CLERK)
    rules.publish(date(2022, 9, 1), date(2024, 8, 31), by=CLERK)
    with raises(RuleSetPublishedError, rule_set="rongan-2022@1"):
        rules.revise(template_source("rongan-2022"), by=CLERK)
    with raises(RuleSetPublishedError):
        rules.validate(by=CLERK)
    with raises(RuleSetPublishedError):
        rules.publish(date(2022, 9, 1), None, by=CLERK)


def test_only_a_validated_draft_is_published_and_a_revision_needs_validating_again() -> None:
    rules = drafted()
    with raises(RuleSetNotValidatedError, rule_set="rongan-2022@1"):
        rules.publish(date(2022, 9, 1), None, by=CLERK)
    rules.validate(by=CLERK)
    source = template_source("rongan-2022")
    assert isinstance(source, dict)
    source["grace_days"] = 14
    rules.revise(source, by=CLERK)
    assert rules.state == RuleSetState.DRAFT
    assert rules.rules.grace_days == 14
    with raises(RuleSetNotValidatedError):
        rules.publish(date(2022, 9, 1), None, by=CLERK)


def test_a_bad_draft_revision_or_period_is_refused_by_path() -> None:
    source = template_source("rongan-2022")
    assert isinstance(source, dict)
    source["rules"][0]["measure"]["min"] = -1
    with raises(InvalidRuleError, path="rules[0].measure.min", reason="negative"):
        RuleSet.draft(namespace=COUNTY, source=source, template="", by=CLERK)
    rules = drafted()
    other = template_source("rongan-2022")
    assert isinstance(other, dict)
    other["version"] = 2
    with raises(InvalidRuleError, path="id", reason="bad_code"):
        rules.revise(other, by=CLERK)
    rules.validate(by=CLERK)
    with raises(InvalidRuleError, path="in_force.to", reason="ends_before_start"):
        rules.publish(date(2023, 9, 1), date(2023, 1, 1), by=CLERK)
    with raises(DateOutOfRangeError):
        rules.publish(date(1999, 9, 1), None, by=CLERK)
