"""County KPIs (县域指标) of a school year, for the bureau."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller
from litestar.params import QueryParameter

from domain.assessment import kpis
from domain.assessment.calendar import Window
from domain.assessment.codes import RuleSetState
from domain.assessment.evaluate import in_force
from domain.assessment.rule_set import RuleSet
from projections.assessment import queries as kpi_inputs
from service.context import Caller, reading
from service.http.common import SCHOOL_YEAR_PROBLEMS, query
from service.services import Shared
from service.views.assessment.kpis import CountyKpis, share_view, subsidies_view, weak_view

SchoolYear = Annotated[str, QueryParameter(pattern=r"^[0-9]{4}-[0-9]{4}$")]


class CountyKpiController(Controller):
    path = "/v1/dashboards/county-kpis"
    tags = ["dashboards"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="County KPIs of a school year",
        description="Compulsory schools in a community, the share of 融合/共建 communities,"
        " 薄弱校 warnings (a member school's figures below the year before) and subsidies due"
        " by the rules against those paid. The formulas are in the README.",
        problems=SCHOOL_YEAR_PROBLEMS,
    )
    async def county_kpis(
        self, *, services: Shared, ctx: Caller, school_year: SchoolYear
    ) -> CountyKpis:
        year = Window.of_school_year(school_year)
        async with reading(services, ctx) as conn:
            schools = await kpi_inputs.schools(conn, ctx.tenant_id)
            communities = await kpi_inputs.communities(conn, ctx.tenant_id)
            quality = await kpi_inputs.quality(conn, ctx.tenant_id, year.code)
            placements = await kpi_inputs.placements(conn, ctx.tenant_id)
            payments = await kpi_inputs.subsidy_payments(conn, ctx.tenant_id)
            rule_sets = await services.store.all_of(RuleSet, ctx.tenant_id, conn=conn)
        published = [r.rules for r in rule_sets if r.state == RuleSetState.PUBLISHED]
        version = in_force(published, year.ends_on)
        subsidies = None
        if version is not None:
            due = kpis.subsidies(version, communities, placements, payments, year)
            subsidies = subsidies_view(version.label, due)
        return CountyKpis(
            school_year=year.code,
            ownership_recorded=False,
            compulsory_schools_in_communities=share_view(kpis.coverage(schools, communities, year)),
            fused_or_co_built_communities=share_view(kpis.bundled_share(communities, year)),
            weak_schools=[
                weak_view(w, ctx.lang) for w in kpis.warnings(communities, quality, year)
            ],
            subsidies=subsidies,
        )
