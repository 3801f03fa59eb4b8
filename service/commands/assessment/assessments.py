"""The bureau's record of a community's school year: the computed assessment and its grade.

The server computes the assessment from compliance as known today (or on `as_of`), by the
rule set in force on the school year's last day (service/assessment/assessing.py); the body
carries only what the bureau decides: its final grade, a reason when that differs, and the
project scores of a 协作型 community.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import msgspec

from domain.assessment.assessment import Criterion
from domain.assessment.record import CRITERION_LIMIT, MAX_CRITERIA, REASON_LIMIT, Assessment
from domain.codes import AssessmentGrade
from service.assessment.assessing import assessed
from service.body import RequiredText
from service.command import Decision
from service.errors import AssessmentExistsError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from projections.assessment.facts import CountyFacts
    from service.command import Env

MAX_POINTS = 1000
Points = Annotated[float, msgspec.Meta(ge=0, le=MAX_POINTS)]


class CriterionIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=CRITERION_LIMIT, examples=["成员校提升"]),
    ]
    points: Annotated[float, msgspec.Meta(gt=0, le=MAX_POINTS)]
    score: Points


class RecordAssessment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    community_id: UUID
    school_year: Annotated[
        str, msgspec.Meta(pattern=r"^[0-9]{4}-[0-9]{4}$", examples=["2022-2023"])
    ]
    as_of: date | None = None  # computed as known on this day (default today)
    project: Annotated[list[CriterionIn], msgspec.Meta(max_length=MAX_CRITERIA)] = []
    grade: AssessmentGrade  # the bureau's final grade
    reason: Annotated[str, msgspec.Meta(max_length=REASON_LIMIT)] = ""  # when it differs


def recording(
    fold: CountyFacts,
) -> Callable[[Env, RecordAssessment], Awaitable[Decision[Assessment]]]:
    """The command's handler over the county's compliance facts, read before it runs."""

    async def record_assessment(env: Env, cmd: RecordAssessment) -> Decision[Assessment]:
        as_of = cmd.as_of or env.today
        criteria = tuple(Criterion(c.name, c.points, c.score) for c in cmd.project)
        found = assessed(fold, cmd.community_id, cmd.school_year, as_of, criteria, today=env.today)
        assessment = Assessment.record(
            namespace=env.tenant_id,
            school_year=cmd.school_year,
            rule_set_id=found.rule_set.stream_id,
            rules=found.rule_set.rules,
            computed=found.computed,
            as_of=found.as_of,
            folded_seq=found.folded_seq,
            grade=cmd.grade,
            reason=cmd.reason,
            by=env.by,
        )
        exists = AssessmentExistsError(community_id=cmd.community_id, school_year=cmd.school_year)
        return Decision(assessment, if_exists=exists)

    return record_assessment
