"""Compliance results (a list and one with its records) and the rules, as pages, as of a day."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from litestar import Request, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath
from litestar.response import Template

from domain.assessment.evaluate import in_force
from domain.assessment.rule_set import RuleSet
from domain.codes import ComplianceStatus
from projections.assessment.judge import known_versions
from projections.community import queries
from service.assessment.judging import Filters
from service.assessment.kept import judge_kept as judge
from service.context import Caller, reading
from service.services import Shared
from service.views.assessment.compliance import COUNTY
from service.views.labels import in_language, text
from service.web.figures import judge_all, result_href, rule_title, status_counts, status_share
from service.web.i18n import word
from service.web.pages_records import id_param
from service.web.render import render
from service.web.when import carrier, when_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.assessment.outcome import Result
    from infra.db import Connection

ACTIVITY = "/v1/activities/"  # a record's resource path in the facts, as the API links it


def action_of(record_id: UUID, links: Mapping[UUID, str]) -> UUID | None:
    """The action a record is (a correction's too); None for other records (projects, ...)."""
    found = links.get(record_id)
    if found is None or not found.startswith(ACTIVITY):
        return None
    return UUID(found.removeprefix(ACTIVITY))


async def _names(conn: Connection, ctx: Caller, results: list[Result]) -> dict[UUID, str]:
    communities = [r.community_id for r in results if r.community_id is not None]
    schools = [r.school_id for r in results if r.school_id is not None]
    names = await queries.community_names(conn, ctx.tenant_id, communities)
    found = await queries.schools_by_id(conn, ctx.tenant_id, schools)
    return {**names, **{k: v.name for k, v in found.items()}}


@get("/app/compliance", name="compliance")
async def compliance(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    params, when, link = request.query_params, when_of(request, services), carrier(request)
    status = params.get("status") or None
    if status is not None and status not in {s.value for s in ComplianceStatus}:
        raise ValidationException(f"status: {status}")
    rule, period = params.get("rule") or None, params.get("period") or None
    community = id_param(params.get("community"), "community")
    school = id_param(params.get("school"), "school")
    q = when.question(period)
    async with reading(services, ctx) as conn:
        fold = await services.facts.current(conn, ctx.tenant_id)
        judged = judge(fold, q)
        wanted = Filters(community_id=community, school_id=school, rule_id=rule)
        results = [r for r in judged.results if wanted.keep(r)]
        names = await _names(conn, ctx, results)
    shown = [r for r in results if status is None or r.status.value == status]
    filters = {"community": params.get("community"), "school": params.get("school"),
               "rule": rule, "period": period}  # fmt: skip
    statuses = status_counts(results, ctx.lang, link, **filters)
    return render(
        request,
        services,
        "compliance.html",
        when=when,
        period=q.asked.code,
        versions=[v.label for v in judged.versions],
        statuses=statuses,
        chart=status_share(statuses, ctx.lang),
        status_label=None if status is None else text(ComplianceStatus(status), ctx.lang),
        items=[
            {
                "r": r,
                "title": rule_title(judged, r, ctx.lang),
                "href": result_href(r, link),
                "status": text(r.status, ctx.lang),
            }
            for r in shown
        ],
        names=names,
        county=word("county_wide", ctx.lang),
    )


@get("/app/compliance/{community_id:str}/{rule_id:str}/{period:str}", name="compliance_result")
async def compliance_result(
    request: Request[Any, Any, Any],
    *,
    services: Shared,
    ctx: Caller,
    community_id: FromPath[str],
    rule_id: FromPath[str],
    period: FromPath[str],
) -> Template:
    when, lang = when_of(request, services), ctx.lang
    community = None if community_id == COUNTY else id_param(community_id, "community")
    school = id_param(request.query_params.get("school"), "school")
    async with reading(services, ctx) as conn:
        fold = await services.facts.current(conn, ctx.tenant_id)
        judged = judge_all(fold, when)  # a result's period may lie in any school year
        keep = Filters(community_id=community, school_id=school, rule_id=rule_id, period=period)
        found = [r for r in judged.results if keep.keep(r) and r.community_id == community]
        if not found:
            raise NotFoundException(word("not_found", lang))
        names = await _names(conn, ctx, found)
        links = fold.links
        records = {i for r in found for i in (*r.counted, *(e.record_id for e in r.excluded))}
        actions = {i: action_of(i, links) for i in records}
        shown = [a for a in set(actions.values()) if a is not None]
        rows = await queries.activities(
            conn, ctx.tenant_id, include_void=True, activity_ids=shown, limit=len(shown) or 1
        )
        titles = {row.activity_id: row.title for row in rows}

    def record(record_id: UUID) -> dict[str, Any]:
        action = actions.get(record_id) or action_of(record_id, links)
        href = None if action is None else f"/app/activities/{action}"
        return {"id": record_id, "href": href, "title": titles.get(action) if action else None}

    rule = judged.rule_of(found[0])
    return render(
        request,
        services,
        "compliance_result.html",
        when=when,
        results=[
            {
                "r": r,
                "status": text(r.status, lang),
                "counted": [record(i) for i in r.counted],
                "excluded": [
                    {**record(e.record_id), "reason": text(e.reason, lang)} for e in r.excluded
                ],
                "late": [{**record(late.record_id), "days": late.days} for late in r.late],
            }
            for r in found
        ],
        title=rule_title(judged, found[0], lang),
        source=None if rule is None else rule.source,
        strictness=None if rule is None else text(rule.strictness, lang),
        names=names,
        county=word("county_wide", lang),
    )


@get("/app/rules", name="rules")
async def rules(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    when, lang, link = when_of(request, services), ctx.lang, carrier(request)
    async with reading(services, ctx) as conn:
        every = await services.store.all_of(RuleSet, ctx.tenant_id, conn=conn)
        fold = await services.facts.current(conn, ctx.tenant_id)
    known = known_versions(fold.published, when.question())
    published = {p.label: p.published_at for p in fold.published}
    force = in_force([p.rules for p in known], when.day)
    asked = request.query_params.get("version") or (None if force is None else force.label)
    shown = next((v for v in every if v.label == asked), None)
    if asked is not None and shown is None:
        raise NotFoundException(word("not_found", lang))
    version = None if shown is None else shown.rules
    history = [
        {"label": v.label, "title": in_language(v.rules.title, lang), "state": text(v.state, lang),
         "published_at": published.get(v.label), "known": v.label in {p.label for p in known},
         "in_force": force is not None and v.label == force.label,
         "href": link(f"/app/rules?version={v.label}"),
         "from": v.rules.in_force_from, "to": v.rules.in_force_to}
        for v in every
    ]  # fmt: skip
    return render(
        request,
        services,
        "rules.html",
        when=when,
        in_force=None if force is None else force.label,
        version=version,
        label=asked,
        title=None if version is None else in_language(version.title, lang),
        rules=[]
        if version is None
        else [
            {
                "rule": r,
                "title": in_language(r.title, lang),
                "strictness": text(r.strictness, lang),
                "href": link(f"/app/compliance?rule={r.id}"),
            }
            for r in version.rules
        ],
        history=history,
    )
