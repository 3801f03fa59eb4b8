"""The rule language's JSON form: what it reads, and errors naming the path of the bad field."""

from typing import Any

import pytest

from domain.assessment.codes import PeriodGrain
from domain.assessment.errors import InvalidRuleError, UnknownTemplateError
from domain.assessment.measures import Count, Staffing
from domain.assessment.parse import rule_set
from domain.assessment.templates import template_source
from domain.codes import AssessmentGrade
from tests.domain.rules_support import rule, version
from tests.domain.support import raises


def base(*rules: dict[str, Any], **fields: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": "t",
        "county": "测试县",
        "version": 1,
        "title": {"zh": "测试", "en": "Test"},
        "in_force": {"from": "2022-09-01", "to": "2024-08-31"},
        "rules": list(rules)
        or [rule({"type": "count", "min": 1}, counts={"kinds": ["sending_lessons"]})],
    }
    found.update(fields)
    return found


def good(**fields: Any) -> dict[str, Any]:
    return rule({"type": "count", "min": 1}, counts={"kinds": ["sending_lessons"]}, **fields)


def test_a_rule_set_reads_whole() -> None:
    found = rule_set(
        base(
            good(),
            rule(
                {
                    "type": "staffing",
                    "assignment_kind": "dispatch",
                    "direction": "lead_to_member",
                    "roles": [
                        {"role": "vice_principal", "exactly": 1, "posts": ["party_secretary"]}
                    ],
                },
                id="R2",
                period={"grain": "window", "from": "2022-09-12", "to": "2022-10-31"},
            ),
            bands=[
                {"grade": "excellent", "min_score": 90},
                {"grade": "pass", "min_score": 60},
                {"grade": "fail", "min_score": 0},
            ],
            funding=[{"grade": "excellent", "amount": 12000}],
        )
    )
    assert isinstance(found.rules[0].measure, Count)
    assert isinstance(found.rules[1].measure, Staffing)
    assert found.rules[1].period.grain == PeriodGrain.WINDOW
    assert found.grade_for(75) == AssessmentGrade.PASS
    assert found.funding_for(AssessmentGrade.EXCELLENT) == 12000
    assert found.label == "t@1"


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (lambda r: r["measure"].update(min=-1), "rules[3].measure.min", "negative"),
        (lambda r: r["measure"].update(min="two"), "rules[3].measure.min", "not_integer"),
        (lambda r: r["measure"].update(min=3, max=2), "rules[3].measure.min", "min_above_max"),
        (lambda r: r["measure"].update(exactly=1), "rules[3].measure.exactly", "exact_with_bounds"),
        (lambda r: r["measure"].update(type="guess"), "rules[3].measure.type", "bad_code"),
        (lambda r: r["measure"].update(roster={}), "rules[3].measure.roster", "unknown_field"),
        (lambda r: r.pop("measure"), "rules[3].measure", "missing"),
        (lambda r: r["counts"].update(kinds=["dancing"]), "rules[3].counts.kinds[0]", "bad_code"),
        (lambda r: r["counts"].update(kinds=[]), "rules[3].counts.kinds", "empty_list"),
        (lambda r: r["counts"].update(host="nobody"), "rules[3].counts.host", "bad_code"),
        (
            lambda r: r.update(period={"grain": "window", "from": "2022-09-01"}),
            "rules[3].period.from",
            "window_needs_dates",
        ),
        (
            lambda r: r.update(period={"grain": "month", "months": [13]}),
            "rules[3].period.months[0]",
            "bad_code",
        ),
        (
            lambda r: r.update(period={"grain": "phase"}),
            "rules[3].period.phase",
            "phase_needs_name",
        ),
        (
            lambda r: r.update(
                period={"grain": "window", "from": "2022-13-01", "to": "2023-01-01"}
            ),
            "rules[3].period.from",
            "not_date",
        ),
        (lambda r: r.update(title={"zh": " ", "en": "x"}), "rules[3].title.zh", "blank"),
        (
            lambda r: r.update(title={"zh": "\x1b", "en": "x"}),
            "rules[3].title.zh",
            "control_character",
        ),
        (lambda r: r.update(title={"zh": "长" * 201, "en": "x"}), "rules[3].title.zh", "too_long"),
        (lambda r: r.update(strictness="maybe"), "rules[3].strictness", "bad_code"),
        (
            lambda r: r.update(applies_to={"community_types": ["big"]}),
            "rules[3].applies_to.community_types[0]",
            "bad_code",
        ),
        (lambda r: r.update(colour="red"), "rules[3].colour", "unknown_field"),
        (lambda r: r.update(id="R0"), "rules[3].id", "duplicate_id"),
        (
            lambda r: r.update(
                measure={"type": "per_person", "min": 1, "roster": {"predicate": {"age_max": 35}}}
            ),
            "rules[3].measure.roster.school_role",
            "missing",
        ),
        (
            lambda r: r.update(
                measure={
                    "type": "per_person",
                    "min": 1,
                    "roster": {"school_role": "member", "predicate": {"any": [{"age_max": True}]}},
                }
            ),
            "rules[3].measure.roster.predicate.any[0].age_max",
            "not_integer",
        ),
        (
            lambda r: r.update(
                measure={"type": "ratio", "population": "schools", "min_share": 1.5}
            ),
            "rules[3].measure.min_share",
            "not_fraction",
        ),
        (
            lambda r: r.update(
                measure={
                    "type": "staffing",
                    "assignment_kind": "dispatch",
                    "direction": "lead_to_member",
                    "roles": [{"role": "vice_principal"}],
                }
            ),
            "rules[3].measure.roles[0].min",
            "no_threshold",
        ),
    ],
)
def test_a_bad_field_is_named_by_its_path(change: Any, path: str, reason: str) -> None:
    rules = [good(id=f"R{i}") for i in range(4)]
    change(rules[3])
    with raises(InvalidRuleError, path=path, reason=reason):
        rule_set(base(*rules))


@pytest.mark.parametrize(
    ("fields", "path", "reason"),
    [
        (
            {"in_force": {"from": "2023-01-01", "to": "2022-01-01"}},
            "in_force.to",
            "ends_before_start",
        ),
        ({"version": 0}, "version", "negative"),
        (
            {
                "bands": [
                    {"grade": "pass", "min_score": 60},
                    {"grade": "excellent", "min_score": 90},
                ]
            },
            "bands",
            "bands_not_descending",
        ),
        ({"rules": []}, "rules", "empty_list"),
        ({"rules": "all"}, "rules", "not_list"),
        ({"grace_days": True}, "grace_days", "not_integer"),
    ],
)
def test_a_bad_rule_set_field_is_named(fields: dict[str, Any], path: str, reason: str) -> None:
    with raises(InvalidRuleError, path=path, reason=reason):
        rule_set(base(**fields))


def test_not_an_object_at_all() -> None:
    with raises(InvalidRuleError, path="", reason="not_object"):
        rule_set([1, 2])


def test_the_message_names_the_path_in_both_languages() -> None:
    with pytest.raises(InvalidRuleError) as caught:
        version(rule({"type": "count", "min": -1}, counts={"kinds": ["sending_lessons"]}))
    assert "rules[0].measure.min" in caught.value.message("zh")
    assert "must not be negative" in caught.value.message("en")


def test_an_unknown_template_is_refused_with_the_known_names() -> None:
    with raises(UnknownTemplateError, name="nowhere"):
        template_source("nowhere")
