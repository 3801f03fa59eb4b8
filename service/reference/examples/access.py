"""Examples of counties and tokens."""

from __future__ import annotations

from datetime import UTC, datetime

from service.http.access import (
    CreateTenant,
    CreateToken,
    IssuedTokenView,
    TenantCreatedView,
    TenantView,
    TokenView,
)
from service.reference.ids import ADMIN_TOKEN, COUNTY, LEAD, TOKEN

AT = datetime(2024, 4, 15, 8, 30, tzinfo=UTC)
# An example of the form, no one's token.
SECRET = "jgt_bR9fQ2xLw7kVt3mZp8sYc1nHd5gJa6eU0oWi4rTqXyE2vBnMlKjHgFdSaPoIuYt"  # noqa: S105

EXAMPLES = (
    CreateTenant(name="云和县教育局"),
    TenantCreatedView(
        tenant_id=COUNTY,
        name="云和县教育局",
        admin_token=IssuedTokenView(
            token_id=ADMIN_TOKEN,
            token=SECRET,
            role="admin",
            school_id=None,
            label="云和县教育局 管理员",
            expires_at=None,
        ),
    ),
    TenantView(
        tenant_id=COUNTY, name="云和县教育局", is_demo=False, created_at=AT, event_count=1_284
    ),
    CreateToken(role="recorder", label="城关第一小学 教务处", school_id=LEAD, expires_in="90d"),
    IssuedTokenView(
        token_id=TOKEN,
        token=SECRET,
        role="recorder",
        school_id=LEAD,
        label="城关第一小学 教务处",
        expires_at=datetime(2024, 7, 14, 8, 30, tzinfo=UTC),
    ),
    TokenView(
        token_id=TOKEN,
        role="recorder",
        school_id=LEAD,
        label="城关第一小学 教务处",
        created_by=ADMIN_TOKEN,
        created_at=AT,
        revoked_at=None,
        expires_at=datetime(2024, 7, 14, 8, 30, tzinfo=UTC),
    ),
)
