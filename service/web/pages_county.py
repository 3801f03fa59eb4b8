"""The county at a glance, its communities and its schools, as pages, as of a day."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any
from uuid import UUID

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from domain.codes import ActivityKind
from domain.periods import Semester, Term, semester_of
from projections.community import queries
from service.assessment.kept import judge_kept as judge
from service.context import Caller, reading
from service.services import Shared
from service.views.community.activity_counts import term_label
from service.views.labels import text
from service.web.charts import Bar, Series, bar_chart, line_chart, share_bar
from service.web.figures import (
    compliance_trend,
    judge_trend,
    progress_of,
    status_counts,
    status_share,
    trend_semesters,
)
from service.web.i18n import word
from service.web.render import render
from service.web.seen import Seeing, Seen, first_ids, seen_of
from service.web.when import When, carrier, when_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    from infra.db import Connection
    from projections.community.activity_counts import ActivityCount
    from projections.community.activity_list import ActivityRow
    from projections.community.roster import CommunityRow
    from projections.community.school_list import SchoolRow

ALL = 1000  # a county has tens of schools and communities; one page holds them all


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


def is_open(school: SchoolRow, day: date) -> bool:
    return school.closed_on is None or school.closed_on > day


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


async def _all_schools(conn: Connection, tenant_id: UUID) -> dict[UUID, Any]:
    return {row.school_id: row for row in await queries.schools(conn, tenant_id, limit=ALL)}


async def rows_seen(
    conn: Connection, ctx: Caller, seen: Iterable[Seen], limit: int = 50
) -> list[ActivityRow]:
    """The read model's rows of the first actions of an ordered Seeing (voided since, too)."""
    ids = first_ids(seen, limit)
    return await queries.activities(
        conn, ctx.tenant_id, include_void=True, activity_ids=ids, limit=limit
    )


def late_of(rows: Iterable[ActivityRow], seen: Seeing | None) -> dict[UUID, int]:
    """The delay of each late entry (补录) among the rows shown."""
    if seen is None:
        return {}
    return {
        r.activity_id: seen[r.activity_id].late_days for r in rows if seen[r.activity_id].late_days
    }


@get("/app", name="overview")
async def overview(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    lang, when, link = ctx.lang, when_of(request, services), carrier(request)
    day, semester = when.day, current_semester(when.day)
    async with reading(services, ctx) as conn:
        communities = await queries.communities(conn, ctx.tenant_id, limit=ALL)
        schools = await _all_schools(conn, ctx.tenant_id)
        counts = await queries.activity_count_rows(conn, ctx.tenant_id) if when.now else None
        fold = await services.facts.current(conn, ctx.tenant_id)
    year = judge(fold, when.question())
    active = [c for c in communities if is_active(c, day)]
    open_schools = {s for s, row in schools.items() if is_open(row, day)}
    inside = open_schools & set().union(*(members_on(c, day) for c in active))
    outside = len(open_schools - inside)
    share = share_bar(
        word("in_community", lang),
        [
            Bar(word("in_community", lang), len(inside), link("/app/schools?in=yes")),
            Bar(word("not_in_community", lang), outside, link("/app/schools?in=no")),
        ],
    )
    this_term: Counter[str] = Counter()
    if counts is not None:
        totals = by_semester(counts)
        for key, count in counts.items():
            if key.school_year == semester.school_year.code and key.term == semester.term.value:
                this_term[key.kind] += count
    else:
        seen = seen_of(ctx.tenant_id, fold, when, year.versions)
        this_term, totals = seen.kind_counts(semester=semester.code), seen.semesters
    href = link(f"/app/activities?semester={semester.code}")
    semesters = trend_semesters(semester)
    labels = [semester_label(s.code, lang) for s in semesters]
    figures = tuple(float(totals[s.code]) for s in semesters)
    statuses = status_counts(year.results, lang, link)
    trend_results = judge_trend(fold, when, semesters)
    return render(
        request,
        services,
        "overview.html",
        when=when,
        communities=len(active),
        schools=len(open_schools),
        in_community=len(inside),
        share=share,
        kinds=bar_chart(word("by_kind", lang), kind_bars(this_term, lang, href)),
        this_term=sum(this_term.values()),
        semester=semester.code,
        semester_label=semester_label(semester.code, lang),
        trend=line_chart(word("trend", lang), labels, [Series(word("actions_count", lang), figures)]),  # noqa: E501
        period=when.question().asked.code,
        statuses=statuses,
        status_chart=status_share(statuses, lang),
        compliance_trend=compliance_trend(trend_results, semesters, labels, lang),
    )  # fmt: skip


async def seen_then(services: Shared, ctx: Caller, conn: Connection, when: When) -> Seeing:
    fold = await services.facts.current(conn, ctx.tenant_id)
    return seen_of(ctx.tenant_id, fold, when, judge(fold, when.question()).versions)


@get("/app/communities", name="communities")
async def communities(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    when = when_of(request, services)
    async with reading(services, ctx) as conn:
        rows = await queries.communities(conn, ctx.tenant_id, limit=ALL)
        schools = await _all_schools(conn, ctx.tenant_id)
        actions: Counter[UUID] = Counter()
        if when.now:
            for key, count in (await queries.activity_count_rows(conn, ctx.tenant_id)).items():
                actions[key.community_id] += count
        else:
            actions.update(
                s.community_id for s in (await seen_then(services, ctx, conn, when)).values()
            )
    rows = [row for row in rows if row.starts_on <= when.day]  # not yet formed then
    items = [
        {
            "row": row,
            "type": text(row.type, ctx.lang),
            "lead": schools.get(row.lead_school_id),
            "members": len(members_on(row, when.day)) - 1,
            "actions": actions[row.community_id],
            "active": is_active(row, when.day),
        }
        for row in rows
    ]
    return render(request, services, "communities.html", when=when, items=items)


@get("/app/communities/{community_id:uuid}", name="community")
async def community(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, community_id: FromPath[UUID]
) -> Template:
    when, link, lang = when_of(request, services), carrier(request), ctx.lang
    async with reading(services, ctx) as conn:
        row = await queries.community(conn, ctx.tenant_id, community_id)
        if row is None:
            raise NotFoundException(word("not_found", lang))
        schools = await queries.schools_by_id(conn, ctx.tenant_id, list(row.school_ids))
        fold = await services.facts.current(conn, ctx.tenant_id)
        year = judge(fold, when.question())
        seen = None if when.now else seen_of(ctx.tenant_id, fold, when, year.versions)
        by_kind: Counter[str] = Counter()
        if seen is None:
            actions = await queries.activities(conn, ctx.tenant_id, community_id=community_id)
            counts = await queries.activity_count_rows(
                conn, ctx.tenant_id, community_id=community_id
            )
            for key, count in counts.items():
                by_kind[key.kind] += count
        else:
            by_kind = seen.kind_counts(community_id)
            actions = await rows_seen(conn, ctx, seen.by_community.get(community_id, []))
    results = [r for r in year.results if r.community_id == community_id]
    names = {k: v.name for k, v in schools.items()}
    href = link(f"/app/activities?community={community_id}")
    return render(
        request,
        services,
        "community.html",
        when=when,
        row=row,
        type=text(row.type, lang),
        schools=schools,
        members=members_on(row, when.day),
        actions=actions,
        late=late_of(actions, seen),
        total=sum(by_kind.values()),
        kinds=bar_chart(word("actions_kinds", lang), kind_bars(by_kind, lang, href)),
        kind_label=lambda kind: text(kind, lang),
        period=when.question().asked.code,
        statuses=status_counts(results, lang, link, community=str(community_id)),
        progress=progress_of(year, results, lang, link, names),
    )  # fmt: skip


@get("/app/schools", name="schools")
async def schools(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    when, inside_filter = when_of(request, services), request.query_params.get("in")
    day = when.day
    async with reading(services, ctx) as conn:
        rows = await queries.schools(conn, ctx.tenant_id, limit=ALL)
        active = await queries.communities(conn, ctx.tenant_id, limit=ALL)
    memberships: Counter[UUID] = Counter()
    for row in active:
        if is_active(row, day):
            memberships.update(members_on(row, day))
    if inside_filter in {"yes", "no"}:
        wanted = inside_filter == "yes"
        rows = [r for r in rows if is_open(r, day) and (memberships[r.school_id] > 0) == wanted]
    items = [
        {
            "row": row,
            "open": is_open(row, day),
            "stage": text(row.stage, ctx.lang),
            "location": text(row.location, ctx.lang),
            "communities": memberships[row.school_id],
        }
        for row in rows
    ]
    return render(request, services, "schools.html", when=when, items=items)


def _months(seen: Iterable[Seen], school_id: UUID, href: Callable[[str], str]) -> list[Bar]:
    counts = Counter(s.held_on.strftime("%Y-%m") for s in seen if school_id in s.school_ids)
    target = href(f"/app/activities?school={school_id}")
    return [Bar(month, counts[month], target) for month in sorted(counts)]


@get("/app/schools/{school_id:uuid}", name="school")
async def school(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, school_id: FromPath[UUID]
) -> Template:
    when, link = when_of(request, services), carrier(request)
    async with reading(services, ctx) as conn:
        found = (await queries.schools_by_id(conn, ctx.tenant_id, [school_id])).get(school_id)
        if found is None:
            raise NotFoundException(word("not_found", ctx.lang))
        joined = await queries.communities(conn, ctx.tenant_id, school_id=school_id, limit=ALL)
        seen = None if when.now else await seen_then(services, ctx, conn, when)
        if seen is None:
            actions = await queries.activities(conn, ctx.tenant_id, school_id=school_id)
            months = await queries.school_month_rows(conn, ctx.tenant_id, school_id=school_id)
            month_bars = [
                Bar(r.month.strftime("%Y-%m"), r.count, link(f"/app/activities?school={school_id}"))
                for r in months
            ]
        else:
            involved = (s for s in seen.values() if school_id in s.school_ids)
            actions = await rows_seen(conn, ctx, involved)
            month_bars = _months(seen.values(), school_id, link)
    return render(
        request,
        services,
        "school.html",
        when=when,
        row=found,
        stage=text(found.stage, ctx.lang),
        location=text(found.location, ctx.lang),
        communities=[c for c in joined if c.starts_on <= when.day],
        actions=actions,
        late=late_of(actions, seen),
        months=bar_chart(word("months", ctx.lang), month_bars),
        kind_label=lambda kind: text(kind, ctx.lang),
    )  # fmt: skip
