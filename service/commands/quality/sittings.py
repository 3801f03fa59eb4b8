"""Commands on quality test sittings (教学质量检测): hold, record results, record an analysis."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import SittingKind, Subject
from domain.quality.sitting import (
    ANALYSIS_LIMIT,
    MAX_FULL_MARKS,
    MAX_STUDENTS,
    REASON_LIMIT,
    TITLE_LIMIT,
    Result,
    Sitting,
    hundredths,
)
from infra.tenancy import Role
from service.body import RequiredText
from service.command import Decision
from service.commands.research.loading import act_for_one_of, community_named, schools_named
from service.errors import NotYourSchoolError

if TYPE_CHECKING:
    from service.command import Env

Percent = Annotated[float, msgspec.Meta(ge=0, le=100, description="%, at most two decimals")]
Grade = Annotated[int, msgspec.Meta(ge=1, le=12, description="1 (一年级) to 12 (高三)")]


class HoldSitting(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: SittingKind
    title: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=TITLE_LIMIT, examples=["2022学年第二学期期末联考"]),
    ]
    held_on: date
    grades: Annotated[list[Grade], msgspec.Meta(min_length=1, max_length=12)]
    subjects: Annotated[list[Subject], msgspec.Meta(min_length=1, max_length=30)]
    school_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=50)]
    community_id: UUID | None = None


class ResultIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    school_id: UUID
    subject: Subject
    grade: Grade
    students: Annotated[int, msgspec.Meta(ge=1, le=MAX_STUDENTS)]
    pass_rate: Percent  # 合格率
    good_rate: Percent  # 优良率
    mean: Annotated[float, msgspec.Meta(ge=0, le=MAX_FULL_MARKS)]
    full_marks: Annotated[int, msgspec.Meta(ge=1, le=MAX_FULL_MARKS)] = 100


class RecordResults(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Results of schools in subjects and grades; given again, they replace with a reason."""

    results: Annotated[list[ResultIn], msgspec.Meta(min_length=1, max_length=1000)]
    reason: Annotated[str, msgspec.Meta(max_length=REASON_LIMIT)] = ""


class RecordAnalysis(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A quality analysis (质量分析): of one school's results, or of the whole sitting."""

    text: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=ANALYSIS_LIMIT)]
    school_id: UUID | None = None


def _result(given: ResultIn) -> Result:
    return Result(
        school_id=given.school_id,
        subject=given.subject,
        grade=given.grade,
        students=given.students,
        pass_rate=hundredths("pass_rate", given.pass_rate),
        good_rate=hundredths("good_rate", given.good_rate),
        mean=hundredths("mean", given.mean),
        full_marks=given.full_marks,
    )


async def hold_sitting(env: Env, cmd: HoldSitting) -> Decision[Sitting]:
    sitting = Sitting.hold(
        id=uuid4(),
        kind=cmd.kind,
        title=cmd.title,
        held_on=cmd.held_on,
        grades=cmd.grades,
        subjects=cmd.subjects,
        schools=await schools_named(env, "school_ids", cmd.school_ids),
        community=await community_named(env, cmd.community_id),
        today=env.today,
        by=env.by,
    )
    return Decision(sitting)


async def record_results(env: Env, sitting: Sitting, cmd: RecordResults) -> Decision[Sitting]:
    for given in cmd.results:
        act_for_one_of(env, (given.school_id,))
    sitting.record_results([_result(given) for given in cmd.results], cmd.reason, by=env.by)
    return Decision(sitting)


async def record_analysis(env: Env, sitting: Sitting, cmd: RecordAnalysis) -> Decision[Sitting]:
    if env.role is Role.RECORDER and cmd.school_id is None:
        raise NotYourSchoolError(school_id=env.school_id)  # the whole sitting's is the bureau's
    if cmd.school_id is not None:
        act_for_one_of(env, (cmd.school_id,))
    sitting.record_analysis(cmd.school_id, cmd.text, by=env.by)
    return Decision(sitting)
