"""What routes share: the command route's ceremony over HTTP, headers, paging, answers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from eventsourcing.domain import Aggregate
from litestar import delete, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, QueryParameter
from litestar.response import Response

from domain.errors import DomainError, InvalidPeriodError
from domain.periods import SchoolYear, Semester
from service.command import Decision, Env, change, change_or_create, create, fingerprint
from service.context import Caller, provide_context, reading
from service.problems import MEDIA_TYPE, ApiError, Problem
from service.services import Shared  # noqa: TC001 - Litestar reads the annotation at runtime

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

    from infra.event_store import Appended
    from service.context import RequestContext
    from service.services import Services

T = TypeVar("T")
V = TypeVar("V")
A = TypeVar("A", bound=Aggregate)
C = TypeVar("C", bound=msgspec.Struct)
P = ParamSpec("P")

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
            raise period_mismatch(semester, school_year or "")
        return cls(school_year=found.school_year.code, term=found.term.value)


def period_mismatch(semester: str, school_year: str) -> ApiError:
    return ApiError(
        400,
        "period_mismatch",
        "学期 {semester} 不在学年 {school_year} 内。",
        "Semester {semester} is not in school year {school_year}.",
        semester=semester,
        school_year=school_year,
    )


# Headers of the answers, for the OpenAPI description (the routes set them themselves).
ETAG = ResponseHeader(
    name="ETag",
    documentation_only=True,
    value='"3"',
    description='The record\'s version after the request, e.g. `"3"`: send it as If-Match.',
)
LOCATION = ResponseHeader(
    name="Location", documentation_only=True, value="/v1/…/{id}", description="The new record"
)
REPLAYED = ResponseHeader(
    name="Idempotent-Replayed",
    documentation_only=True,
    value="true",
    description="`true` when this is the first answer to the same Idempotency-Key and body,"
    " given again; nothing new was recorded.",
)
CREATED = [ETAG, LOCATION, REPLAYED]  # what `created` answers with
CHANGED = [ETAG, REPLAYED]  # what `changed` answers with
TAGGED = [ETAG]  # what `tagged` answers with


class Problems(tuple[ApiError | DomainError, ...]):
    """Problems a route can answer with beyond those its shape implies, for the reference.

    Litestar deep-copies a controller's routes; these are examples, shared, never copied.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict[int, object]) -> Problems:
        return self


def gives(*errors: ApiError | DomainError) -> Problems:
    """`problems=gives(...)` in a route's decorator: what only the route knows it can answer."""
    return Problems(errors)


# What a route filtering by `semester` and `school_year` can answer, for the reference.
PERIOD_PROBLEMS = gives(
    period_mismatch("2023-spring", "2023-2024"), InvalidPeriodError(value="2023")
)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Problem statuses a route declares beyond its shape's (`responses=problems(410)`).

    Their examples come from `problems=gives(...)` (service/reference/document.py).
    """
    return {
        status: ResponseSpec(data_container=Problem, generate_examples=False, media_type=MEDIA_TYPE)
        for status in statuses
    }


SCHOOL_YEAR_PROBLEMS = gives(InvalidPeriodError(value="2023"))  # a `school_year` filter alone

# Route decorators by kind. The problems a route can give follow from its shape (see
# service/reference/document.py); a route names those only it knows: `problems=gives(...)`.
command = functools.partial(post)
query = functools.partial(get)
removal = functools.partial(delete)

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


async def read_tagged(
    services: Services,
    ctx: RequestContext,
    cls: type[A],
    stream_id: UUID,
    view: Callable[[A, str], T],
) -> Response[T]:
    """One record as the event store rebuilds it, in the reader's language, its version the ETag."""
    async with reading(services, ctx) as conn:
        found = await services.store.get(cls, ctx.tenant_id, stream_id, conn=conn)
    return tagged(view(found, ctx.lang), found.version)


def today(services: Services) -> date:
    """Today in the county's time zone: an activity cannot be recorded before it happens."""
    return today_in(services.settings.timezone)


def today_in(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


class CommandCall:
    """A command request: who asks, and its If-Match and Idempotency-Key headers.

    A plain class, not a dataclass: Litestar would resolve a dataclass's field annotations.
    """

    def __init__(
        self,
        services: Services,
        ctx: RequestContext,
        if_match: str | None,
        idempotency_key: str | None,
    ) -> None:
        self.services, self.ctx = services, ctx
        self.if_match, self.idempotency_key = if_match, idempotency_key

    def env(self, key: str | None, fingerprint: bytes) -> Env:
        return Env(
            store=self.services.store,
            write=self.ctx.writing(idempotency_key=key, fingerprint=fingerprint),
            role=self.ctx.role,
            school_id=self.ctx.school_id,
            today=today(self.services),
            keyring=self.services.keyring,
        )


# How a command route asks for its request.
Call = NamedDependency[CommandCall]


async def provide_call(
    services: Shared,
    ctx: Caller,
    if_match: IfMatch = None,
    idempotency_key_header: IdempotencyKey = None,
) -> CommandCall:
    return CommandCall(services, ctx, if_match, idempotency_key_header)


# What the authenticated routes may ask for: their caller, and for a command its headers too.
DEPENDENCIES = {"ctx": Provide(provide_context), "call": Provide(provide_call)}


async def created(
    call: CommandCall,
    handler: Callable[[Env, C], Awaitable[Decision[A]]],
    cls: type[A],
    body: C,
    view: Callable[[A, str], V],
    *,
    at: str,
) -> Response[V]:
    """Runs a creation route: 201 with Location; If-Match makes no sense and is refused."""
    aggregate, appended = await creation(call, handler, cls, body)
    return answer(view(aggregate, call.ctx.lang), appended, created_at=f"{at}/{aggregate.id}")


async def creation(
    call: CommandCall,
    handler: Callable[[Env, C], Awaitable[Decision[A]]],
    cls: type[A],
    body: C,
) -> tuple[A, Appended]:
    """A creation route's record and append, for a route that builds its answer itself."""
    if call.if_match is not None:
        raise ApiError(
            400,
            "if_match_on_creation",
            "新建记录的请求不能带 If-Match：记录尚不存在，没有可依据的版本。",
            "A request that creates a record takes no If-Match: there is no version yet.",
        )
    key = idempotency_key(call.idempotency_key)
    digest = fingerprint(handler.__name__, None, call.ctx.actor_id, body)
    env = call.env(key, digest)
    first = await _first_result(call, key, digest)
    if first is None:
        return await create(env, handler, body)
    return await _as_left(call, cls, first), first


async def changed(  # noqa: PLR0917 - a handler's own path ids follow the fixed arguments
    call: CommandCall,
    handler: Callable[Concatenate[Env, A, C, P], Awaitable[Decision[A]]],
    cls: type[A],
    target: UUID,
    body: C,
    view: Callable[[A, str], V],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response[V]:
    """Runs a route that changes the aggregate `target`: 200 with its new version as ETag."""
    aggregate, appended = await change_of(call, handler, cls, target, body, *args, **kwargs)
    return answer(view(aggregate, call.ctx.lang), appended)


async def change_of(
    call: CommandCall,
    handler: Callable[Concatenate[Env, A, C, P], Awaitable[Decision[A]]],
    cls: type[A],
    target: UUID,
    body: C,
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> tuple[A, Appended]:
    """A change route's record and append, for a route that builds its answer itself."""
    expected = expected_version(call.if_match)
    key = idempotency_key(call.idempotency_key)
    digest = fingerprint(
        handler.__name__, target, call.ctx.actor_id, body, (*args, *kwargs.values())
    )
    env = call.env(key, digest)
    first = await _first_result(call, key, digest)
    if first is None:
        return await change(env, expected, handler, cls, target, body, *args, **kwargs)
    return await _as_left(call, cls, first), first


async def changed_or_created(  # noqa: PLR0917 - as changed
    call: CommandCall,
    handler: Callable[Concatenate[Env, A | None, C, P], Awaitable[Decision[A]]],
    cls: type[A],
    target: UUID,
    body: C,
    view: Callable[[A, str], V],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response[V]:
    """As `changed`, for a stream of a known id that the route's first command creates."""
    expected = expected_version(call.if_match)
    key = idempotency_key(call.idempotency_key)
    digest = fingerprint(
        handler.__name__, target, call.ctx.actor_id, body, (*args, *kwargs.values())
    )
    env = call.env(key, digest)
    first = await _first_result(call, key, digest)
    if first is None:
        aggregate, appended = await change_or_create(
            env, expected, handler, cls, target, body, *args, **kwargs
        )
    else:
        aggregate, appended = await _as_left(call, cls, first), first
    return answer(view(aggregate, call.ctx.lang), appended)


async def _first_result(call: CommandCall, key: str | None, fingerprint: bytes) -> Appended | None:
    """The first result of a retried command (same Idempotency-Key), if it is one.

    The store checks the key again inside the append, so two retries racing each other still
    append once.
    """
    if key is None:
        return None
    return await call.services.store.find_idempotent(call.ctx.tenant_id, key, fingerprint)


async def _as_left(call: CommandCall, cls: type[A], appended: Appended) -> A:
    """The record as a command left it: a replayed retry gets the same answer as the first."""
    return await call.services.store.get(
        cls, call.ctx.tenant_id, appended.stream_id, version=appended.last_version
    )
