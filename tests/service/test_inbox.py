from datetime import date
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from domain.codes import ActivityKind
from infra.db import tenant_transaction
from infra.inbox import (
    ActivityNotice,
    ActivityRecordedNotification,
    deliver,
    list_inbox,
    mark_read,
)
from infra.paging import InvalidCursorError
from tests.conftest import new_tenant


def notice(lead_school_id: UUID, title: str = "送教下乡：小学数学") -> ActivityNotice:
    return ActivityNotice(
        activity_id=uuid4(),
        community_id=uuid4(),
        lead_school_id=lead_school_id,
        host_school_id=uuid4(),
        kind=ActivityKind.SENDING_LESSONS,
        title=title,
        held_on=date(2024, 10, 15),
    )


async def test_a_school_inbox_pages_newest_first_with_cursors(
    app_pool: asyncpg.Pool, tenant_id: UUID
) -> None:
    school, other = uuid4(), uuid4()
    async with tenant_transaction(app_pool, tenant_id) as conn:
        for notification_id in range(1, 6):
            await deliver(
                conn, tenant_id, notification_id, notice(school, f"活动 {notification_id}")
            )
        await deliver(conn, tenant_id, 6, notice(other))

    seen: list[list[int]] = []
    cursor = None
    async with tenant_transaction(app_pool, tenant_id) as conn:
        while True:
            page = await list_inbox(conn, tenant_id, school_id=school, limit=2, cursor=cursor)
            seen.append([item.notification_id for item in page.items])
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert seen == [[5, 4], [3, 2], [1]]

    async with tenant_transaction(app_pool, tenant_id) as conn:
        exact = await list_inbox(conn, tenant_id, school_id=school, limit=5, cursor=None)
        everyone = await list_inbox(conn, tenant_id, school_id=None, limit=10, cursor=None)
    assert exact.next_cursor is None  # a full last page does not promise another
    assert [item.notification_id for item in everyone.items] == [6, 5, 4, 3, 2, 1]


async def test_a_notification_carries_typed_fields_and_chinese_and_english_text(
    app_pool: asyncpg.Pool, tenant_id: UUID
) -> None:
    school = uuid4()
    sent = notice(school, "城乡同课异构")
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await deliver(conn, tenant_id, 1, sent)
        assert not await deliver(conn, tenant_id, 1, sent)  # once per outbox message
        page = await list_inbox(conn, tenant_id, school_id=school, limit=10, cursor=None)
    [item] = page.items
    assert isinstance(item, ActivityRecordedNotification)
    assert (item.school_id, item.activity, item.read_at) == (school, sent, None)
    assert item.text.zh == "新的教共体活动：城乡同课异构（送教下乡，2024-10-15）"
    assert item.text.en == (
        "New community activity: 城乡同课异构 (Sending lessons to rural schools, 2024-10-15)"
    )
    wire = msgspec.json.decode(msgspec.json.encode(item))
    assert wire["kind"] == "activity_recorded"
    assert wire["activity"]["kind"] == "sending_lessons"
    assert wire["activity"]["held_on"] == "2024-10-15"


async def test_mark_read_keeps_the_first_time_and_stays_in_the_school(
    app_pool: asyncpg.Pool, tenant_id: UUID
) -> None:
    school, other = uuid4(), uuid4()
    async with tenant_transaction(app_pool, tenant_id) as conn:
        await deliver(conn, tenant_id, 1, notice(school))
        assert not await mark_read(conn, tenant_id, 1, other)
        assert not await mark_read(conn, tenant_id, 2, school)
        assert await mark_read(conn, tenant_id, 1, school)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        [first] = (await list_inbox(conn, tenant_id, school_id=school, limit=1, cursor=None)).items
        assert await mark_read(conn, tenant_id, 1, None)  # the bureau's view: any school
        [again] = (await list_inbox(conn, tenant_id, school_id=school, limit=1, cursor=None)).items
    assert first.read_at is not None
    assert again.read_at == first.read_at


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "x",
        "not a cursor!",
        "W10",  # []
        "WzEsMl0=x",
        "eyJhIjoxfQ",  # {"a":1}
        "WzEsMiwzXQ",  # [1,2,3]
        "Wy0xLDFd",  # [-1,1]
        "WzEsOTIyMzM3MjAzNjg1NDc3NTgwOF0",  # [1,2**63]: past bigint
        "词",
    ],
)
async def test_a_malformed_cursor_is_refused(
    app_pool: asyncpg.Pool, tenant_id: UUID, cursor: str
) -> None:
    async with tenant_transaction(app_pool, tenant_id) as conn:
        with pytest.raises(InvalidCursorError):
            await list_inbox(conn, tenant_id, school_id=None, limit=10, cursor=cursor)
    assert issubclass(InvalidCursorError, ValueError)


async def test_a_county_sees_only_its_own_notifications(
    app_pool: asyncpg.Pool, system_pool: asyncpg.Pool, tenant_id: UUID
) -> None:
    other_county = await new_tenant(app_pool, "另一个县")
    school = uuid4()
    async with tenant_transaction(app_pool, tenant_id) as conn:
        await deliver(conn, tenant_id, 1, notice(school))
    async with tenant_transaction(app_pool, other_county) as conn:
        # Even naming the other county in the query finds nothing: row-level security.
        page = await list_inbox(conn, tenant_id, school_id=None, limit=10, cursor=None)
        assert page.items == []
        assert await conn.fetchval("select count(*) from notifications") == 0
        assert not await mark_read(conn, tenant_id, 1, None)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):  # RLS WITH CHECK
            await deliver(conn, tenant_id, 2, notice(school))
    async with system_pool.acquire() as conn:
        assert await conn.fetchval(
            "select count(*) from notifications where tenant_id = $1", tenant_id
        )


@pytest.mark.parametrize(
    "statement",
    ["update notifications set school_id = gen_random_uuid()", "delete from notifications"],
)
async def test_the_service_may_only_mark_notifications_read(
    app_pool: asyncpg.Pool, tenant_id: UUID, statement: str
) -> None:
    async with tenant_transaction(app_pool, tenant_id) as conn:
        await deliver(conn, tenant_id, 1, notice(uuid4()))
    async with tenant_transaction(app_pool, tenant_id) as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)
