"""The seed plans' templates: each parses, and every catalogue row is a rule or says why not."""

import re
from datetime import date, timedelta

import pytest

from domain.assessment.calendar import Window
from domain.assessment.templates import TEMPLATES, load_template, template_source
from domain.codes import ComplianceStatus
from tests.domain.rules_support import at, community, facts, judge

# RULES-CATALOGUE.md §1: the rows of each seed, and the template of each part of them.
ROWS = {"S0": 39, "S1": 72, "S2": 10, "S3": 40, "S4": 40}
TEMPLATE_OF = {
    "S0": "qingliang-2014",
    "S1": "rongan-2022",
    "S2": "school-partnership",
    "S3": "yongli-pairing",
}
# Seed 004 holds three essays: 篇1 (rows 1-16) and 篇3 (32-40) are 开阳's template, 篇2 乐清-平阳's.
YUEQING = range(17, 32)


def template_of(row: str) -> str:
    seed, number = row.split("-")
    if seed != "S4":
        return TEMPLATE_OF[seed]
    return "yueqing-pingyang" if int(number) in YUEQING else "kaiyang-district"


CATALOGUE = [f"{seed}-{n:02d}" for seed, count in ROWS.items() for n in range(1, count + 1)]


def test_the_catalogue_has_its_201_rows() -> None:
    assert len(CATALOGUE) == 201


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_each_template_parses_and_cites_its_source(name: str) -> None:
    rules = load_template(name)
    assert rules.rules
    assert rules.bands
    for rule in rules.rules:
        assert re.fullmatch(r"S[0-4]-[0-9]{2}(\.[a-z]+)?", rule.id), rule.id
        assert rule.source.plan.startswith(("000", "001", "002", "003", "004")), rule.id
        assert rule.source.clause and rule.source.quote, rule.id
        assert rule.title.zh and rule.title.en


def test_every_catalogue_row_is_in_its_template_or_says_why_not() -> None:
    for row in CATALOGUE:
        rules = load_template(template_of(row))
        expressed = {r.id.split(".")[0] for r in rules.rules} | {
            c for r in rules.rules for c in r.covers
        }
        unexpressed = {u.id: u.reason for u in rules.unexpressed}
        assert (row in expressed) != (row in unexpressed), row
        if row in unexpressed:
            assert len(unexpressed[row]) > 20, row  # a reason, not a placeholder


def test_no_template_names_a_row_of_another_seed() -> None:
    for name in TEMPLATES:
        rules = load_template(name)
        ids = {r.id.split(".")[0] for r in rules.rules} | {u.id for u in rules.unexpressed}
        assert {template_of(i) for i in ids} == {name}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_each_template_evaluates_over_a_community(name: str) -> None:
    rules = load_template(name)
    start = rules.in_force_from
    end = rules.in_force_to or date(start.year + 1, start.month, 1)
    asked = Window(start, end)
    found = facts(communities=(community(starts_on=start, ends_on=end, known_at=at(start)),))
    results = judge(rules, found, end + timedelta(days=1), asked=asked)
    assert results
    assert {r.version for r in results} == {rules.label}
    assert ComplianceStatus.MISSED in {r.status for r in results}  # nothing was recorded


def test_the_template_source_is_plain_json_a_county_can_edit() -> None:
    source = template_source("rongan-2022")
    assert isinstance(source, dict)
    assert source["id"] == "rongan-2022"
