"""The bureau's assessments, one row per community and school year: computed and final grades."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.assessment.record import Assessment
from domain.codes import AssessmentGrade, CommunityType
from projections.base import Projection


class AssessmentRow(msgspec.Struct, frozen=True, kw_only=True):
    assessment_id: UUID
    community_id: UUID
    community_type: CommunityType
    school_year: str
    rule_set_id: UUID  # the version's stream
    rule_set: str  # its id@version
    total: int | None  # computed, hundredths of the 0-100 total
    computed_grade: AssessmentGrade | None
    final_grade: AssessmentGrade | None
    reason: str
    funding: int | None
    as_of: date | None  # None: a v1 record, its results entered by the bureau
    folded_seq: int | None
    recorded_at: datetime
    version: int


def evolve(row: AssessmentRow | None, event: Any) -> AssessmentRow | None:  # noqa: ANN401 - any event
    match event:
        case Assessment.Computed():
            return AssessmentRow(
                assessment_id=event.originator_id,
                community_id=event.community_id,
                community_type=event.community_type,
                school_year=event.school_year,
                rule_set_id=event.rule_set_id,
                rule_set=event.rule_set,
                total=event.total,
                computed_grade=event.grade,
                final_grade=None,
                reason="",
                funding=None,
                as_of=event.as_of,
                folded_seq=event.folded_seq,
                recorded_at=event.timestamp,
                version=event.originator_version,
            )
        case Assessment.Graded() if row is not None:
            return msgspec.structs.replace(
                row,
                final_grade=event.grade,
                reason=event.reason,
                funding=event.funding,
                version=event.originator_version,
            )
        case _:
            return row


assessment_list = Projection(
    name="assessment_list",
    aggregate=Assessment,
    row_type=AssessmentRow,
    key="assessment_id",
    evolve=evolve,
)
