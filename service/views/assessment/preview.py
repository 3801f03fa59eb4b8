"""A draft's preview: the results that would change if it were published."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import ComplianceStatus
from service.views.labels import text

if TYPE_CHECKING:
    from domain.assessment.outcome import Result
    from projections.assessment.judge import Question
    from service.assessment.judging import Change, Judged


class Side(msgspec.Struct, frozen=True, kw_only=True):
    status: str
    status_label: str
    required: int
    done: int
    version: str


class Changed(msgspec.Struct, frozen=True, kw_only=True):
    community_id: UUID | None
    school_id: UUID | None
    rule_id: str
    period: str
    before: Side | None  # None: the published versions give no such result
    after: Side | None  # None: the draft gives none


class Totals(msgspec.Struct, frozen=True, kw_only=True):
    versions: list[str]
    met: int
    at_risk: int
    missed: int
    open: int
    not_applicable: int


class Preview(msgspec.Struct, frozen=True, kw_only=True):
    draft: str
    as_of: date
    period: str
    published: Totals
    with_draft: Totals
    changes: list[Changed]


def _side(r: Result | None, lang: str) -> Side | None:
    if r is None:
        return None
    return Side(
        status=r.status.value,
        status_label=text(r.status, lang),
        required=r.required,
        done=r.done,
        version=r.version,
    )


def _totals(judged: Judged) -> Totals:
    c = Counter(r.status for r in judged.results)
    return Totals(
        versions=[v.label for v in judged.versions],
        met=c[ComplianceStatus.MET],
        at_risk=c[ComplianceStatus.AT_RISK],
        missed=c[ComplianceStatus.MISSED],
        open=c[ComplianceStatus.OPEN],
        not_applicable=c[ComplianceStatus.NOT_APPLICABLE],
    )


def preview_view(
    draft: str, q: Question, judged: tuple[Judged, Judged], found: list[Change], lang: str
) -> Preview:
    before, after = judged
    items = []
    for change in found:
        some = change.after or change.before
        assert some is not None  # noqa: S101 - a change has a side
        items.append(
            Changed(
                community_id=some.community_id,
                school_id=some.school_id,
                rule_id=some.rule_id,
                period=some.period.code,
                before=_side(change.before, lang),
                after=_side(change.after, lang),
            )
        )
    return Preview(
        draft=draft,
        as_of=q.as_of,
        period=q.asked.code,
        published=_totals(before),
        with_draft=_totals(after),
        changes=items,
    )
