"""A rule-set version as the API shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from service.views.labels import in_language, text

if TYPE_CHECKING:
    from domain.assessment.rule_set import RuleSet


class RuleSetView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    rule_set_id: str
    number: int  # the rule set's own version number
    label: str  # id@number, as each result names the version that judged it
    title: str
    county: str
    state: str
    state_label: str
    template: str
    in_force_from: date
    in_force_to: date | None
    rule_ids: list[str]
    version: int  # the record's version (ETag)


def rule_set_view(rules: RuleSet, lang: str) -> RuleSetView:
    parsed = rules.rules
    return RuleSetView(
        id=rules.id,
        rule_set_id=rules.rule_set_id,
        number=rules.number,
        label=rules.label,
        title=in_language(parsed.title, lang),
        county=parsed.county,
        state=rules.state.value,
        state_label=text(rules.state, lang),
        template=rules.template,
        in_force_from=parsed.in_force_from,
        in_force_to=parsed.in_force_to,
        rule_ids=[rule.id for rule in parsed.rules],
        version=rules.version,
    )


class RuleSetList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[RuleSetView]
