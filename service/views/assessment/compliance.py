"""Compliance results as the API shows them: a list item, and one result with its records."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.label import Label
from service.views.labels import in_language, text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.assessment.outcome import Result
    from projections.assessment.compliance_queries import ListedRow

COUNTY = "county"  # the community part of a county-wide rule's path


class ComplianceItem(msgspec.Struct, frozen=True, kw_only=True):
    community_id: UUID | None  # None: a county-wide rule
    school_id: UUID | None  # the member (or lead) school of a per-school rule
    rule_id: str
    rule_title: str
    period: str
    starts_on: date
    ends_on: date
    required: int
    done: int
    maximum: int | None
    status: str
    status_label: str
    version: str  # the rule-set version that judged (id@number)
    counted: int
    excluded: int
    late: int
    points: float
    score: float
    href: str  # the result with its records


class Record(msgspec.Struct, frozen=True, kw_only=True):
    record_id: UUID
    href: str | None  # the action (or project, paper, entry) it is, with its evidence


class ExcludedRecord(Record, frozen=True, kw_only=True):
    reason: str
    reason_label: str


class LateRecord(Record, frozen=True, kw_only=True):
    days_late: int


class ComplianceDetail(ComplianceItem, frozen=True, kw_only=True):
    counted_records: list[Record]
    excluded_records: list[ExcludedRecord]
    late_records: list[LateRecord]


class StatusCount(msgspec.Struct, frozen=True, kw_only=True):
    status: str
    label: str
    results: int


class ComplianceList(msgspec.Struct, frozen=True, kw_only=True):
    as_of: date
    mode: str
    period: str  # the window asked: a school year or a semester
    versions: list[str]  # the published versions that judged, as known then
    folded_seq: int  # the county's last event the facts include
    source: str  # "table": kept by the runner (as known today); "replay": folded for this read
    totals: list[StatusCount]  # of every result the filters keep, not only this page's
    items: list[ComplianceItem]
    next_cursor: str | None = None


class ComplianceResults(msgspec.Struct, frozen=True, kw_only=True):
    as_of: date
    mode: str
    source: str  # as in the list
    results: list[ComplianceDetail]


def detail_href(result: Result) -> str:
    return href_of(result.community_id, result.rule_id, result.period.code, result.school_id)


def href_of(community_id: UUID | None, rule_id: str, period: str, school_id: UUID | None) -> str:
    community = COUNTY if community_id is None else str(community_id)
    href = f"/v1/compliance/{community}/{rule_id}/{period}"
    return href if school_id is None else f"{href}?school={school_id}"


def _fields(result: Result, title: Label | None, lang: str) -> dict[str, object]:
    return {
        "community_id": result.community_id,
        "school_id": result.school_id,
        "rule_id": result.rule_id,
        "rule_title": in_language(title, lang) if title is not None else result.rule_id,
        "period": result.period.code,
        "starts_on": result.period.starts_on,
        "ends_on": result.period.ends_on,
        "required": result.required,
        "done": result.done,
        "maximum": result.maximum,
        "status": result.status.value,
        "status_label": text(result.status, lang),
        "version": result.version,
        "counted": len(result.counted),
        "excluded": len(result.excluded),
        "late": len(result.late),
        "points": result.points,
        "score": round(result.score, 2),
        "href": detail_href(result),
    }


def compliance_item(result: Result, title: Label | None, lang: str) -> ComplianceItem:
    return ComplianceItem(**_fields(result, title, lang))  # type: ignore[arg-type]


def listed_item(row: ListedRow, lang: str) -> ComplianceItem:
    """An item of the list from the runner's table (its records counted there)."""
    return ComplianceItem(
        community_id=row.community_id,
        school_id=row.school_id,
        rule_id=row.rule_id,
        rule_title=in_language(Label(row.title.zh, row.title.en), lang),
        period=row.period,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        required=row.required,
        done=row.done,
        maximum=row.maximum,
        status=row.status.value,
        status_label=text(row.status, lang),
        version=row.version,
        counted=row.counted,
        excluded=row.excluded,
        late=row.late,
        points=row.points,
        score=round(row.score, 2),
        href=href_of(row.community_id, row.rule_id, row.period, row.school_id),
    )


def compliance_detail(
    result: Result, title: Label | None, links: Mapping[UUID, str], lang: str
) -> ComplianceDetail:
    return ComplianceDetail(
        **_fields(result, title, lang),  # type: ignore[arg-type]
        counted_records=[Record(record_id=i, href=links.get(i)) for i in result.counted],
        excluded_records=[
            ExcludedRecord(
                record_id=e.record_id,
                href=links.get(e.record_id),
                reason=e.reason.value,
                reason_label=text(e.reason, lang),
            )
            for e in result.excluded
        ],
        late_records=[
            LateRecord(
                record_id=late.record_id, href=links.get(late.record_id), days_late=late.days
            )
            for late in result.late
        ],
    )
