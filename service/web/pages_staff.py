"""Staff assignments as a page: who is where on the day, their host post, terms ending soon."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template

from infra.crypto import PersonalData
from projections.community import queries
from projections.staff import queries as staff
from service.context import Caller, reading
from service.services import Shared
from service.views.labels import in_language, text
from service.views.staff.teacher import ERASED_LABEL
from service.web.pages_county import ALL
from service.web.render import render
from service.web.when import when_of

ENDING_DAYS = 60  # a term whose planned end is this close to the day is "ending soon"


@get("/app/assignments", name="assignments")
async def assignments(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    when, lang = when_of(request, services), ctx.lang
    async with reading(services, ctx) as conn:
        rows = await staff.assignments(conn, ctx.tenant_id, active_on=when.day, limit=ALL * 5)
        wanted = {row.teacher_id for row in rows}
        teachers = [
            t
            for t in await staff.teachers(conn, ctx.tenant_id, include_left=True, limit=ALL * 20)
            if t.teacher_id in wanted
        ]
        opened = await services.keyring.open_many(
            ctx.tenant_id, {t.teacher_id: t.personal for t in teachers}, PersonalData, conn=conn
        )
        school_ids = [s for row in rows for s in (row.from_school_id, row.to_school_id)]
        schools = await queries.schools_by_id(conn, ctx.tenant_id, school_ids)
        names = await queries.community_names(
            conn, ctx.tenant_id, [r.community_id for r in rows if r.community_id is not None]
        )

    def name(teacher_id: Any) -> str:  # noqa: ANN401 - a UUID
        found = opened.get(teacher_id)
        return found.name if isinstance(found, PersonalData) else in_language(ERASED_LABEL, lang)

    def where(school_id: Any) -> str:  # noqa: ANN401 - a UUID
        return schools[school_id].name if school_id in schools else str(school_id)

    soon = when.day + timedelta(days=ENDING_DAYS)
    items = [
        {
            "row": row,
            "teacher": name(row.teacher_id),
            "kind": text(row.kind, lang),
            "role": text(row.role, lang),
            "posts": [text(p, lang) for p in row.host_posts],
            "ending": row.last_day <= soon,
        }
        for row in sorted(
            rows, key=lambda r: (r.last_day > soon, where(r.to_school_id), r.last_day)
        )
    ]
    return render(
        request,
        services,
        "assignments.html",
        when=when,
        items=items,
        ending=[i for i in items if i["ending"]],  # in the schools' order
        schools=schools,
        names=names,
        days=ENDING_DAYS,
    )
