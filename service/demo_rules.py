"""The demo county's rule sets: the 融安县 template, then a change mid-period.

The template is in force for the community's whole period; a second version (送教 twice a
semester instead of once) from the current semester on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from service.command import change, create
from service.commands.assessment.rule_sets import (
    DraftRuleSet,
    LoadTemplateCommand,
    PublishRuleSet,
    Validate,
    draft_rule_set,
    load_template,
    publish_rule_set,
    validate_rule_set,
)

if TYPE_CHECKING:
    from datetime import date

    from service.command import Env

TEMPLATE = "rongan-2022"
CHANGED_RULE, CHANGED_MIN = "S1-44", 2  # the lesson visits a semester, raised from 1


async def publish_rules(writer: Env, starts_on: date, ends_on: date, changed_on: date) -> None:
    """So that `GET /v1/compliance` and `jgt compliance` judge the demo's records."""
    first = LoadTemplateCommand(
        name=TEMPLATE, version=1, publish=True, in_force_from=starts_on, in_force_to=ends_on
    )
    await create(writer, load_template, first)
    source = template_source(TEMPLATE)
    assert isinstance(source, dict)  # noqa: S101 - a template is an object
    source["version"] = 2
    for rule in source["rules"]:
        if rule["id"] == CHANGED_RULE:
            rule["measure"]["min"] = CHANGED_MIN
    second, _ = await create(writer, draft_rule_set, DraftRuleSet(rule_set=source))
    await change(writer, None, validate_rule_set, RuleSet, second.id, Validate())
    publish = PublishRuleSet(in_force_from=changed_on, in_force_to=ends_on)
    await change(writer, None, publish_rule_set, RuleSet, second.id, publish)
