"""Quality tests (教学质量检测): sittings, their results and analyses; the quality database."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import SittingKind, Subject
from domain.quality.sitting import Sitting
from infra.paging import decode_cursor, page_of
from projections.quality import queries
from projections.quality.queries import RESULT_ORDER
from service.commands.quality.sittings import (
    HoldSitting,
    RecordAnalysis,
    RecordResults,
    hold_sitting,
    record_analysis,
    record_results,
)
from service.context import Caller, reading
from service.http.common import (
    CHANGED,
    CREATED,
    PERIOD_PROBLEMS,
    TAGGED,
    Call,
    Cursor,
    Limit,
    PeriodFilter,
    changed,
    command,
    created,
    query,
    read_tagged,
)
from service.services import Shared
from service.views.quality.results import QualityPage, quality_result
from service.views.quality.sitting import (
    SittingPage,
    SittingView,
    sitting_summary,
    sitting_view,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])
_RESULT_AFTER = msgspec.json.Decoder(tuple[str, str, UUID, str, int])
Semester = Annotated[str | None, QueryParameter(description="e.g. 2023-spring", max_length=20)]
SchoolYearCode = Annotated[str | None, QueryParameter(description="e.g. 2022-2023", max_length=20)]


class SittingController(Controller):
    path = "/v1/quality/sittings"
    tags = ["quality"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record a test sitting",
        description="The schools, subjects and grades that sat it; results follow.",
        response_headers=CREATED,
    )
    async def hold(self, *, call: Call, data: JSONBody[HoldSitting]) -> Response[SittingView]:
        return await created(call, hold_sitting, Sitting, data, sitting_view, at=self.path)

    @query(
        summary="The county's test sittings",
        description="The latest first, paged; each with the schools that reported results and its"
        " analyses.",
        problems=PERIOD_PROBLEMS,
    )
    async def list_sittings(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        community: FromQuery[UUID | None] = None,
        kind: FromQuery[SittingKind | None] = None,
        semester: Semester = None,
        school_year: SchoolYearCode = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> SittingPage:
        period = PeriodFilter.of(semester=semester, school_year=school_year)
        async with reading(services, ctx) as conn:
            rows = await queries.sittings(
                conn,
                ctx.tenant_id,
                school_id=school,
                community_id=community,
                kind=kind,
                school_year=period.school_year,
                term=period.term,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.held_on, row.sitting_id))
        return SittingPage(
            items=[sitting_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{sitting_id:uuid}",
        summary="A sitting with its results and analyses",
        response_headers=TAGGED,
        description="Rebuilt from its events: every school's results and the analyses; its version"
        " is the `ETag`.",
    )
    async def read(
        self, *, services: Shared, ctx: Caller, sitting_id: FromPath[UUID]
    ) -> Response[SittingView]:
        return await read_tagged(services, ctx, Sitting, sitting_id, sitting_view)

    @command(
        "/{sitting_id:uuid}/results",
        summary="Record results",
        description="Per school, subject and grade; results given again replace the first"
        " ones with a reason. A school's recorder records its own school's.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def results(
        self, *, call: Call, sitting_id: FromPath[UUID], data: JSONBody[RecordResults]
    ) -> Response[SittingView]:
        return await changed(call, record_results, Sitting, sitting_id, data, sitting_view)

    @command(
        "/{sitting_id:uuid}/analyses",
        summary="Record a quality analysis (质量分析)",
        description="Of one school's results (its recorder may), or of the whole sitting.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def analyses(
        self, *, call: Call, sitting_id: FromPath[UUID], data: JSONBody[RecordAnalysis]
    ) -> Response[SittingView]:
        return await changed(call, record_analysis, Sitting, sitting_id, data, sitting_view)


class QualityResultController(Controller):
    path = "/v1/quality/results"
    tags = ["quality"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="The shared quality database",
        description="合格率, 优良率 and mean by school, subject, grade and period (school year and"
        " term), the latest sitting of the period standing, each with the change from the same"
        " grade, subject and term the school year before. Latest period first, paged.",
        problems=PERIOD_PROBLEMS,
    )
    async def list_results(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        community: Annotated[
            UUID | None, QueryParameter(description="Its lead and every school ever a member")
        ] = None,
        subject: FromQuery[Subject | None] = None,
        grade: Annotated[int | None, QueryParameter(ge=1, le=12)] = None,
        semester: Semester = None,
        school_year: SchoolYearCode = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> QualityPage:
        period = PeriodFilter.of(semester=semester, school_year=school_year)
        after: tuple[Any, ...] | None = None
        if cursor is not None:
            after = decode_cursor(cursor, _RESULT_AFTER)
        async with reading(services, ctx) as conn:
            rows = await queries.results(
                conn,
                ctx.tenant_id,
                school_id=school,
                community_id=community,
                subject=subject,
                grade=grade,
                school_year=period.school_year,
                term=period.term,
                after=after,
                limit=limit + 1,
            )
        items, next_cursor = page_of(
            rows, limit, lambda found: tuple(getattr(found.row, name) for name in RESULT_ORDER)
        )
        return QualityPage(
            items=[quality_result(found, ctx.lang) for found in items], next_cursor=next_cursor
        )
