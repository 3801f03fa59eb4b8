"""Rule-set versions (考核细则) as they stand, one row per version: state, period, published at."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.assessment.codes import RuleSetState
from domain.assessment.parse import rule_set
from domain.assessment.rule_set import RuleSet
from projections.base import Projection


class RuleSetRow(msgspec.Struct, frozen=True, kw_only=True):
    stream_id: UUID  # the version's stream (the API's `id`)
    rule_set_id: str
    number: int
    title_zh: str
    title_en: str
    county: str
    state: RuleSetState
    template: str
    in_force_from: date
    in_force_to: date | None
    rule_ids: tuple[str, ...]
    drafted_at: datetime
    published_at: datetime | None
    version: int


def _parsed(row: RuleSetRow, source: str, version: int) -> RuleSetRow:
    parsed = rule_set(json.loads(source))
    return msgspec.structs.replace(
        row,
        title_zh=parsed.title.zh,
        title_en=parsed.title.en,
        county=parsed.county,
        state=RuleSetState.DRAFT,
        in_force_from=parsed.in_force_from,
        in_force_to=parsed.in_force_to,
        rule_ids=tuple(rule.id for rule in parsed.rules),
        version=version,
    )


def evolve(row: RuleSetRow | None, event: Any) -> RuleSetRow | None:  # noqa: ANN401 - any event
    match event:
        case RuleSet.Drafted():
            blank = RuleSetRow(
                stream_id=event.originator_id,
                rule_set_id=event.rule_set_id,
                number=event.version,
                title_zh="",
                title_en="",
                county="",
                state=RuleSetState.DRAFT,
                template=event.template,
                in_force_from=date.min,
                in_force_to=None,
                rule_ids=(),
                drafted_at=event.timestamp,
                published_at=None,
                version=event.originator_version,
            )
            return _parsed(blank, event.source, event.originator_version)
        case RuleSet.Revised() if row is not None:
            return _parsed(row, event.source, event.originator_version)
        case RuleSet.Validated() if row is not None:
            return msgspec.structs.replace(
                row, state=RuleSetState.VALIDATED, version=event.originator_version
            )
        case RuleSet.Published() if row is not None:
            return msgspec.structs.replace(
                row,
                state=RuleSetState.PUBLISHED,
                in_force_from=event.in_force_from,
                in_force_to=event.in_force_to,
                published_at=event.timestamp,
                version=event.originator_version,
            )
        case _:
            return row


rule_set_list = Projection(
    name="rule_set_list", aggregate=RuleSet, row_type=RuleSetRow, key="stream_id", evolve=evolve
)
