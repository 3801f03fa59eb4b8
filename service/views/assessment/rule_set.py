"""A rule-set version as the API shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.label import Label
from service.views.labels import in_language, text

if TYPE_CHECKING:
    from domain.assessment.rule_set import RuleSet
    from projections.assessment.rule_set_list import RuleSetRow


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


class RuleSetSummary(RuleSetView, frozen=True, kw_only=True):
    """A version as the list shows it (the read model's row): when drafted, when published."""

    drafted_at: datetime
    published_at: datetime | None


def rule_set_summary(row: RuleSetRow, lang: str) -> RuleSetSummary:
    return RuleSetSummary(
        id=row.stream_id,
        rule_set_id=row.rule_set_id,
        number=row.number,
        label=f"{row.rule_set_id}@{row.number}",
        title=in_language(Label(row.title_zh, row.title_en), lang),
        county=row.county,
        state=row.state.value,
        state_label=text(row.state, lang),
        template=row.template,
        in_force_from=row.in_force_from,
        in_force_to=row.in_force_to,
        rule_ids=list(row.rule_ids),
        version=row.version,
        drafted_at=row.drafted_at,
        published_at=row.published_at,
    )


class RuleSetPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[RuleSetSummary]
    next_cursor: str | None
