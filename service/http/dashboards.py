"""What supervisors (督导) read: how many community actions count, by community, period, kind."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller
from litestar.params import FromQuery
from litestar.response import Response

from domain.codes import ActivityKind
from projections.community import queries
from projections.status import tenant_lag
from service.context import Caller, reading
from service.http.common import PERIOD_PROBLEMS, PeriodFilter, query
from service.read_cache import json_answer
from service.services import Shared
from service.views.community.activity_counts import ActivityCounts, activity_counts_view


class DashboardController(Controller):
    path = "/v1/dashboards"
    tags = ["dashboards"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        "/activity-counts",
        summary="Actions counted by community, semester and kind",
        description="Corrections applied, voided actions left out. `folded_seq` and"
        " `pending_events` say how current the counts are (events are folded within a second).",
        problems=PERIOD_PROBLEMS,
    )
    async def activity_counts(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community: FromQuery[UUID | None] = None,
        semester: FromQuery[str | None] = None,
        school_year: FromQuery[str | None] = None,
        kind: FromQuery[ActivityKind | None] = None,
    ) -> Response[ActivityCounts]:
        period = PeriodFilter.of(semester=semester, school_year=school_year)

        async def counted() -> ActivityCounts:
            async with reading(services, ctx) as conn:
                counts = await queries.activity_count_rows(
                    conn,
                    ctx.tenant_id,
                    community_id=community,
                    school_year=period.school_year,
                    term=period.term,
                    kind=kind,
                )
                names = await queries.community_names(
                    conn, ctx.tenant_id, list({key.community_id for key in counts})
                )
                folded, pending = await tenant_lag(conn, ctx.tenant_id)
            return activity_counts_view(
                counts, names, folded_seq=folded, pending_events=pending, lang=ctx.lang
            )

        return json_answer(await services.read_cache.answer(ctx, counted), ActivityCounts)
