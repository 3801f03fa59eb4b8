"""Examples of rule sets: a seed plan's template as drafted, and its view as the domain reads it."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from service.commands.assessment.rule_sets import DraftRuleSet, LoadTemplate, PublishRuleSet
from service.reference.ids import ADMIN_TOKEN, COUNTY
from service.views.assessment.rule_set import RuleSetList, rule_set_view

TEMPLATE = "school-partnership"
SOURCE = msgspec.convert(template_source(TEMPLATE), dict[str, Any])
DRAFTED = RuleSet.draft(namespace=COUNTY, source=SOURCE, template=TEMPLATE, by=ADMIN_TOKEN)
VIEW = rule_set_view(DRAFTED, "zh")

EXAMPLES = (
    DraftRuleSet(rule_set=SOURCE),
    LoadTemplate(version=2, publish=True, in_force_from=date(2024, 9, 1)),
    PublishRuleSet(in_force_from=date(2024, 9, 1)),
    VIEW,
    RuleSetList(items=[VIEW]),
)
