"""What every command route shares: If-Match, Idempotency-Key, and the answer's headers."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from litestar import delete, get, post
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, QueryParameter
from litestar.response import Response

from domain.periods import SchoolYear, Semester
from service.context import provide_context
from service.problems import MEDIA_TYPE, ApiError, Problem

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

    from eventsourcing.domain import Aggregate

    from infra.event_store import Appended, WriteContext
    from service.context import Caller
    from service.services import Services, Shared

T = TypeVar("T")
A = TypeVar("A", bound="Aggregate")

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description='The version the change is based on, as given in the ETag (e.g. "3"). '
        "A record that has moved on gets 409.",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Any unique string (≤ 200 characters). A retry with the same key and body "
        "returns the first answer and records nothing new.",
    ),
]

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Items per page")]
Cursor = Annotated[
    str | None,
    QueryParameter(max_length=500, description="The `next_cursor` of the previous page"),
]


@dataclass(frozen=True)
class PeriodFilter:
    """A semester (2023-spring) or school year (2022-2023) filter, as the tables key periods."""

    school_year: str | None = None
    term: str | None = None

    @classmethod
    def of(cls, *, semester: str | None, school_year: str | None) -> PeriodFilter:
        """Checks the codes (a bad one is a 4xx problem); a semester names its school year."""
        year = None if school_year is None else SchoolYear.parse(school_year).code
        if semester is None:
            return cls(school_year=year)
        found = Semester.parse(semester)
        if year is not None and year != found.school_year.code:
            raise ApiError(
                400,
                "period_mismatch",
                "学期 {semester} 不在学年 {school_year} 内。",
                "Semester {semester} is not in school year {school_year}.",
                semester=semester,
                school_year=school_year,
            )
        return cls(school_year=found.school_year.code, term=found.term.value)


_PROBLEM_TEXT = {
    400: "The request is malformed or not valid; nothing was stored.",
    401: "No token, or a token that is not valid.",
    403: "The token's role (or school) may not do this.",
    404: "No such record in this county.",
    409: "The record changed meanwhile (If-Match), or the change conflicts with its state.",
    413: "The body is larger than allowed.",
    415: "The body is not JSON (Content-Type).",
    422: "The request breaks a rule of the domain; `code` says which.",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """The RFC 9457 answers a route may give, for the OpenAPI description."""
    return {
        status: ResponseSpec(
            data_container=Problem, description=_PROBLEM_TEXT[status], media_type=MEDIA_TYPE
        )
        for status in statuses
    }


# Route decorators that also describe the problems each kind of route may answer with.
command = functools.partial(post, responses=problems(400, 401, 403, 404, 409, 413, 415, 422))
query = functools.partial(get, responses=problems(400, 401, 403, 404))
removal = functools.partial(delete, responses=problems(401, 403, 404))

# Every route under /v1 authenticates its caller.
AUTHENTICATED = {"ctx": Provide(provide_context)}

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names; None when absent or `*` (any version)."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _ETAG.match(if_match)
    if not found:
        raise ApiError(
            400,
            "bad_if_match",
            'If-Match 应为记录的版本号，例如 "3"。',
            'If-Match must be the record\'s version, like "3".',
        )
    return int(found.group(1))


def idempotency_key(header: str | None) -> str | None:
    if header is None:
        return None
    if not _KEY.match(header):
        raise ApiError(
            400,
            "bad_idempotency_key",
            "Idempotency-Key 应为 1 到 200 个可见 ASCII 字符。",
            "Idempotency-Key must be 1 to 200 visible ASCII characters.",
        )
    return header


def fingerprint(name: str, target: UUID | None, actor: UUID, body: msgspec.Struct) -> bytes:
    """What makes two requests the same command: its name, target, caller and decoded body."""
    return hashlib.sha256(
        f"{name}\n{target or ''}\n{actor}\n".encode() + msgspec.json.encode(body)
    ).digest()


async def run_command(
    services: Shared,
    ctx: Caller,
    *,
    name: str,
    target: UUID | None,
    body: msgspec.Struct,
    key_header: str | None,
    act: Callable[[WriteContext], Awaitable[Appended]],
) -> Appended:
    """Runs a command once per idempotency key: a repeat gets the first command's result.

    The store checks the key again inside the append, so two retries racing each other still
    append once.
    """
    key = idempotency_key(key_header)
    write = ctx.writing(
        idempotency_key=key, fingerprint=fingerprint(name, target, ctx.actor_id, body)
    )
    if key is not None:
        first = await services.store.find_idempotent(ctx.tenant_id, key, write.fingerprint)
        if first is not None:
            return first
    return await act(write)


async def after(services: Shared, cls: type[A], ctx: Caller, appended: Appended) -> A:
    """The record as the command left it: a replayed retry gets the same answer as the first."""
    return await services.store.get(
        cls, ctx.tenant_id, appended.stream_id, version=appended.last_version
    )


def answer(view: T, appended: Appended, *, created_at: str | None = None) -> Response[T]:
    """201 with Location for a creation, else 200; the ETag is the version after the command."""
    headers = {"ETag": f'"{appended.last_version}"'}
    if appended.duplicate:
        headers["Idempotent-Replayed"] = "true"
    if created_at is not None:
        headers["Location"] = created_at
    return Response(view, status_code=201 if created_at else 200, headers=headers)


def tagged(view: T, version: int) -> Response[T]:
    return Response(view, headers={"ETag": f'"{version}"'})


def today(services: Services) -> date:
    """Today in the county's time zone: an activity cannot be recorded before it happens."""
    return today_in(services.settings.timezone)


def today_in(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()
