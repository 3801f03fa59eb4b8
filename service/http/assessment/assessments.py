"""Assessments (年度考核): the bureau records a community's school year; supervisors read."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.assessment.record import Assessment
from domain.codes import AssessmentGrade, CommunityType
from infra.paging import decode_cursor, page_of
from projections.assessment import queries
from service.assessment.assessing import school_year_of
from service.assessment.facts import replayed
from service.commands.assessment.assessments import RecordAssessment, recording
from service.context import Caller, reading
from service.errors import AsOfAfterTodayError, NoRuleSetInForceError
from service.http.common import (
    CREATED,
    SCHOOL_YEAR_PROBLEMS,
    TAGGED,
    Call,
    Cursor,
    Limit,
    command,
    created,
    gives,
    query,
    read_tagged,
)
from service.services import Shared
from service.views.assessment.assessment import (
    AssessmentPage,
    AssessmentView,
    assessment_summary,
    assessment_view,
)

SchoolYearQuery = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{4}-[0-9]{4}$")]
_AFTER = msgspec.json.Decoder(tuple[str, UUID])


class AssessmentController(Controller):
    path = "/v1/assessments"
    tags = ["assessments"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record a community's assessment of a school year",
        description="Bureau admins only. The server computes the assessment from compliance"
        " (GET /v1/compliance of the school year, as known today or on `as_of`) by the rule set"
        " in force on the year's last day and the community's type, and keeps it with that"
        " version, the day and the log position; the body carries the bureau's final `grade`"
        " (a different one needs `reason`) and a 协作型 community's `project` scores. Funding"
        " for the next year follows from the final grade.",
        response_headers=CREATED,
        problems=gives(
            NoRuleSetInForceError(
                school_year="2022-2023", last_day="2023-08-31", as_of="2023-07-01"
            ),
            AsOfAfterTodayError(field="as_of", as_of="2099-01-01", today="2024-07-01"),
        ),
    )
    async def record(
        self, *, call: Call, data: JSONBody[RecordAssessment]
    ) -> Response[AssessmentView]:
        async with reading(call.services, call.ctx) as conn:
            services = call.services
            fold = await replayed(conn, call.ctx.tenant_id, services.store.mapper, services.zone)
        return await created(call, recording(fold), Assessment, data, assessment_view, at=self.path)

    @query(
        summary="The county's assessments",
        description="From the read model: by school year, then community, paged; `grade` is"
        " the final one. Each item gives the totals and grades; one assessment's GET gives the"
        " rule scores.",
        problems=SCHOOL_YEAR_PROBLEMS,
    )
    async def list_assessments(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school_year: SchoolYearQuery = None,
        community: FromQuery[UUID | None] = None,
        community_type: FromQuery[CommunityType | None] = None,
        grade: FromQuery[AssessmentGrade | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> AssessmentPage:
        year = None if school_year is None else school_year_of(school_year).code
        async with reading(services, ctx) as conn:
            rows = await queries.assessments(
                conn,
                ctx.tenant_id,
                school_year=year,
                community_id=community,
                community_type=community_type,
                grade=grade,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.school_year, row.community_id))
        return AssessmentPage(
            items=[assessment_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{assessment_id:uuid}",
        summary="One assessment as recorded",
        description="As computed when recorded, beside the bureau's final grade; its version is"
        " the `ETag`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, assessment_id: FromPath[UUID]
    ) -> Response[AssessmentView]:
        return await read_tagged(services, ctx, Assessment, assessment_id, assessment_view)
