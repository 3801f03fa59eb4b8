"""The demo county's people: one user per role, generated names (no real people)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid5

from domain.community.school import School
from infra.tenancy import Role
from infra.users import create_user, find_user

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection

LEAD_CODE = "DEMO-CG01"  # the demo's lead school, whose recorder the demo's is
# The people the demo's tokens are issued to.
PEOPLE = {
    Role.ADMIN: "林晓峰",
    Role.RECORDER: "周雨桐",
    Role.SUPERVISOR: "郑立群",
    Role.AUDITOR: "吴慧敏",
}


async def demo_users(conn: Connection, tenant_id: UUID) -> dict[Role, UUID]:
    """The demo's people, one per role (made once; a county of before gets them at its start)."""
    found = {}
    for role, name in PEOPLE.items():
        user_id = uuid5(tenant_id, f"demo-user-{role.value}")
        if await find_user(conn, tenant_id, user_id) is None:
            school = School.id_for(tenant_id, LEAD_CODE) if role is Role.RECORDER else None
            await create_user(
                conn, tenant_id, name=name, role=role, school_id=school, user_id=user_id
            )
        found[role] = user_id
    return found
