"""The county's users: the persons who act. A name is personal data, so it lives only here.

Events name a person by id alone (in their metadata and in review steps); reads join the name
from this table. A user is never deleted: a deactivated one keeps its id and name for the
ledger, and its tokens stop working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from infra.db import set_tenant
from infra.tenancy import Role

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from infra.db import Connection

USER_NAME_LIMIT = 50


@dataclass(frozen=True)
class User:
    user_id: UUID
    name: str
    role: Role
    school_id: UUID | None
    created_by: UUID | None
    created_at: datetime
    deactivated_at: datetime | None

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None


_COLUMNS = "user_id, name, role, school_id, created_by, created_at, deactivated_at"


def _user(row: object) -> User:
    values = dict(row.items())  # type: ignore[attr-defined] # an asyncpg Record
    return User(**{**values, "role": Role(values["role"])})


async def create_user(
    conn: Connection,
    tenant_id: UUID,
    *,
    name: str,
    role: Role,
    school_id: UUID | None = None,
    created_by: UUID | None = None,
    user_id: UUID | None = None,
) -> User:
    """A new person of the county; run inside a transaction."""
    await set_tenant(conn, tenant_id)
    row = await conn.fetchrow(
        "insert into users (tenant_id, user_id, name, role, school_id, created_by)"  # noqa: S608
        f" values ($1, $2, $3, $4, $5, $6) returning {_COLUMNS}",
        tenant_id,
        user_id or uuid4(),
        name.strip(),
        role.value,
        school_id,
        created_by,
    )
    return _user(row)


async def find_user(conn: Connection, tenant_id: UUID, user_id: UUID) -> User | None:
    await set_tenant(conn, tenant_id)
    row = await conn.fetchrow(
        f"select {_COLUMNS} from users where tenant_id = $1 and user_id = $2",  # noqa: S608
        tenant_id,
        user_id,
    )
    return None if row is None else _user(row)


async def list_users(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    role: Role | None = None,
    active: bool | None = None,
) -> list[User]:
    """A county's users by name; run inside a transaction."""
    await set_tenant(conn, tenant_id)
    rows = await conn.fetch(
        f"select {_COLUMNS} from users where tenant_id = $1"  # noqa: S608
        " and ($2::uuid is null or school_id = $2) and ($3::text is null or role = $3)"
        " and ($4::boolean is null or (deactivated_at is null) = $4)"
        " order by name, user_id",
        tenant_id,
        school_id,
        None if role is None else role.value,
        active,
    )
    return [_user(row) for row in rows]


async def user_names(
    conn: Connection, tenant_id: UUID, user_ids: Iterable[UUID]
) -> dict[UUID, str]:
    """The names of the county's users among `user_ids` (others are left out)."""
    await set_tenant(conn, tenant_id)
    rows = await conn.fetch(
        "select user_id, name from users where tenant_id = $1 and user_id = any($2::uuid[])",
        tenant_id,
        list(set(user_ids)),
    )
    return {row["user_id"]: row["name"] for row in rows}


async def deactivate_user(conn: Connection, tenant_id: UUID, user_id: UUID) -> User | None:
    """Deactivates a user and revokes its tokens; None when there is none.

    Deactivating one already deactivated keeps the first time. The tokens are revoked, not only
    refused while the user is deactivated, so enabling the person again revives none of them.
    """
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "update tokens set revoked_at = clock_timestamp()"
        " where tenant_id = $1 and user_id = $2 and revoked_at is null",
        tenant_id,
        user_id,
    )
    row = await conn.fetchrow(
        "update users set deactivated_at = coalesce(deactivated_at, clock_timestamp())"  # noqa: S608
        f" where tenant_id = $1 and user_id = $2 returning {_COLUMNS}",
        tenant_id,
        user_id,
    )
    return None if row is None else _user(row)


@dataclass(frozen=True)
class Acting:
    """Who an event's `*_by` field names, as the users and tokens tables know them.

    `through_token`: the event names a token (it was recorded before people acted, or by a
    token issued to no one); the person is then the token's user, None when it has none.
    """

    user_id: UUID | None
    name: str | None
    role: Role | None
    through_token: bool


async def acting(conn: Connection, tenant_id: UUID, ids: Iterable[UUID]) -> dict[UUID, Acting]:
    """The county's people (and tokens) among `ids`; an id of neither is left out."""
    await set_tenant(conn, tenant_id)
    rows = await conn.fetch(
        "select g.id, t.token_id is not null as through_token, u.user_id, u.name,"
        " coalesce(u.role, t.role) as role"
        " from unnest($2::uuid[]) as g(id)"
        " left join tokens t on t.tenant_id = $1 and t.token_id = g.id"
        " left join users u on u.tenant_id = $1 and u.user_id = coalesce(t.user_id, g.id)"
        " where t.token_id is not null or u.user_id is not null",
        tenant_id,
        list(set(ids)),
    )
    return {
        row["id"]: Acting(
            user_id=row["user_id"],
            name=row["name"],
            role=None if row["role"] is None else Role(row["role"]),
            through_token=row["through_token"],
        )
        for row in rows
    }


async def reactivate_user(conn: Connection, tenant_id: UUID, user_id: UUID) -> User | None:
    """An admin's undoing of a deactivation (in the pages); None when there is none."""
    await set_tenant(conn, tenant_id)
    row = await conn.fetchrow(
        "update users set deactivated_at = null"  # noqa: S608
        f" where tenant_id = $1 and user_id = $2 returning {_COLUMNS}",
        tenant_id,
        user_id,
    )
    return None if row is None else _user(row)
