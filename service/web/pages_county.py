"""The county at a glance, its communities and its schools, as pages."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from domain.codes import ActivityKind
from domain.periods import Semester, Term, semester_of
from projections.community import queries
from service.context import Caller, reading
from service.services import Services, Shared
from service.views.community.activity_counts import term_label
from service.views.labels import text
from service.web.charts import Bar, Series, bar_chart, line_chart, share_bar
from service.web.i18n import word
from service.web.render import render

if TYPE_CHECKING:
    from infra.db import Connection
    from projections.community.activity_counts import ActivityCount
    from projections.community.roster import CommunityRow

ALL = 1000  # a county has tens of schools and communities; one page holds them all
TREND_SEMESTERS = 6


def today(services: Services) -> date:
    return datetime.now(ZoneInfo(services.settings.timezone)).date()


def current_semester(day: date) -> Semester:
    # In August (no semester) the autumn about to start is the one to look at.
    return semester_of(day) or Semester(day.year, Term.AUTUMN)


def semester_label(code: str, lang: str) -> str:
    semester = Semester.parse(code)
    return f"{semester.year} {term_label(semester.term.value, lang)}"


def is_active(community: CommunityRow, day: date) -> bool:
    return community.starts_on <= day <= community.ends_on and (
        community.dissolved_on is None or community.dissolved_on > day
    )


def members_on(community: CommunityRow, day: date) -> set[UUID]:
    """The lead and the schools in the community on `day`."""
    inside = {
        stint.school_id
        for stint in community.stints
        if stint.joined_on <= day and (stint.left_on is None or stint.left_on > day)
    }
    return {community.lead_school_id, *inside}


def by_semester(counts: Counter[ActivityCount]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for key, count in counts.items():
        if key.term in {Term.AUTUMN.value, Term.SPRING.value}:
            year = int(key.school_year[:4]) + (key.term == Term.SPRING.value)
            totals[f"{year}-{key.term}"] += count
    return totals


def kind_bars(counts: Counter[str], lang: str, href: str) -> list[Bar]:
    """A bar per kind of action that has any, in the catalogue's order, linking to the list."""
    return [
        Bar(text(kind, lang), counts[kind.value], f"{href}&kind={kind.value}")
        for kind in ActivityKind
        if counts[kind.value]
    ]


def trend(totals: Counter[str], current: Semester, lang: str) -> tuple[list[str], list[float]]:
    semesters = [current]
    while len(semesters) < TREND_SEMESTERS:
        last = semesters[-1]
        semesters.append(
            Semester(last.year, Term.AUTUMN)
            if last.term is Term.SPRING
            else Semester(last.year - 1, Term.SPRING)
        )
    semesters.reverse()
    return [semester_label(s.code, lang) for s in semesters], [totals[s.code] for s in semesters]


async def _all_schools(conn: Connection, tenant_id: UUID) -> dict[UUID, Any]:
    return {row.school_id: row for row in await queries.schools(conn, tenant_id, limit=ALL)}


@get("/app", name="overview")
async def overview(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    lang, day = ctx.lang, today(services)
    semester = current_semester(day)
    async with reading(services, ctx) as conn:
        communities = await queries.communities(conn, ctx.tenant_id, limit=ALL)
        schools = await _all_schools(conn, ctx.tenant_id)
        counts = await queries.activity_count_rows(conn, ctx.tenant_id)
    active = [c for c in communities if is_active(c, day)]
    open_schools = {s for s, row in schools.items() if row.closed_on is None}
    inside = open_schools & set().union(*(members_on(c, day) for c in active))
    share = share_bar(
        word("in_community", lang),
        [
            Bar(word("in_community", lang), len(inside), "/app/schools?in=yes"),
            Bar(word("not_in_community", lang), len(open_schools - inside), "/app/schools?in=no"),
        ],
    )
    this_term: Counter[str] = Counter()
    for key, count in counts.items():
        if key.school_year == semester.school_year.code and key.term == semester.term.value:
            this_term[key.kind] += count
    href = f"/app/activities?semester={semester.code}"
    kinds = bar_chart(word("by_kind", lang), kind_bars(this_term, lang, href))
    labels, figures = trend(by_semester(counts), semester, lang)
    trend_chart = line_chart(
        word("trend", lang), labels, [Series(word("actions_count", lang), tuple(figures))]
    )
    return render(
        request,
        services,
        "overview.html",
        communities=len(active),
        schools=len(open_schools),
        in_community=len(inside),
        share=share,
        kinds=kinds,
        this_term=sum(this_term.values()),
        semester=semester.code,
        semester_label=semester_label(semester.code, lang),
        trend=trend_chart,
    )


@get("/app/communities", name="communities")
async def communities(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    day = today(services)
    async with reading(services, ctx) as conn:
        rows = await queries.communities(conn, ctx.tenant_id, limit=ALL)
        schools = await _all_schools(conn, ctx.tenant_id)
        counts = await queries.activity_count_rows(conn, ctx.tenant_id)
    actions: Counter[UUID] = Counter()
    for key, count in counts.items():
        actions[key.community_id] += count
    items = [
        {
            "row": row,
            "type": text(row.type, ctx.lang),
            "lead": schools.get(row.lead_school_id),
            "members": len(members_on(row, day)) - 1,
            "actions": actions[row.community_id],
            "active": is_active(row, day),
        }
        for row in rows
    ]
    return render(request, services, "communities.html", items=items)


@get("/app/communities/{community_id:uuid}", name="community")
async def community(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, community_id: FromPath[UUID]
) -> Template:
    async with reading(services, ctx) as conn:
        row = await queries.community(conn, ctx.tenant_id, community_id)
        if row is None:
            raise NotFoundException(word("not_found", ctx.lang))
        schools = await queries.schools_by_id(conn, ctx.tenant_id, list(row.school_ids))
        actions = await queries.activities(conn, ctx.tenant_id, community_id=community_id)
        counts = await queries.activity_count_rows(conn, ctx.tenant_id, community_id=community_id)
    by_kind: Counter[str] = Counter()
    for key, count in counts.items():
        by_kind[key.kind] += count
    href = f"/app/activities?community={community_id}"
    return render(
        request,
        services,
        "community.html",
        row=row,
        type=text(row.type, ctx.lang),
        schools=schools,
        actions=actions,
        total=sum(by_kind.values()),
        kinds=bar_chart(word("by_kind", ctx.lang), kind_bars(by_kind, ctx.lang, href)),
        kind_label=lambda kind: text(kind, ctx.lang),
    )


@get("/app/schools", name="schools")
async def schools(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    day, inside_filter = today(services), request.query_params.get("in")
    async with reading(services, ctx) as conn:
        rows = await queries.schools(conn, ctx.tenant_id, limit=ALL)
        active = await queries.communities(conn, ctx.tenant_id, limit=ALL)
    memberships: Counter[UUID] = Counter()
    for row in active:
        if is_active(row, day):
            memberships.update(members_on(row, day))
    if inside_filter in {"yes", "no"}:
        wanted = inside_filter == "yes"
        rows = [r for r in rows if r.closed_on is None and (memberships[r.school_id] > 0) == wanted]
    items = [
        {
            "row": row,
            "stage": text(row.stage, ctx.lang),
            "location": text(row.location, ctx.lang),
            "communities": memberships[row.school_id],
        }
        for row in rows
    ]
    return render(request, services, "schools.html", items=items)


@get("/app/schools/{school_id:uuid}", name="school")
async def school(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, school_id: FromPath[UUID]
) -> Template:
    async with reading(services, ctx) as conn:
        found = (await queries.schools_by_id(conn, ctx.tenant_id, [school_id])).get(school_id)
        if found is None:
            raise NotFoundException(word("not_found", ctx.lang))
        joined = await queries.communities(conn, ctx.tenant_id, school_id=school_id, limit=ALL)
        actions = await queries.activities(conn, ctx.tenant_id, school_id=school_id)
        months = await queries.school_month_rows(conn, ctx.tenant_id, school_id=school_id)
    month_bars = [
        Bar(row.month.strftime("%Y-%m"), row.count, f"/app/activities?school={school_id}")
        for row in months
    ]
    return render(
        request,
        services,
        "school.html",
        row=found,
        stage=text(found.stage, ctx.lang),
        location=text(found.location, ctx.lang),
        communities=joined,
        actions=actions,
        months=bar_chart(word("months", ctx.lang), month_bars),
        kind_label=lambda kind: text(kind, ctx.lang),
    )
