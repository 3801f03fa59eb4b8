"""Sign-in by phone: public routes whose authority is the signed link in their path.

No bearer token: the link (infra/sign_in_links.py) names the county and the action, and only
the service's key makes one. Sign-ins and refused links are throttled per client address.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec
import segno
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from domain.community.activity import Activity
from domain.community.errors import AlreadySignedInError, NotExpectedError, SignInLinkError
from domain.community.school import School
from infra.db import tenant_transaction
from infra.event_store import AggregateNotFoundError
from infra.sign_in_links import BadLinkError, SignInLink, read_link
from service.commands.community.sign_in import SignIn, sign_in_by_link
from service.http.common import gives, problems
from service.problems import ApiError
from service.reference.ids import LINK, MEMBER
from service.request_id import request_id_of
from service.services import Shared, too_many_sign_ins
from service.views.community.sign_in_page import content_security_policy, sign_in_page

if TYPE_CHECKING:
    from service.services import Services


class SignedInView(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    name: str
    at: datetime
    late: bool


def _bad_link() -> ApiError:
    return ApiError(
        404,
        "bad_sign_in_link",
        "签到链接无效：请扫描组织者屏幕上的二维码。",
        "This sign-in link is not valid; scan the QR code on the organiser's screen.",
    )


async def _link(services: Services, request: Request[Any, Any, Any], token: str) -> SignInLink:
    """The link, if the service signed it and it has not expired; else a problem, counted."""
    client = request.client.host if request.client else ""
    await services.sign_in_throttle.refuse_if_throttled(client)
    try:
        link = read_link(token, services.signer.public_key)
    except BadLinkError:
        await services.sign_in_throttle.failed(client)
        raise _bad_link() from None
    if link.expires_at <= datetime.now(UTC):
        await services.sign_in_throttle.failed(client)
        raise _expired(link.expires_at.isoformat())
    return link


def _expired(expires_at: str) -> ApiError:
    return ApiError(
        410,
        "sign_in_link_expired",
        "签到链接已于 {expires_at} 过期，请向组织者索取新的二维码。",
        "This sign-in link expired at {expires_at}; ask the organiser for a new QR code.",
        expires_at=expires_at,
    )


# What a link's routes can answer beyond their shape's, for the reference.
_LINK_PROBLEMS = (
    _bad_link(),
    _expired("2024-04-15T10:00:00+08:00"),
    SignInLinkError(link_id=LINK, reason="expired"),
    too_many_sign_ins(42),
)


async def _activity(services: Services, link: SignInLink) -> Activity:
    """The link's action, in its county (a county gone, suspended or without it: not valid)."""
    async with tenant_transaction(services.pool, link.tenant_id) as conn:
        suspended = await conn.fetchval(
            "select suspended_at is not null from tenants where tenant_id = $1", link.tenant_id
        )
        if suspended is None or suspended:
            raise _bad_link()
        try:
            activity = await services.store.get(
                Activity, link.tenant_id, link.activity_id, conn=conn
            )
        except AggregateNotFoundError:
            raise _bad_link() from None
    activity.check_sign_in_link(link.link_id, datetime.now(UTC))
    return activity


@functools.lru_cache(maxsize=256)
def _qr_svg(url: str) -> bytes:
    """Some 15 ms of pure Python (ops/bench/files.py): drawn once per link, off the loop."""
    return segno.make(url, error="m").svg_inline(scale=6, title="签到二维码").encode()


class SignInController(Controller):
    path = "/v1/sign-in"
    tags = ["sign-in"]  # noqa: RUF012 - Litestar's declared attribute

    @get(
        "/{link:str}",
        summary="The mobile sign-in page of a link",
        description="Public: the signed link is the authority. Lists the expected participants.",
        media_type="text/html",
        responses=problems(404, 409, 410, 429),
        problems=gives(*_LINK_PROBLEMS),
    )
    async def page(
        self,
        *,
        services: Shared,
        request: Request,  # type: ignore[type-arg] # Litestar's generic default
        link: FromPath[str],
    ) -> Response[str]:
        found = await _link(services, request, link)
        activity = await _activity(services, found)
        school_ids = dict.fromkeys(p.school_id for p in activity.facts.participants)
        async with tenant_transaction(services.pool, found.tenant_id) as conn:
            schools = [
                await services.store.get(School, found.tenant_id, school_id, conn=conn)
                for school_id in school_ids
            ]
        nonce = secrets.token_urlsafe(16)
        names = {school.id: school.name for school in schools}
        return Response(
            sign_in_page(activity, names, found.expires_at, nonce),
            media_type="text/html",
            headers={
                "Content-Security-Policy": content_security_policy(nonce),
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @post(
        "/{link:str}",
        summary="Sign in through a link",
        description="Public: an expected participant signs in, once; after the start it counts"
        " as late. Each sign-in is an event of the action.",
        status_code=201,
        responses=problems(400, 404, 409, 410, 413, 415, 422, 429),
        problems=gives(
            *_LINK_PROBLEMS,
            AlreadySignedInError(participant="王芳", at="2024-04-15T08:52:00+08:00"),
            NotExpectedError(participant="王芳", school_id=MEMBER),
        ),
    )
    async def sign_in(
        self,
        *,
        services: Shared,
        request: Request,  # type: ignore[type-arg] # Litestar's generic default
        link: FromPath[str],
        data: JSONBody[SignIn],
    ) -> SignedInView:
        found = await _link(services, request, link)
        await _activity(services, found)  # refused before anything is appended
        client = request.client.host if request.client else ""
        await services.sign_in_throttle.failed(client)  # every sign-in counts
        activity, _ = await sign_in_by_link(services.store, found, data, request_id_of(request))
        signed = activity.sign_ins[data.name.strip(), data.school_id]
        return SignedInView(
            activity_id=str(activity.id), name=signed.name, at=signed.at, late=signed.late
        )

    @get(
        "/{link:str}/qr.svg",
        summary="The link as a QR code",
        description="Public: an SVG of the page's address, for the organiser's screen.",
        media_type="image/svg+xml",
        responses=problems(404, 410, 429),
        problems=gives(_bad_link(), _expired("2024-04-15T10:00:00+08:00"), too_many_sign_ins(42)),
    )
    async def qr_code(
        self,
        *,
        services: Shared,
        request: Request,  # type: ignore[type-arg] # Litestar's generic default
        link: FromPath[str],
    ) -> Response[bytes]:
        await _link(services, request, link)
        url = f"{str(request.base_url).rstrip('/')}/v1/sign-in/{link}"
        return Response(
            await asyncio.to_thread(_qr_svg, url),
            media_type="image/svg+xml",
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )
