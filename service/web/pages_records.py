"""Actions (a list and one with its evidence and review trail) and the quality database."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath
from litestar.response import Template

from domain.codes import ActivityKind, Subject
from domain.community.activity import Activity
from domain.community.attendance import count_attendance
from domain.errors import InvalidPeriodError
from domain.periods import Semester
from domain.review.review import review_id
from infra.event_store import AggregateNotFoundError
from infra.users import user_names
from projections.community import queries
from projections.quality import queries as quality
from service.context import Caller, reading
from service.services import Shared
from service.views.community.activity_counts import term_label
from service.views.labels import text
from service.views.review.review import step_people, step_view
from service.web.charts import Series, line_chart
from service.web.i18n import word
from service.web.pages_county import ALL, late_of, rows_seen, seen_then, semester_label
from service.web.render import render
from service.web.when import when_of

LIST_LIMIT = 200
PERIODS = 8  # of the quality trend


def id_param(value: str | None, name: str) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError as error:
        raise ValidationException(f"{name}: not an id") from error


def _semester(value: str | None) -> Semester | None:
    if not value:
        return None
    try:
        return Semester.parse(value)
    except InvalidPeriodError as error:
        raise ValidationException(f"semester: {value}") from error


@get("/app/activities", name="activities")
async def activities(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    params = request.query_params
    community_id = id_param(params.get("community"), "community")
    school_id = id_param(params.get("school"), "school")
    semester = _semester(params.get("semester"))
    kind = params.get("kind") or None
    if kind is not None and kind not in {k.value for k in ActivityKind}:
        raise ValidationException(f"kind: {kind}")
    when = when_of(request, services)
    filters: dict[str, Any] = {
        "community_id": community_id,
        "school_id": school_id,
        "kind": kind,
        "school_year": None if semester is None else semester.school_year.code,
        "term": None if semester is None else semester.term.value,
    }
    async with reading(services, ctx) as conn:
        seen = None if when.now else await seen_then(services, ctx, conn, when)
        if seen is None:
            rows = await queries.activities(conn, ctx.tenant_id, limit=LIST_LIMIT, **filters)
        else:
            wanted = (  # in the lists' order: the first LIST_LIMIT are the page
                s
                for s in seen.values()
                if (community_id is None or s.community_id == community_id)
                and (school_id is None or school_id in s.school_ids)
                and (kind is None or s.kind == kind)
                and (semester is None or s.semester == semester.code)
            )
            rows = await rows_seen(conn, ctx, wanted, LIST_LIMIT)
        names = await queries.community_names(conn, ctx.tenant_id, [r.community_id for r in rows])
        schools = await queries.schools_by_id(conn, ctx.tenant_id, [r.host_school_id for r in rows])
    return render(
        request,
        services,
        "activities.html",
        when=when,
        rows=rows,
        late=late_of(rows, seen),
        names=names,
        schools=schools,
        kind=None if kind is None else text(ActivityKind(kind), ctx.lang),
        semester=None if semester is None else semester_label(semester.code, ctx.lang),
        kind_label=lambda k: text(k, ctx.lang),
        limit=LIST_LIMIT,
    )


@get("/app/activities/{activity_id:uuid}", name="activity")
async def activity(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, activity_id: FromPath[UUID]
) -> Template:
    when = when_of(request, services)
    async with reading(services, ctx) as conn:
        seen = None if when.now else await seen_then(services, ctx, conn, when)
        try:
            found = await services.store.get(Activity, ctx.tenant_id, activity_id, conn=conn)
        except AggregateNotFoundError as error:
            raise NotFoundException(word("not_found", ctx.lang)) from error
        facts = found.facts
        school_ids = [facts.host_school_id, *facts.participating_school_ids]
        school_ids += [p.school_id for p in facts.participants]
        school_ids += [m.school_id for m in facts.attendance]
        schools = await queries.schools_by_id(conn, ctx.tenant_id, school_ids)
        community = await queries.community(conn, ctx.tenant_id, found.community_id)
        recorded = await services.store.read_stream(
            ctx.tenant_id, review_id(activity_id), conn=conn
        )
        events = [services.store.decode(event) for event in recorded]
        people = await user_names(conn, ctx.tenant_id, step_people(events))
    steps = [step_view(event, people, ctx.lang) for event in events]
    expected = [(p.name, p.school_id) for p in facts.participants]
    phone = {person: sign_in.late for person, sign_in in found.sign_ins.items()}
    return render(
        request,
        services,
        "activity.html",
        when=when,
        known_then=seen is None or activity_id in seen,
        late_days=0 if seen is None or activity_id not in seen else seen[activity_id].late_days,
        activity=found,
        facts=facts,
        community=community,
        schools=schools,
        steps=steps,
        kind=text(facts.kind, ctx.lang),
        mode=text(facts.mode, ctx.lang),
        subjects=[text(s, ctx.lang) for s in facts.subjects],
        counted=count_attendance(expected, facts.attendance, phone),
        sign_ins=sorted(found.sign_ins.values(), key=lambda s: s.at),
        reflections=sorted(found.reflections.items()),
    )


def _rate(value: int) -> str:
    return f"{value / 100:.2f}%"


@get("/app/quality", name="quality")
async def quality_page(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    params = request.query_params
    school_id = id_param(params.get("school"), "school")
    community_id = id_param(params.get("community"), "community")
    subject = params.get("subject") or None
    if subject is not None and subject not in {s.value for s in Subject}:
        raise ValidationException(f"subject: {subject}")
    when = when_of(request, services)
    async with reading(services, ctx) as conn:
        rows = await quality.results(
            conn,
            ctx.tenant_id,
            school_id=school_id,
            community_id=community_id,
            subject=subject,
            limit=ALL,
        )
        schools = await queries.schools_by_id(
            conn, ctx.tenant_id, list({r.row.school_id for r in rows})
        )
    rows = [c for c in rows if _starts(c.row.year, c.row.term) <= when.day]  # sat by the day
    # The trend: each period's rates over every row shown, weighted by its students.
    weighted: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for compared in rows:
        row = compared.row
        sums = weighted[(row.year, row.term)]
        sums[0] += row.students
        sums[1] += row.pass_rate * row.students
        sums[2] += row.good_rate * row.students
    periods = sorted(weighted, key=lambda p: (p[0], p[1] != "autumn"))[-PERIODS:]
    labels = [f"{year}-{year + 1} {_term(term, ctx.lang)}" for year, term in periods]

    def series(index: int, key: str) -> Series:
        points = tuple(
            round(weighted[p][index] / weighted[p][0] / 100, 2) if weighted[p][0] else None
            for p in periods
        )
        return Series(word(key, ctx.lang), points)

    chart = line_chart(
        word("quality_trend", ctx.lang),
        labels,
        [series(1, "pass_rate"), series(2, "good_rate")],
        y_max=100,
    )
    return render(
        request,
        services,
        "quality.html",
        when=when,
        rows=rows,
        schools=schools,
        chart=chart,
        rate=_rate,
        subject_label=lambda s: text(s, ctx.lang),
        term_label=lambda term: _term(term, ctx.lang),
        subjects=[(s.value, text(s, ctx.lang)) for s in Subject],
        chosen=subject or "",
    )


def _starts(year: int, term: str) -> date:
    """The first day of a sitting's semester (`year` is its school year's first)."""
    return date(year, 9, 1) if term == "autumn" else date(year + 1, 2, 1)


def _term(term: str, lang: str) -> str:
    return term_label(term, lang)
