"""Reads of the read models themselves: actions per school and month, and how current they are."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from litestar import Controller
from litestar.params import FromQuery

from domain.periods import SchoolYear, Term
from infra.db import tenant_transaction
from infra.tenancy import Role
from projections.community import queries
from projections.community.activity_list import SUMMER, activity_list
from projections.review import queries as review_queries
from projections.review.review_state import activity_review, review_policy
from projections.status import CountyStatus, statuses, tenant_lag
from service.context import Caller, reading
from service.http.common import PERIOD_PROBLEMS, PeriodFilter, query
from service.http.dashboards import Counted
from service.services import Shared
from service.views.community.activity_counts import term_label


class SchoolMonthView(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    school_name: str | None  # None while the school's own events are not yet folded
    month: str  # 2023-03
    school_year: str
    semester: str | None  # None in August (the summer break)
    term: str
    term_label: str
    count: int  # actions the school took part in (hosted or joined), in any community


class SchoolMonths(msgspec.Struct, frozen=True, kw_only=True):
    """Actions that count (corrections applied, voids left out), as of `folded_seq`."""

    items: list[SchoolMonthView]
    folded_seq: int  # the county's events folded into these counts
    pending_events: int  # recorded but not yet counted
    counted: str = "all"  # "all" actions, or only the "approved" ones (review before counting)


class ParkedView(msgspec.Struct, frozen=True, kw_only=True):
    position: int  # the county's event (tenant_seq) that could not be folded
    error: str
    parked_at: datetime
    attempts: int


class CountyStatusView(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: UUID
    name: str
    head_seq: int  # the county's last event
    folded_seq: int  # the last event every read model has folded
    lag: int
    parked: ParkedView | None  # set while an event cannot be folded; retried with a delay


class ProjectionStatus(msgspec.Struct, frozen=True, kw_only=True):
    counties: list[CountyStatusView]


class ReadModelController(Controller):
    path = "/v1"
    tags = ["dashboards"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        "/dashboards/school-months",
        summary="Actions per school and month, across communities",
        description="An action counts once for each school it involves (host and participants),"
        " in the month of its first day; corrections applied, voided actions left out;"
        " `counted=approved` counts only the actions the county's review levels approved.",
        problems=PERIOD_PROBLEMS,
    )
    async def school_months(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        semester: FromQuery[str | None] = None,
        school_year: FromQuery[str | None] = None,
        counted: Counted = "all",
    ) -> SchoolMonths:
        period = PeriodFilter.of(semester=semester, school_year=school_year)
        approved = counted == "approved"
        count = review_queries.approved_school_months if approved else queries.school_month_rows
        folds = (activity_list, review_policy, activity_review) if approved else (activity_list,)
        async with reading(services, ctx) as conn:
            rows = await count(
                conn,
                ctx.tenant_id,
                school_id=school,
                school_year=period.school_year,
                term=period.term,
            )
            schools = await queries.schools_by_id(
                conn, ctx.tenant_id, list({row.school_id for row in rows})
            )
            folded, pending = await tenant_lag(conn, ctx.tenant_id, folds)
        items = []
        for row in rows:
            found = schools.get(row.school_id)
            year = SchoolYear.parse(row.school_year)
            items.append(
                SchoolMonthView(
                    school_id=row.school_id,
                    school_name=None if found is None else found.name,
                    month=row.month.strftime("%Y-%m"),
                    school_year=row.school_year,
                    semester=None if row.term == SUMMER else year.semester(Term(row.term)).code,
                    term=row.term,
                    term_label=term_label(row.term, ctx.lang),
                    count=row.count,
                )
            )
        return SchoolMonths(items=items, folded_seq=folded, pending_events=pending, counted=counted)

    @query(
        "/projections/status",
        summary="How current the read models are",
        description="A county's admin sees its own county; the hosting operator every county."
        " A parked county's event could not be folded: its position and error are shown, the"
        " runner retries it with a growing delay, and the other counties go on.",
        tags=["health"],
    )
    async def projection_status(self, *, services: Shared, ctx: Caller) -> ProjectionStatus:
        if ctx.role is Role.OPERATOR:
            async with services.pool.acquire() as conn:
                found = await statuses(conn, every_county=True)
        else:
            async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
                found = await statuses(conn)
        return ProjectionStatus(counties=[_status_view(county) for county in found])


def _status_view(county: CountyStatus) -> CountyStatusView:
    parked = county.parked
    return CountyStatusView(
        tenant_id=county.tenant_id,
        name=county.name,
        head_seq=county.head,
        folded_seq=county.folded,
        lag=county.lag,
        parked=None
        if parked is None
        else msgspec.convert(parked, ParkedView, from_attributes=True),
    )
