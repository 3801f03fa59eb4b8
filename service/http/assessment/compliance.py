"""Compliance (达标情况): every community x rule x period, as known on a day or as happened."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec
from litestar import Controller
from litestar.params import FromPath, FromQuery

from domain.assessment.codes import EvaluationMode
from domain.assessment.rule_set import RuleSet
from domain.codes import ComplianceStatus
from domain.label import Label
from infra.paging import decode_cursor, page_of
from projections.assessment.compliance import (
    ALL_TIME,
    ComplianceRow,
    community_key,
    links_of,
    result_of_row,
)
from projections.assessment.compliance_queries import (
    Asked,
    ListedRow,
    compliance_page,
    compliance_rows,
    compliance_totals,
    judged_on,
)
from projections.assessment.judge import Question
from projections.collection import no_collection
from service.assessment.judging import Filters, changes, judge, question
from service.context import Caller, reading
from service.http.common import Cursor, Limit, command, query, today
from service.problems import ApiError
from service.services import Shared
from service.views.assessment.compliance import (
    COUNTY,
    ComplianceList,
    ComplianceResults,
    StatusCount,
    compliance_detail,
    compliance_item,
    listed_item,
)
from service.views.assessment.preview import Preview, preview_view
from service.views.labels import text

if TYPE_CHECKING:
    from domain.assessment.outcome import Result
    from infra.db import Connection
    from projections.assessment.compliance_queries import Judged as KeptJudged

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
        " (a school year or semester; default as_of's school year). As known today, the"
        " results are the table the projection runner keeps (`source`: `table`); any other"
        " day, or as happened, judges the county's records replayed from its log (`replay`;"
        " the process keeps the last counties' folds and folds only what is new). Paged by"
        " community, rule, period and school; `totals` count every result the filters keep.",
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
        limit: Limit = 200,
        cursor: Cursor = None,
    ) -> ComplianceList:
        # The replay's records stay until the answer is made: no collector scans them.
        with no_collection():
            now = today(services)
            q = question(period, as_of or now, mode)
            asked = Asked(q.asked, community, school, rule, status)
            after = None if cursor is None else decode_cursor(cursor, _AFTER)
            async with reading(services, ctx) as conn:
                kept = await _kept(conn, ctx.tenant_id, q, now)
                if kept is not None:
                    rows = await compliance_page(
                        conn, ctx.tenant_id, asked, after=after, limit=limit + 1
                    )
                    counts = await compliance_totals(conn, ctx.tenant_id, asked)
                else:
                    fold = await services.facts.current(conn, ctx.tenant_id)
            if kept is not None:
                items, next_cursor = page_of(rows, limit, _row_key)
                versions, folded, source = kept.versions, kept.last_seq, "table"
                shown = [listed_item(r, ctx.lang) for r in items]
            else:
                judged = judge(fold, q)
                keep = Filters(
                    community_id=community, school_id=school, rule_id=rule, status=status
                )
                results = sorted((r for r in judged.results if keep.keep(r)), key=_result_key)
                counts = Counter(r.status for r in results)
                later = [r for r in results if after is None or _result_key(r) > after]
                found, next_cursor = page_of(later, limit, _result_key)
                versions, folded, source = (
                    [v.label for v in judged.versions],
                    fold.last_seq,
                    "replay",
                )
                shown = [compliance_item(r, judged.title_of(r), ctx.lang) for r in found]
            answer = ComplianceList(
                as_of=q.as_of,
                mode=q.mode.value,
                period=q.asked.code,
                versions=versions,
                folded_seq=folded,
                source=source,
                totals=[
                    StatusCount(status=s.value, label=text(s, ctx.lang), results=counts[s])
                    for s in ComplianceStatus
                ],
                items=shown,
                next_cursor=next_cursor,
            )
        return answer  # noqa: RET504 - once the collector is on again, the fold is freed

    @query(
        "/{community_id:str}/{rule_id:str}/{period:str}",
        summary="One result with its counted and excluded records",
        description="`community_id` is the community's id (`county` for a county-wide rule),"
        " `period` the result's period code. A per-school rule has a result per school"
        " (`school` picks one). Each record links to what it is. As known today from the"
        " runner's table, else folded again (`source`).",
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
        with no_collection():  # as in the list
            community = _community(community_id)
            now = today(services)
            q = question(None, as_of or now, mode)
            async with reading(services, ctx) as conn:
                kept = await _kept(conn, ctx.tenant_id, q, now)
                if kept is not None:
                    rows = await compliance_rows(
                        conn, ctx.tenant_id, community, rule_id, period, school
                    )
                else:
                    fold = await services.facts.current(conn, ctx.tenant_id)
            if kept is not None:
                details = [
                    compliance_detail(result_of_row(r), _title(r), links_of(r), ctx.lang)
                    for r in rows
                ]
            else:
                keep = Filters(
                    community_id=community, school_id=school, rule_id=rule_id, period=period
                )
                # A result's period may lie in any school year: judge the whole time in force.
                judged = judge(fold, Question(ALL_TIME, q.as_of, q.mode))
                found = [r for r in judged.results if keep.keep(r) and r.community_id == community]
                found.sort(key=_result_key)
                details = [
                    compliance_detail(r, judged.title_of(r), fold.links, ctx.lang) for r in found
                ]
            if not details:
                raise ApiError(404, "not_found", "没有这条达标结果。", "No such compliance result.")
            answer = ComplianceResults(
                as_of=q.as_of,
                mode=q.mode.value,
                source="table" if kept is not None else "replay",
                results=details,
            )

        return answer  # noqa: RET504 - as in the list


_AFTER = msgspec.json.Decoder(tuple[str, str, str, str])


async def _kept(conn: Connection, tenant_id: UUID, q: Question, now: date) -> KeptJudged | None:
    """The runner's rows when they answer `q` (as known today, judged today), else None."""
    if q.mode != EvaluationMode.AS_KNOWN or q.as_of != now:
        return None
    found = await judged_on(conn, tenant_id)
    return found if found is not None and found.as_of == now else None


def _row_key(row: ListedRow) -> tuple[str, str, str, str]:
    return (row.community_key, row.rule_id, row.period, row.school_key)


def _result_key(r: Result) -> tuple[str, str, str, str]:
    school = "" if r.school_id is None else str(r.school_id)
    return (community_key(r.community_id), r.rule_id, r.period.code, school)


def _title(row: ComplianceRow) -> Label:
    return Label(row.title.zh, row.title.en)


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
        with no_collection():  # as in the list
            q = question(period, today(services), EvaluationMode.AS_KNOWN)
            async with reading(services, ctx) as conn:
                draft = await services.store.get(RuleSet, ctx.tenant_id, rule_set_id, conn=conn)
                fold = await services.facts.current(conn, ctx.tenant_id)
            before = judge(fold, q)
            after = judge(fold, q, extra=draft.rules)
            answer = preview_view(
                draft.label, q, (before, after), changes(before.results, after.results), ctx.lang
            )
        return answer  # noqa: RET504 - as in the list
