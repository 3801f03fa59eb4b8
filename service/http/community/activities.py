"""Community actions (教共体活动): record, correct, void, read. A wrong record is never edited."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import ActivityKind, ReviewState
from domain.community.activity import Activity
from domain.community.errors import (
    ActivityInFutureError,
    ActivityVoidedError,
    CommunityDissolvedError,
    NothingToCorrectError,
    SchoolNotInCommunityError,
)
from infra.paging import decode_cursor, page_of
from projections.community import queries
from projections.review.queries import CONDITIONS as REVIEW_STATES
from service.commands.community.activities import (
    CorrectActivity,
    RecordActivity,
    VoidActivity,
    correct_activity,
    record_activity,
    void_activity,
)
from service.commands.community.sign_in import (
    IssueSignInLink,
    SubmitReflection,
    issue_sign_in_link,
    submit_reflection,
)
from service.commands.review.review import reopen_review
from service.context import Caller, reading
from service.errors import NotYourSchoolError
from service.http.common import (
    CHANGED,
    CREATED,
    PERIOD_PROBLEMS,
    TAGGED,
    Call,
    Cursor,
    Limit,
    PeriodFilter,
    answer,
    change_of,
    changed,
    command,
    created,
    gives,
    query,
    read_tagged,
)
from service.http.history import read_history
from service.read_cache import json_answer
from service.reference.ids import ACTIVITY, COMMUNITY, LEAD, MEMBER
from service.services import Shared
from service.views.community.activity import (
    ActivityPage,
    ActivityView,
    activity_summary,
    activity_view,
)
from service.views.community.evidence import (
    SignInLinkView,
    sign_in_link_of,
    sign_in_link_view,
)
from service.views.people import History

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class ActivityController(Controller):
    path = "/v1/activities"
    tags = ["activities"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record an action",
        description="A school's recorder records its own school's actions (it must be the host);"
        " the bureau's admin records any. The lead school is notified. Answers 201 with the"
        " action, its `Location` and its version as `ETag`.",
        response_headers=CREATED,
        problems=gives(
            NotYourSchoolError(school_id=LEAD),
            ActivityInFutureError(day="2024-04-16", today="2024-04-15"),
            SchoolNotInCommunityError(school_id=MEMBER, community_id=COMMUNITY, on="2024-04-15"),
            CommunityDissolvedError(community_id=COMMUNITY, dissolved_on="2024-03-01"),
        ),
    )
    async def record(self, *, call: Call, data: JSONBody[RecordActivity]) -> Response[ActivityView]:
        return await created(call, record_activity, Activity, data, activity_view, at=self.path)

    @query(
        summary="The county's actions",
        description="The latest held first, paged; corrections applied, voided ones left out"
        " unless asked for. Lists are folded from the records and may trail them by a moment.",
        problems=PERIOD_PROBLEMS,
    )
    async def list_activities(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community: FromQuery[UUID | None] = None,
        school: Annotated[UUID | None, QueryParameter(description="Hosted or took part in")] = None,
        kind: FromQuery[ActivityKind | None] = None,
        semester: Annotated[
            str | None, QueryParameter(description="e.g. 2023-spring", max_length=20)
        ] = None,
        school_year: Annotated[
            str | None, QueryParameter(description="e.g. 2022-2023", max_length=20)
        ] = None,
        include_void: FromQuery[bool] = False,
        review: Annotated[
            ReviewState | None,
            QueryParameter(
                description="Only actions whose review is pending, approved or returned"
            ),
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Response[ActivityPage]:
        period = PeriodFilter.of(semester=semester, school_year=school_year)
        after = None if cursor is None else decode_cursor(cursor, _AFTER)

        async def listed() -> ActivityPage:
            async with reading(services, ctx) as conn:
                rows = await queries.activities(
                    conn,
                    ctx.tenant_id,
                    community_id=community,
                    school_id=school,
                    kind=kind,
                    school_year=period.school_year,
                    term=period.term,
                    include_void=include_void,
                    conditions=() if review is None else (REVIEW_STATES[review],),
                    after=after,
                    limit=limit + 1,
                )
            items, next_cursor = page_of(rows, limit, lambda row: (row.held_on, row.activity_id))
            return ActivityPage(
                items=[activity_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
            )

        return json_answer(await services.read_cache.answer(ctx, listed), ActivityPage)

    @query(
        "/{activity_id:uuid}",
        summary="An action as it stands now (after corrections)",
        description="Rebuilt from its events, with its participants and evidence; its version"
        " is the `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, activity_id: FromPath[UUID]
    ) -> Response[ActivityView]:
        return await read_tagged(services, ctx, Activity, activity_id, activity_view)

    @query(
        "/{activity_id:uuid}/history",
        summary="Who recorded, corrected and voided an action",
        description="Each of the action's events, oldest first, with the person who acted (name"
        " and role) and the reason given. An event of before people acted names a token: the"
        " person is the user it was issued to, where known (`through_token`).",
    )
    async def history(
        self, *, services: Shared, ctx: Caller, activity_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Activity, activity_id)

    @command(
        "/{activity_id:uuid}/corrections",
        summary="Correct an action",
        description="Give the fields to change and a reason; the record keeps its history."
        " A correction of an approved action (or one approved part way) sends it through the"
        " county's review levels again, from the first.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(
            NotYourSchoolError(school_id=LEAD),
            NothingToCorrectError(activity_id=ACTIVITY),
            ActivityVoidedError(activity_id=ACTIVITY),
        ),
    )
    async def correct(
        self, *, call: Call, activity_id: FromPath[UUID], data: JSONBody[CorrectActivity]
    ) -> Response[ActivityView]:
        activity, appended = await change_of(call, correct_activity, Activity, activity_id, data)
        if not activity.is_void:
            write = call.ctx.writing(idempotency_key=None, fingerprint=b"")
            await reopen_review(call.services.store, write, activity)
        return answer(activity_view(activity, call.ctx.lang), appended)

    @command(
        "/{activity_id:uuid}/void",
        summary="Void an action",
        description="A wrong record stops counting; it stays in the ledger with the reason.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(
            NotYourSchoolError(school_id=LEAD), ActivityVoidedError(activity_id=ACTIVITY)
        ),
    )
    async def void(
        self, *, call: Call, activity_id: FromPath[UUID], data: JSONBody[VoidActivity]
    ) -> Response[ActivityView]:
        return await changed(call, void_activity, Activity, activity_id, data, activity_view)

    @command(
        "/{activity_id:uuid}/reflections",
        summary="Add a participant's reflection",
        description="研修心得 of one expected participant; its length in characters is kept in"
        " the list. A later one of the same person replaces it.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def reflect(
        self, *, call: Call, activity_id: FromPath[UUID], data: JSONBody[SubmitReflection]
    ) -> Response[ActivityView]:
        return await changed(call, submit_reflection, Activity, activity_id, data, activity_view)

    @command(
        "/{activity_id:uuid}/sign-in-links",
        summary="Issue a sign-in link (QR code)",
        description="A signed link, good for `minutes` (at most JGT_SIGN_IN_LINK_MINUTES), to"
        " show as a QR code: teachers open it on their phones, pick their name and sign in.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def issue_link(
        self,
        *,
        call: Call,
        request: Request,  # type: ignore[type-arg] # Litestar's generic default
        activity_id: FromPath[UUID],
        data: JSONBody[IssueSignInLink],
    ) -> Response[SignInLinkView]:
        services, base_url = call.services, str(request.base_url)

        def view(activity: Activity, _: str) -> SignInLinkView:
            link = sign_in_link_of(activity, call.ctx.tenant_id)
            return sign_in_link_view(link, services.signer, base_url)

        longest = services.settings.sign_in_link_minutes
        return await changed(call, issue_sign_in_link, Activity, activity_id, data, view, longest)
