"""Compliance (达标情况): every community x rule x period, as known on a day or as happened."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import UUID

from litestar import Controller
from litestar.params import FromPath, FromQuery

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode
from domain.assessment.rule_set import RuleSet
from domain.codes import ComplianceStatus
from domain.periods import EARLIEST, LATEST
from projections.assessment.judge import Question
from service.assessment.judging import Filters, changes, judge, question
from service.context import Caller, reading
from service.http.common import command, query, today
from service.problems import ApiError
from service.services import Shared
from service.views.assessment.compliance import (
    COUNTY,
    ComplianceList,
    ComplianceResults,
    StatusCount,
    compliance_detail,
    compliance_item,
)
from service.views.assessment.preview import Preview, preview_view
from service.views.labels import text

_AS_OF = "The day the question is asked as of (default today): as known, what was recorded by then."
_MODE = "`as_known` (default): what was known on as_of; `as_happened`: everything, by when."


def _community(part: str) -> UUID | None:
    if part == COUNTY:
        return None
    try:
        return UUID(part)
    except ValueError:
        raise ApiError(
            404,
            "not_found",
            "没有这条达标结果。",
            "No such compliance result.",
        ) from None


class ComplianceController(Controller):
    path = "/v1/compliance"
    tags = ["compliance"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="Compliance per community, rule and period",
        description="Each result by the published version in force on its period's last day"
        " (as known on `as_of`, only versions published by then). `period` is the window asked"
        " (a school year or semester; default as_of's school year).",
    )
    async def list_compliance(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community: FromQuery[UUID | None] = None,
        school: FromQuery[UUID | None] = None,
        rule: FromQuery[str | None] = None,
        status: FromQuery[ComplianceStatus | None] = None,
        period: FromQuery[str | None] = None,
        as_of: FromQuery[date | None] = None,
        mode: FromQuery[EvaluationMode] = EvaluationMode.AS_KNOWN,
    ) -> ComplianceList:
        q = question(period, as_of or today(services), mode)
        async with reading(services, ctx) as conn:
            fold = await services.facts.current(conn, ctx.tenant_id)
        judged = judge(fold, q)
        keep = Filters(community_id=community, school_id=school, rule_id=rule, status=status)
        results = [r for r in judged.results if keep.keep(r)]
        counts = Counter(r.status for r in results)
        return ComplianceList(
            as_of=q.as_of,
            mode=q.mode.value,
            period=q.asked.code,
            versions=[v.label for v in judged.versions],
            folded_seq=fold.last_seq,
            totals=[
                StatusCount(status=s.value, label=text(s, ctx.lang), results=counts[s])
                for s in ComplianceStatus
            ],
            items=[compliance_item(r, judged.rule_of(r), ctx.lang) for r in results],
        )

    @query(
        "/{community_id:str}/{rule_id:str}/{period:str}",
        summary="One result with its counted and excluded records",
        description="`community_id` is the community's id (`county` for a county-wide rule),"
        " `period` the result's period code. A per-school rule has a result per school"
        " (`school` picks one). Each record links to what it is.",
    )
    async def read_result(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community_id: FromPath[str],
        rule_id: FromPath[str],
        period: FromPath[str],
        school: FromQuery[UUID | None] = None,
        as_of: FromQuery[date | None] = None,
        mode: FromQuery[EvaluationMode] = EvaluationMode.AS_KNOWN,
    ) -> ComplianceResults:
        community = _community(community_id)
        q = question(None, as_of or today(services), mode)
        async with reading(services, ctx) as conn:
            fold = await services.facts.current(conn, ctx.tenant_id)
        keep = Filters(community_id=community, school_id=school, rule_id=rule_id, period=period)
        # A result's period may lie in any school year: judge the whole time in force.
        judged = judge(fold, Question(Window(EARLIEST, LATEST, "all"), q.as_of, q.mode))
        found = [r for r in judged.results if keep.keep(r) and r.community_id == community]
        if not found:
            raise ApiError(404, "not_found", "没有这条达标结果。", "No such compliance result.")
        return ComplianceResults(
            as_of=q.as_of,
            mode=q.mode.value,
            results=[compliance_detail(r, judged.rule_of(r), fold.links, ctx.lang) for r in found],
        )


class PreviewController(Controller):
    path = "/v1/rule-sets"
    tags = ["rule sets"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        "/{rule_set_id:uuid}/preview",
        summary="What a draft would change if it were published",
        description="Bureau admins only; takes no body and records nothing. Judges the current"
        " records as known today with the published versions, then with the draft added (as"
        " if published for its own period), and lists every result that differs.",
        status_code=200,
    )
    async def preview(
        self,
        *,
        services: Shared,
        ctx: Caller,
        rule_set_id: FromPath[UUID],
        period: FromQuery[str | None] = None,
    ) -> Preview:
        q = question(period, today(services), EvaluationMode.AS_KNOWN)
        async with reading(services, ctx) as conn:
            draft = await services.store.get(RuleSet, ctx.tenant_id, rule_set_id, conn=conn)
            fold = await services.facts.current(conn, ctx.tenant_id)
        before = judge(fold, q)
        after = judge(fold, q, extra=draft.rules)
        return preview_view(
            draft.label, q, (before, after), changes(before.results, after.results), ctx.lang
        )
