"""Counties (for the hosting operator) and API tokens (for a county's admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, JSONBody

from domain.community.errors import SchoolClosedError
from infra.event_store import AggregateNotFoundError
from infra.tenancy import (
    IssuedToken,
    Role,
    create_tenant,
    issue_token,
    list_tenants,
    list_tokens,
    revoke_token,
)
from infra.users import find_user, user_names
from service.auth import DURATION_PATTERN, expiry
from service.body import RequiredText
from service.context import Caller
from service.errors import UnknownReferenceError
from service.http.common import command, gives, query, removal
from service.http.users import check_school_for
from service.problems import ApiError
from service.reference.ids import LEAD
from service.services import Services, Shared

Label = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=100, examples=["城关小学 张老师"])
]


class CreateTenant(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[
        RequiredText, msgspec.Meta(min_length=1, max_length=100, examples=["云和县教育局"])
    ]


class CreateToken(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    label: Label
    # The person it is issued to: the token takes the user's role and school. Without one (the
    # way of before) `role` is required and the token acts for no named person.
    user_id: UUID | None = None
    role: Literal["admin", "recorder", "supervisor", "auditor"] | None = None
    school_id: UUID | None = None
    # After which the token gets 401: minutes, hours or days, as `jgt token create --expires-in`.
    expires_in: (
        Annotated[str, msgspec.Meta(pattern=DURATION_PATTERN, examples=["90d", "12h"])] | None
    ) = None


class IssuedTokenView(msgspec.Struct, frozen=True, kw_only=True):
    token_id: UUID
    token: str  # shown once; only its hash is kept
    role: str
    school_id: UUID | None
    label: str
    expires_at: datetime | None
    user_id: UUID | None = None  # the person it was issued to


class TenantCreatedView(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: UUID
    name: str
    admin_token: IssuedTokenView


class TenantView(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: UUID
    name: str
    is_demo: bool
    created_at: datetime
    event_count: int


class TokenView(msgspec.Struct, frozen=True, kw_only=True):
    token_id: UUID
    role: str
    school_id: UUID | None
    label: str
    created_by: UUID | None
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None
    user_id: UUID | None = None  # None: issued before tokens belonged to people or to no one
    user_name: str | None = None


def recorder_needs_school() -> ApiError:
    return ApiError(
        422,
        "recorder_needs_school",
        "学校账号（recorder）必须指定 school_id，其他角色不能指定。",
        "A recorder token needs a school_id, and only a recorder token takes one.",
    )


RECORDER_NEEDS_SCHOOL = recorder_needs_school()  # for the OpenAPI description


class TenantController(Controller):
    path = "/v1/tenants"
    tags = ["tenants"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Create a county",
        description="The hosting operator only; returns its first admin token (shown once).",
    )
    async def create(
        self, *, services: Shared, ctx: Caller, data: JSONBody[CreateTenant]
    ) -> TenantCreatedView:
        async with services.pool.acquire() as conn, conn.transaction():
            tenant_id = await create_tenant(conn, data.name)
            issued = await issue_token(
                conn,
                tenant_id,
                Role.ADMIN,
                label=f"{data.name.strip()} 管理员",
                created_by=ctx.actor_id,
            )
        return TenantCreatedView(
            tenant_id=tenant_id, name=data.name.strip(), admin_token=_issued(issued)
        )

    @query(
        summary="Every county",
        description="The hosting operator only: each county with its number of events; no"
        " county's own data.",
    )
    async def list_all(self, *, services: Shared) -> list[TenantView]:
        async with services.pool.acquire() as conn:
            tenants = await list_tenants(conn)
        return [msgspec.convert(t, TenantView, from_attributes=True) for t in tenants]


class TokenController(Controller):
    path = "/v1/tokens"
    tags = ["tokens"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Issue a token",
        description="A county admin issues tokens for its staff: a recorder token belongs to one"
        " open school. The token is shown once; `expires_in` (`90d`, `12h`, `30m`) sets"
        " `expires_at`.",
        problems=gives(
            RECORDER_NEEDS_SCHOOL,
            UnknownReferenceError(field="school_id", id=LEAD),
            SchoolClosedError(school_id=LEAD, closed_on="2024-07-31"),
        ),
    )
    async def issue(
        self, *, services: Shared, ctx: Caller, data: JSONBody[CreateToken]
    ) -> IssuedTokenView:
        role, school_id = await _role_and_school(services, ctx.tenant_id, data)
        await check_school_for(services, ctx.tenant_id, role, school_id)
        async with services.pool.acquire() as conn, conn.transaction():
            issued = await issue_token(
                conn,
                ctx.tenant_id,
                role,
                label=data.label,
                school_id=school_id,
                created_by=ctx.actor_id,
                expires_at=expiry(data.expires_in),
                user_id=data.user_id,
            )
        return _issued(issued)

    @query(
        summary="The county's tokens",
        description="Newest first, with who issued each and its state (revoked, expiry);"
        " never a secret.",
    )
    async def list_all(self, *, services: Shared, ctx: Caller) -> list[TokenView]:
        async with services.pool.acquire() as conn, conn.transaction():
            tokens = await list_tokens(conn, ctx.tenant_id)
            names = await user_names(conn, ctx.tenant_id, [t.user_id for t in tokens if t.user_id])
        return [
            TokenView(
                **{f: getattr(t, f) for f in TokenView.__struct_fields__ if f != "user_name"},
                user_name=names.get(t.user_id) if t.user_id else None,
            )
            for t in tokens
        ]

    @removal(
        "/{token_id:uuid}",
        summary="Revoke a token",
        description="Every server refuses it within a second (this one at once); 204.",
        status_code=204,
    )
    async def revoke(
        self, *, services: Shared, ctx: Caller, token_id: FromPath[UUID]
    ) -> Response[None]:
        async with services.pool.acquire() as conn, conn.transaction():
            revoked = await revoke_token(conn, ctx.tenant_id, token_id)
        if not revoked:
            raise AggregateNotFoundError(token_id)
        services.auth.forget(ctx.tenant_id, token_id)
        return Response(None, status_code=204)


def _issued(issued: IssuedToken) -> IssuedTokenView:
    principal = issued.principal
    return IssuedTokenView(
        token_id=principal.token_id,
        token=issued.secret,
        role=principal.role.value,
        school_id=principal.school_id,
        label=principal.label,
        expires_at=issued.expires_at,
        user_id=principal.user_id,
    )


async def _role_and_school(
    services: Services, tenant_id: UUID, data: CreateToken
) -> tuple[Role, UUID | None]:
    """The token's role and school: its user's, or as given for a token without a user."""
    if data.user_id is None:
        if data.role is None:
            raise ApiError(
                422,
                "role_required",
                "未指定用户（user_id）的令牌必须指定角色（role）。",
                "A token issued to no user (user_id) needs a role.",
            )
        return Role(data.role), data.school_id
    async with services.pool.acquire() as conn, conn.transaction():
        user = await find_user(conn, tenant_id, data.user_id)
    if user is None:
        raise UnknownReferenceError(field="user_id", id=data.user_id)
    if not user.is_active:
        raise ApiError(
            409,
            "user_deactivated",
            "用户 {user_id} 已停用，不能再为其签发令牌。",
            "User {user_id} is deactivated; no token can be issued to it.",
            user_id=user.user_id,
        )
    given = (data.role, data.school_id)
    if given[0] not in {None, user.role.value} or given[1] not in {None, user.school_id}:
        raise ApiError(
            422,
            "not_the_users_role",
            "令牌的角色和学校取自用户 {user_id}（{role}）；请不要另行指定不同的值。",
            "A user's token takes the user's role and school ({role}); give no other.",
            user_id=user.user_id,
            role=user.role.value,
        )
    return user.role, user.school_id
