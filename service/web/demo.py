"""The demo county's sign-in to the pages: its supervisor, with a new first password each start."""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING
from uuid import uuid5

from infra.db import tenant_transaction
from infra.logins import set_credential
from service.web.logins import hash_password

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg

DEMO_USERNAME = "supervisor"


async def demo_sign_in(pool: asyncpg.Pool, tenant_id: UUID) -> tuple[str, str]:
    """The demo supervisor's username and a fresh first password (to change at sign-in)."""
    password = secrets.token_urlsafe(12)
    user_id = uuid5(tenant_id, "demo-user-supervisor")  # as service/demo_people.py names it
    password_hash = await asyncio.to_thread(hash_password, password)
    async with tenant_transaction(pool, tenant_id) as conn:
        await set_credential(conn, tenant_id, user_id, DEMO_USERNAME, password_hash)
    return DEMO_USERNAME, password
