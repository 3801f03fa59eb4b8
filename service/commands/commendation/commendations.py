"""Commands on commendations (表彰): award, revoke."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import CommendationKind
from domain.commendation.commendation import (
    BASIS_LIMIT,
    DOCUMENT_LIMIT,
    FIRST_YEAR,
    REASON_LIMIT,
    TITLE_LIMIT,
    Commendation,
)
from domain.community.school import School
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced
from service.commands.research.loading import community_named

if TYPE_CHECKING:
    from service.command import Env


class AwardCommendation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: CommendationKind
    year: Annotated[int, msgspec.Meta(ge=FIRST_YEAR, le=2099, description="The year commended")]
    title: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=TITLE_LIMIT, examples=["2023年度优秀轮岗支教教师"]),
    ]
    teacher_id: UUID | None = None
    school_id: UUID | None = None
    community_id: UUID | None = None
    basis: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=BASIS_LIMIT, description="依据: e.g. the assessment"),
    ]
    document: Annotated[str, msgspec.Meta(max_length=DOCUMENT_LIMIT, description="文号")] = ""
    awarded_on: date


class RevokeCommendation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


async def award_commendation(env: Env, cmd: AwardCommendation) -> Decision[Commendation]:
    school = None
    if cmd.school_id is not None:
        school = await referenced(env, School, "school_id", cmd.school_id)
    commendation = Commendation.award(
        id=uuid4(),
        kind=cmd.kind,
        year=cmd.year,
        title=cmd.title,
        teacher_id=cmd.teacher_id,
        school=school,
        community=await community_named(env, cmd.community_id),
        basis=cmd.basis,
        document=cmd.document,
        awarded_on=cmd.awarded_on,
        today=env.today,
        by=env.by,
    )
    return Decision(commendation)


async def revoke_commendation(
    env: Env, commendation: Commendation, cmd: RevokeCommendation
) -> Decision[Commendation]:
    commendation.revoke(cmd.reason, by=env.by)
    return Decision(commendation)
