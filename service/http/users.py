"""The county's users: the persons who act (a token is issued to one). Admins only.

A person's name is personal data: it is kept in the `users` table alone, never in an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody

from domain.community.errors import SchoolClosedError
from domain.community.school import School
from infra.event_store import AggregateNotFoundError
from infra.tenancy import Role
from infra.users import USER_NAME_LIMIT, User, create_user, deactivate_user, find_user, list_users
from service.body import RequiredText
from service.context import Caller
from service.errors import UnknownReferenceError
from service.http.common import TAGGED, command, query, tagged
from service.problems import ApiError
from service.services import Services, Shared

UserName = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=USER_NAME_LIMIT, examples=["王老师"])
]
UserRole = Literal["admin", "recorder", "supervisor", "auditor"]


class CreateUser(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: UserName
    role: UserRole
    school_id: UUID | None = None  # a recorder's school (required for one, refused otherwise)


class UserView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    role: str
    school_id: UUID | None
    active: bool
    created_at: datetime
    deactivated_at: datetime | None


def user_view(user: User) -> UserView:
    return UserView(
        id=user.user_id,
        name=user.name,
        role=user.role.value,
        school_id=user.school_id,
        active=user.is_active,
        created_at=user.created_at,
        deactivated_at=user.deactivated_at,
    )


async def check_school_for(
    services: Services, tenant_id: UUID, role: Role, school_id: UUID | None
) -> None:
    """A recorder belongs to one open school of the county; no other role names one."""
    if (role is Role.RECORDER) != (school_id is not None):
        raise ApiError(
            422,
            "recorder_needs_school",
            "学校账号（recorder）必须指定 school_id，其他角色不能指定。",
            "A recorder needs a school_id, and only a recorder takes one.",
        )
    if school_id is None:
        return
    try:
        school = await services.store.get(School, tenant_id, school_id)
    except AggregateNotFoundError as error:
        raise UnknownReferenceError(field="school_id", id=school_id) from error
    if not school.is_open:
        raise SchoolClosedError(school_id=school.id, closed_on=school.closed_on)


class UserController(Controller):
    path = "/v1/users"
    tags = ["users"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Add a person of the county",
        description="A user is a person (name, role, and a recorder's school); tokens are issued"
        " to users, and every event names the person who acted. The name is kept apart from the"
        " events.",
    )
    async def create(
        self, *, services: Shared, ctx: Caller, data: JSONBody[CreateUser]
    ) -> Response[UserView]:
        role = Role(data.role)
        await check_school_for(services, ctx.tenant_id, role, data.school_id)
        async with services.pool.acquire() as conn, conn.transaction():
            user = await create_user(
                conn,
                ctx.tenant_id,
                name=data.name,
                role=role,
                school_id=data.school_id,
                created_by=ctx.actor_id,
            )
        return Response(
            user_view(user), status_code=201, headers={"Location": f"{self.path}/{user.user_id}"}
        )

    @query(summary="The county's users", description="By name, with their role, school and state.")
    async def list_all(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        role: FromQuery[UserRole | None] = None,
        active: FromQuery[bool | None] = None,
    ) -> list[UserView]:
        async with services.pool.acquire() as conn, conn.transaction():
            users = await list_users(
                conn,
                ctx.tenant_id,
                school_id=school,
                role=None if role is None else Role(role),
                active=active,
            )
        return [user_view(user) for user in users]

    @query(
        "/{user_id:uuid}",
        summary="One user",
        description="A person of the county; its ETag is 1 while active, 2 once deactivated.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, user_id: FromPath[UUID]
    ) -> Response[UserView]:
        async with services.pool.acquire() as conn, conn.transaction():
            user = await find_user(conn, ctx.tenant_id, user_id)
        if user is None:
            raise AggregateNotFoundError(user_id)
        return tagged(user_view(user), 1 if user.is_active else 2)

    @command(
        "/{user_id:uuid}/deactivate",
        summary="Deactivate a user",
        description="Its tokens are refused from now on (within a second on every server); the"
        " person stays named in the events and reviews it took part in.",
        status_code=200,
    )
    async def deactivate(
        self, *, services: Shared, ctx: Caller, user_id: FromPath[UUID]
    ) -> UserView:
        async with services.pool.acquire() as conn, conn.transaction():
            user = await deactivate_user(conn, ctx.tenant_id, user_id)
        if user is None:
            raise AggregateNotFoundError(user_id)
        services.auth.forget_user(ctx.tenant_id, user_id)
        return user_view(user)
