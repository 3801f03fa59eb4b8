"""Assessments (年度考核): the bureau records a community's school year; supervisors read."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.assessment.record import Assessment
from domain.codes import AssessmentGrade
from service.commands.assessment.assessments import RecordAssessment, record_assessment
from service.context import Caller, reading
from service.http.common import CREATED, TAGGED, Call, command, created, query, read_tagged
from service.services import Shared
from service.views.assessment.assessment import AssessmentList, AssessmentView, assessment_view

SchoolYearQuery = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{4}-[0-9]{4}$")]


class AssessmentController(Controller):
    path = "/v1/assessments"
    tags = ["assessments"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record a community's assessment of a school year",
        description="Bureau admins only. The assessment is computed by the community's type from"
        " the year's results under a published rule set and kept as computed; `grade` is the"
        " bureau's final one (a different grade needs `reason`); funding follows from it.",
        response_headers=CREATED,
    )
    async def record(
        self, *, call: Call, data: JSONBody[RecordAssessment]
    ) -> Response[AssessmentView]:
        return await created(
            call, record_assessment, Assessment, data, assessment_view, at=self.path
        )

    @query(summary="The county's assessments", description="By school year, then community.")
    async def list_assessments(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school_year: SchoolYearQuery = None,
        community: FromQuery[UUID | None] = None,
        grade: FromQuery[AssessmentGrade | None] = None,
    ) -> AssessmentList:
        async with reading(services, ctx) as conn:
            found = await services.store.all_of(Assessment, ctx.tenant_id, conn=conn)
        kept = [
            a
            for a in found
            if (school_year is None or a.school_year == school_year)
            and (community is None or a.community_id == community)
            and (grade is None or a.final_grade == grade)
        ]
        kept.sort(key=lambda a: (a.school_year, str(a.community_id)))
        return AssessmentList(items=[assessment_view(a, ctx.lang) for a in kept])

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
