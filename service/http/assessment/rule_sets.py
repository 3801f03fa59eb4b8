"""Rule sets (考核细则): draft from JSON, load a seed plan's template, list."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.assessment.codes import RuleSetState
from domain.assessment.errors import (
    InvalidRuleError,
    RuleSetNotValidatedError,
    RuleSetPublishedError,
    UnknownTemplateError,
)
from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import TEMPLATES
from infra.paging import decode_cursor, page_of
from projections.assessment import queries
from service.commands.assessment.rule_sets import (
    DraftRuleSet,
    LoadTemplate,
    LoadTemplateCommand,
    PublishRuleSet,
    Validate,
    draft_rule_set,
    load_template,
    publish_rule_set,
    validate_rule_set,
)
from service.context import Caller, reading
from service.http.common import (
    CHANGED,
    CREATED,
    TAGGED,
    Call,
    Cursor,
    Limit,
    changed,
    command,
    created,
    gives,
    query,
    read_tagged,
)
from service.services import Shared
from service.views.assessment.rule_set import (
    RuleSetPage,
    RuleSetView,
    rule_set_summary,
    rule_set_view,
)

# What only these routes know they can answer, for the reference.
INVALID_RULE = InvalidRuleError(path="rules[3].measure.min", reason="missing")
UNKNOWN_TEMPLATE = UnknownTemplateError(name="kaiyang", known=", ".join(TEMPLATES))
PUBLISHED = RuleSetPublishedError(rule_set="school-partnership@1")
_AFTER = msgspec.json.Decoder(tuple[str, int])


class RuleSetController(Controller):
    path = "/v1/rule-sets"
    tags = ["rule sets"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Draft a rule-set version",
        description="Bureau admins only. The JSON form is docs/rules.md's; a bad rule is a 422"
        " problem whose `path` names the bad field (`rules[3].measure.min`).",
        response_headers=CREATED,
        problems=gives(INVALID_RULE),
    )
    async def draft(self, *, call: Call, data: JSONBody[DraftRuleSet]) -> Response[RuleSetView]:
        return await created(call, draft_rule_set, RuleSet, data, rule_set_view, at=self.path)

    @command(
        "/templates/{name:str}",
        summary="Load a seed plan's template as a rule-set version",
        description="Bureau admins only. `publish` validates and publishes it at once.",
        response_headers=CREATED,
        problems=gives(UNKNOWN_TEMPLATE),
    )
    async def load(
        self, *, call: Call, name: FromPath[str], data: JSONBody[LoadTemplate]
    ) -> Response[RuleSetView]:
        cmd = LoadTemplateCommand(
            name=name,
            version=data.version,
            publish=data.publish,
            in_force_from=data.in_force_from,
            in_force_to=data.in_force_to,
        )
        return await created(call, load_template, RuleSet, cmd, rule_set_view, at=self.path)

    @query(
        summary="The county's rule-set versions",
        description="From the read model, by id then version number, paged: drafts, validated"
        " and published versions with their period in force and when they were published."
        " `in_force_on` keeps the published versions in force that day.",
    )
    async def list_rule_sets(
        self,
        *,
        services: Shared,
        ctx: Caller,
        rule_set_id: Annotated[str | None, QueryParameter(max_length=100)] = None,
        # `state` is a name Litestar keeps for itself: the parameter is named apart.
        rule_set_state: Annotated[RuleSetState | None, QueryParameter(name="state")] = None,
        in_force_on: FromQuery[date | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> RuleSetPage:
        async with reading(services, ctx) as conn:
            rows = await queries.rule_sets(
                conn,
                ctx.tenant_id,
                rule_set_id=rule_set_id,
                state=rule_set_state,
                in_force_on=in_force_on,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.rule_set_id, row.number))
        return RuleSetPage(
            items=[rule_set_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{rule_set_id:uuid}",
        summary="A rule-set version as it stands",
        description="Rebuilt from its events: its state, period in force and rules; its version"
        " is the `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, rule_set_id: FromPath[UUID]
    ) -> Response[RuleSetView]:
        return await read_tagged(services, ctx, RuleSet, rule_set_id, rule_set_view)

    @command(
        "/{rule_set_id:uuid}/validate",
        summary="Validate a draft",
        description="Bureau admins only; takes no body. A published version refuses it (409).",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(PUBLISHED),
    )
    async def validate(self, *, call: Call, rule_set_id: FromPath[UUID]) -> Response[RuleSetView]:
        return await changed(
            call, validate_rule_set, RuleSet, rule_set_id, Validate(), rule_set_view
        )

    @command(
        "/{rule_set_id:uuid}/publish",
        summary="Publish a validated version for its period in force",
        description="Bureau admins only. Once published, a version never changes.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(PUBLISHED, RuleSetNotValidatedError(rule_set="school-partnership@1")),
    )
    async def publish(
        self, *, call: Call, rule_set_id: FromPath[UUID], data: JSONBody[PublishRuleSet]
    ) -> Response[RuleSetView]:
        return await changed(call, publish_rule_set, RuleSet, rule_set_id, data, rule_set_view)
