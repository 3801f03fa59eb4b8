"""People's sign-in to the pages: credentials of a user, and server-side sessions.

A session cookie is `s_` + base64url(county id, 32 random bytes), as a token names its county:
finding it needs no look-up across counties. Only the SHA-256 of the random part is stored.
Passwords are hashed by the caller (argon2id, in service/web/logins.py); this module keeps rows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from infra.db import set_tenant
from infra.tenancy import Role

if TYPE_CHECKING:
    from datetime import timedelta

    from infra.db import Connection

USERNAME = re.compile(r"^[a-z0-9._-]{1,64}$")
USERNAME_LIMIT = 64
_PREFIX = "s_"


class SessionCookieError(ValueError):
    """A cookie that is not a session of ours (wrong shape): never reaches the database."""


@dataclass(frozen=True)
class Credential:
    user_id: UUID
    username: str
    password_hash: str
    must_change: bool
    role: Role
    school_id: UUID | None
    name: str


@dataclass(frozen=True)
class Session:
    tenant_id: UUID
    secret_hash: bytes
    user_id: UUID
    role: Role
    school_id: UUID | None
    name: str
    username: str
    must_change: bool


def new_session_secret(tenant_id: UUID) -> tuple[str, bytes]:
    """A cookie value and the hash to store."""
    secret = secrets.token_bytes(32)
    cookie = _PREFIX + base64.urlsafe_b64encode(tenant_id.bytes + secret).decode().rstrip("=")
    return cookie, hashlib.sha256(secret).digest()


def parse_session_cookie(cookie: str) -> tuple[UUID, bytes]:
    """The county and the secret's hash of a cookie; SessionCookieError for any other shape."""
    if not cookie.startswith(_PREFIX) or len(cookie) != len(_PREFIX) + 64:
        raise SessionCookieError("not a session cookie")
    try:
        raw = base64.urlsafe_b64decode(cookie[len(_PREFIX) :])
    except (binascii.Error, ValueError) as error:
        raise SessionCookieError("not a session cookie") from error
    if len(raw) != 48:  # noqa: PLR2004 - 16 bytes of county, 32 of secret
        raise SessionCookieError("not a session cookie")
    return UUID(bytes=raw[:16]), hashlib.sha256(raw[16:]).digest()


async def set_credential(
    conn: Connection, tenant_id: UUID, user_id: UUID, username: str, password_hash: str
) -> None:
    """An admin's first (or new) password for a user: changed at the next sign-in."""
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "insert into credentials (tenant_id, user_id, username, password_hash, must_change)"
        " values ($1, $2, $3, $4, true) on conflict (tenant_id, user_id) do update"
        " set password_hash = excluded.password_hash, must_change = true,"
        " changed_at = clock_timestamp()",
        tenant_id,
        user_id,
        username,
        password_hash,
    )


async def username_owner(conn: Connection, tenant_id: UUID, username: str) -> UUID | None:
    """The user who signs in as `username` in the county, if any."""
    await set_tenant(conn, tenant_id)
    owner: UUID | None = await conn.fetchval(
        "select user_id from credentials where tenant_id = $1 and username = $2",
        tenant_id,
        username,
    )
    return owner


async def sign_ins_of(conn: Connection, tenant_id: UUID) -> dict[UUID, tuple[str, bool]]:
    """Each user's username and whether the admin's password still waits to be changed."""
    await set_tenant(conn, tenant_id)
    rows = await conn.fetch(
        "select user_id, username, must_change from credentials where tenant_id = $1", tenant_id
    )
    return {row["user_id"]: (row["username"], row["must_change"]) for row in rows}


async def change_password(
    conn: Connection, tenant_id: UUID, user_id: UUID, password_hash: str
) -> None:
    """The user's own new password; every other session of the user ends."""
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "update credentials set password_hash = $3, must_change = false,"
        " changed_at = clock_timestamp() where tenant_id = $1 and user_id = $2",
        tenant_id,
        user_id,
        password_hash,
    )


async def find_credential(conn: Connection, tenant_id: UUID, username: str) -> Credential | None:
    """An active user's credential by username."""
    await set_tenant(conn, tenant_id)
    row = await conn.fetchrow(
        "select c.user_id, c.username, c.password_hash, c.must_change, u.role, u.school_id,"
        " u.name from credentials c join users u using (tenant_id, user_id)"
        " join tenants t using (tenant_id)"
        " where c.tenant_id = $1 and c.username = $2 and u.deactivated_at is null"
        " and t.suspended_at is null",
        tenant_id,
        username,
    )
    if row is None:
        return None
    return Credential(**{**dict(row.items()), "role": Role(row["role"])})


async def start_session(
    conn: Connection, tenant_id: UUID, user_id: UUID, secret_hash: bytes
) -> None:
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "insert into web_sessions (tenant_id, secret_hash, user_id) values ($1, $2, $3)",
        tenant_id,
        secret_hash,
        user_id,
    )


async def touch_session(
    conn: Connection, tenant_id: UUID, secret_hash: bytes, idle: timedelta
) -> Session | None:
    """The live session of an active user, seen now; None when unknown, ended or idle too long."""
    await set_tenant(conn, tenant_id)
    row = await conn.fetchrow(
        "update web_sessions s set last_seen = clock_timestamp()"
        " from users u, credentials c, tenants t"
        " where s.tenant_id = $1 and s.secret_hash = $2 and s.ended_at is null"
        " and s.last_seen > clock_timestamp() - $3::interval"
        " and u.tenant_id = s.tenant_id and u.user_id = s.user_id and u.deactivated_at is null"
        " and c.tenant_id = s.tenant_id and c.user_id = s.user_id"
        " and t.tenant_id = s.tenant_id and t.suspended_at is null"
        " returning s.user_id, u.role, u.school_id, u.name, c.username, c.must_change",
        tenant_id,
        secret_hash,
        idle,
    )
    if row is None:
        return None
    return Session(
        tenant_id=tenant_id,
        secret_hash=secret_hash,
        user_id=row["user_id"],
        role=Role(row["role"]),
        school_id=row["school_id"],
        name=row["name"],
        username=row["username"],
        must_change=row["must_change"],
    )


async def end_sessions(
    conn: Connection, tenant_id: UUID, user_id: UUID, *, but: bytes | None = None
) -> None:
    """Ends a user's sessions (all but `but`): sign-out everywhere, or after a new password."""
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "update web_sessions set ended_at = clock_timestamp() where tenant_id = $1"
        " and user_id = $2 and ended_at is null and ($3::bytea is null or secret_hash <> $3)",
        tenant_id,
        user_id,
        but,
    )


async def end_session(conn: Connection, tenant_id: UUID, secret_hash: bytes) -> None:
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "update web_sessions set ended_at = clock_timestamp()"
        " where tenant_id = $1 and secret_hash = $2 and ended_at is null",
        tenant_id,
        secret_hash,
    )
