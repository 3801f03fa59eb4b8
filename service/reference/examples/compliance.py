"""Examples of compliance: a community's rule in a semester, judged on a day."""

from __future__ import annotations

from datetime import date

from domain.assessment.codes import ExclusionReason
from domain.codes import ComplianceStatus
from service.reference.ids import ACTIVITY, COMMUNITY
from service.views.assessment.compliance import (
    ComplianceDetail,
    ComplianceItem,
    ComplianceList,
    ComplianceResults,
    ExcludedRecord,
    LateRecord,
    Record,
    StatusCount,
)
from service.views.assessment.preview import Changed, Preview, Side, Totals
from service.views.labels import text

AS_OF = date(2024, 4, 15)
VERSION = "rongan-2022@2"
HREF = f"/v1/compliance/{COMMUNITY}/S1-44/2024-spring"
RECORD = f"/v1/activities/{ACTIVITY}"
FIELDS = {
    "community_id": COMMUNITY,
    "school_id": None,
    "rule_id": "S1-44",
    "rule_title": "每学期送教下乡不少于两次",
    "period": "2024-spring",
    "starts_on": date(2024, 2, 1),
    "ends_on": date(2024, 7, 31),
    "required": 2,
    "done": 1,
    "maximum": None,
    "status": ComplianceStatus.AT_RISK.value,
    "status_label": text(ComplianceStatus.AT_RISK, "zh"),
    "version": VERSION,
    "counted": 1,
    "excluded": 1,
    "late": 1,
    "points": 5.0,
    "score": 2.5,
    "href": HREF,
}


def _side(status: ComplianceStatus, required: int, done: int, version: str) -> Side:
    return Side(
        status=status.value,
        status_label=text(status, "zh"),
        required=required,
        done=done,
        version=version,
    )


EXAMPLES = (
    ComplianceList(
        as_of=AS_OF,
        mode="as_known",
        period="2023-2024",
        versions=["rongan-2022@1", VERSION],
        folded_seq=1_284,
        source="table",
        totals=[
            StatusCount(
                status=ComplianceStatus.AT_RISK.value,
                label=text(ComplianceStatus.AT_RISK, "zh"),
                results=1,
            )
        ],
        items=[ComplianceItem(**FIELDS)],  # type: ignore[arg-type]
        next_cursor=None,
    ),
    ComplianceResults(
        as_of=AS_OF,
        mode="as_known",
        source="table",
        results=[
            ComplianceDetail(
                **FIELDS,  # type: ignore[arg-type]
                counted_records=[Record(record_id=ACTIVITY, href=RECORD)],
                excluded_records=[
                    ExcludedRecord(
                        record_id=ACTIVITY,
                        href=RECORD,
                        reason=ExclusionReason.VOIDED.value,
                        reason_label=text(ExclusionReason.VOIDED, "zh"),
                    )
                ],
                late_records=[LateRecord(record_id=ACTIVITY, href=RECORD, days_late=12)],
            )
        ],
    ),
    Preview(
        draft="rongan-2022@3",
        as_of=AS_OF,
        period="2023-2024",
        published=Totals(versions=[VERSION], met=10, at_risk=3, missed=1, open=6, not_applicable=2),
        with_draft=Totals(
            versions=["rongan-2022@3"], met=9, at_risk=4, missed=1, open=6, not_applicable=2
        ),
        changes=[
            Changed(
                community_id=COMMUNITY,
                school_id=None,
                rule_id="S1-44",
                period="2024-spring",
                before=_side(ComplianceStatus.MET, 2, 2, VERSION),
                after=_side(ComplianceStatus.AT_RISK, 3, 2, "rongan-2022@3"),
            )
        ],
    ),
)
