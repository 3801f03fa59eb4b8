"""Counties (tenants) and their API tokens: random secrets shown once, stored hashed."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from infra.db import set_tenant

if TYPE_CHECKING:
    from collections.abc import Iterable

    from infra.db import Connection

# Operator tokens belong to the hosting platform, which is a tenant of its own.
PLATFORM_TENANT_ID = UUID("00000000-0000-0000-0000-000000000001")
_PREFIX = "jgt_"


class Role(StrEnum):
    OPERATOR = "operator"
    ADMIN = "admin"
    RECORDER = "recorder"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"


class TokenError(Exception):
    """A token that is malformed, unknown or revoked, or whose county no longer exists."""


class TokenExpiredError(TokenError):
    """A token past its expiry."""


class CountySuspendedError(Exception):
    """A valid token of a county that the operator suspended: refused, nothing deleted."""

    def __init__(self, tenant_id: UUID) -> None:
        super().__init__(f"county {tenant_id} is suspended")
        self.tenant_id = tenant_id


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for."""

    tenant_id: UUID
    token_id: UUID
    role: Role
    school_id: UUID | None
    label: str
    user_id: UUID | None = None  # the person it was issued to; None for a token of before


@dataclass(frozen=True)
class IssuedToken:
    principal: Principal
    secret: str  # shown once; only its hash is stored
    expires_at: datetime | None = None


@dataclass(frozen=True)
class TokenRecord:
    """A stored, unrevoked token of an existing county, as authentication needs it."""

    principal: Principal
    secret_hash: bytes
    expires_at: datetime | None
    suspended: bool

    def admit(self, secret_hash: bytes, now: datetime) -> Principal:
        """The principal if `secret_hash` is this token's and it may act now."""
        if not secrets.compare_digest(self.secret_hash, secret_hash):
            raise TokenError("unknown or revoked token")
        if self.expires_at is not None and self.expires_at <= now:
            raise TokenExpiredError("expired token")
        if self.suspended:
            raise CountySuspendedError(self.principal.tenant_id)
        return self.principal


@dataclass(frozen=True)
class TenantInfo:
    tenant_id: UUID
    name: str
    is_demo: bool
    created_at: datetime
    event_count: int


def _encode(tenant_id: UUID, token_id: UUID, secret: bytes) -> str:
    raw = tenant_id.bytes + token_id.bytes + secret
    return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_token(token: str) -> tuple[UUID, UUID, bytes]:
    """The tenant id, token id and hash of the secret carried by a token string.

    The tenant is in the token, so finding it needs no look-up across tenants.
    """
    if not token.startswith(_PREFIX):
        raise TokenError("not a jiaogongti token")
    body = token.removeprefix(_PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise TokenError("malformed token") from error
    if len(raw) != 64:  # noqa: PLR2004 - 16 + 16 + 32 bytes
        raise TokenError("malformed token")
    return UUID(bytes=raw[:16]), UUID(bytes=raw[16:32]), hashlib.sha256(raw[32:]).digest()


async def create_tenant(
    conn: Connection,
    name: str,
    *,
    tenant_id: UUID | None = None,
    is_demo: bool = False,
    is_platform: bool = False,
) -> UUID:
    """Creates a county and the head of its chain; run inside a transaction."""
    tenant_id = tenant_id or uuid4()
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "insert into tenants (tenant_id, name, is_demo, is_platform) values ($1, $2, $3, $4)",
        tenant_id,
        name.strip(),
        is_demo,
        is_platform,
    )
    await conn.execute("insert into tenant_heads (tenant_id) values ($1)", tenant_id)
    return tenant_id


async def ensure_platform_tenant(conn: Connection) -> UUID:
    """The platform's own tenant, home of operator tokens; created on first use."""
    await set_tenant(conn, PLATFORM_TENANT_ID)
    exists = await conn.fetchval(
        "select true from tenants where tenant_id = $1", PLATFORM_TENANT_ID
    )
    if not exists:
        await create_tenant(conn, "platform", tenant_id=PLATFORM_TENANT_ID, is_platform=True)
    return PLATFORM_TENANT_ID


async def tenant_name(conn: Connection, tenant_id: UUID) -> str | None:
    await set_tenant(conn, tenant_id)
    name: str | None = await conn.fetchval(
        "select name from tenants where tenant_id = $1", tenant_id
    )
    return name


async def issue_token(
    conn: Connection,
    tenant_id: UUID,
    role: Role,
    *,
    label: str,
    school_id: UUID | None = None,
    created_by: UUID | None = None,
    expires_at: datetime | None = None,
    user_id: UUID | None = None,
) -> IssuedToken:
    """A new token bound to one tenant and one role (and a person); run inside a transaction."""
    token_id, secret = uuid4(), secrets.token_bytes(32)
    await set_tenant(conn, tenant_id)
    await conn.execute(
        "insert into tokens"
        " (tenant_id, token_id, secret_hash, role, school_id, label, created_by, expires_at,"
        " user_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        tenant_id,
        token_id,
        hashlib.sha256(secret).digest(),
        role.value,
        school_id,
        label,
        created_by,
        expires_at,
        user_id,
    )
    principal = Principal(tenant_id, token_id, role, school_id, label, user_id)
    return IssuedToken(principal, _encode(tenant_id, token_id, secret), expires_at)


async def find_token(conn: Connection, tenant_id: UUID, token_id: UUID) -> TokenRecord | None:
    """An unrevoked token of a county that still exists and of a user still active.

    Run inside a transaction.
    """
    await set_tenant(conn, tenant_id)
    row = await conn.fetchrow(
        "select k.role, k.school_id, k.label, k.secret_hash, k.expires_at, k.user_id,"
        " t.suspended_at is not null as suspended"
        " from tokens k join tenants t using (tenant_id)"
        " left join users u on u.tenant_id = k.tenant_id and u.user_id = k.user_id"
        " where k.tenant_id = $1 and k.token_id = $2 and k.revoked_at is null"
        " and u.deactivated_at is null",
        tenant_id,
        token_id,
    )
    if row is None:
        return None
    principal = Principal(
        tenant_id, token_id, Role(row["role"]), row["school_id"], row["label"], row["user_id"]
    )
    return TokenRecord(principal, row["secret_hash"], row["expires_at"], row["suspended"])


async def authenticate(conn: Connection, token: str) -> Principal:
    """The principal of a valid token that may act now; run in a transaction.

    TokenError (or TokenExpiredError) for a token that may not, CountySuspendedError when its
    county is suspended.
    """
    tenant_id, token_id, secret_hash = parse_token(token)
    record = await find_token(conn, tenant_id, token_id)
    if record is None:
        raise TokenError("unknown or revoked token")
    return record.admit(secret_hash, datetime.now(UTC))


async def revoke_token(conn: Connection, tenant_id: UUID, token_id: UUID) -> bool:
    await set_tenant(conn, tenant_id)
    status = await conn.execute(
        "update tokens set revoked_at = clock_timestamp()"
        " where tenant_id = $1 and token_id = $2 and revoked_at is null",
        tenant_id,
        token_id,
    )
    return bool(status == "UPDATE 1")


async def revoke_labelled(conn: Connection, tenant_id: UUID, labels: Iterable[str]) -> int:
    """Revokes a county's unrevoked tokens that carry one of `labels`; how many."""
    await set_tenant(conn, tenant_id)
    status: str = await conn.execute(
        "update tokens set revoked_at = clock_timestamp()"
        " where tenant_id = $1 and label = any($2::text[]) and revoked_at is null",
        tenant_id,
        list(labels),
    )
    return int(status.removeprefix("UPDATE "))


async def set_suspended(conn: Connection, tenant_id: UUID, *, suspended: bool) -> bool:
    """Suspends a county (its tokens are refused) or lifts it; False when there is no such county.

    Run inside a transaction. Nothing is deleted: resuming gives every token back its access.
    """
    await set_tenant(conn, tenant_id)
    found = await conn.fetchval(
        "update tenants set suspended_at = case when $2 then coalesce(suspended_at,"
        " clock_timestamp()) end where tenant_id = $1 returning true",
        tenant_id,
        suspended,
    )
    return bool(found)


async def list_tenants(conn: Connection) -> list[TenantInfo]:
    """Every county on the service (the operator's view), through a narrow definer function."""
    rows = await conn.fetch("select * from jgt_tenant_list()")
    return [TenantInfo(**dict(row.items())) for row in rows]


@dataclass(frozen=True)
class TokenInfo:
    token_id: UUID
    role: Role
    school_id: UUID | None
    label: str
    created_by: UUID | None
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None
    user_id: UUID | None = None  # None: a token issued before tokens belonged to people


async def list_tokens(conn: Connection, tenant_id: UUID) -> list[TokenInfo]:
    """A county's tokens (never their secrets), newest first; run inside a transaction."""
    await set_tenant(conn, tenant_id)
    rows = await conn.fetch(
        "select token_id, role, school_id, label, created_by, created_at, revoked_at, expires_at,"
        " user_id from tokens where tenant_id = $1 order by created_at desc, token_id",
        tenant_id,
    )
    return [TokenInfo(**{**dict(row.items()), "role": Role(row["role"])}) for row in rows]
