"""What supervisors (督导) read: how many community actions count, by community, period, kind."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller
from litestar.params import FromQuery, QueryParameter
from litestar.response import Response

from domain.codes import ActivityKind
from projections.community import queries
from projections.review import queries as review_queries
from projections.status import tenant_lag
from service.context import Caller, reading
from service.http.common import PERIOD_PROBLEMS, PeriodFilter, query
from service.read_cache import json_answer
from service.services import Shared
from service.views.community.activity_counts import ActivityCounts, activity_counts_view

# What a dashboard counts: every action (the default, as before review existed) or only those
# the county's review levels approved. A county with no levels approves every action.
Counted = Annotated[
    Literal["all", "approved"],
    QueryParameter(description="`all` actions (default) or only the `approved` ones"),
]


class DashboardController(Controller):
    path = "/v1/dashboards"
    tags = ["dashboards"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        "/activity-counts",
        summary="Actions counted by community, semester and kind",
        description="Corrections applied, voided actions left out; `counted=approved` counts"
        " only the actions the county's review levels approved. `folded_seq` and"
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
        counted: Counted = "all",
    ) -> Response[ActivityCounts]:
        period = PeriodFilter.of(semester=semester, school_year=school_year)
        count = (
            review_queries.approved_activity_counts
            if counted == "approved"
            else queries.activity_count_rows
        )

        async def answered() -> ActivityCounts:
            async with reading(services, ctx) as conn:
                counts = await count(
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
                counts,
                names,
                folded_seq=folded,
                pending_events=pending,
                lang=ctx.lang,
                counted=counted,
            )

        return json_answer(await services.read_cache.answer(ctx, answered), ActivityCounts)
