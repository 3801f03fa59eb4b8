"""Schools' inboxes (SQL): notifications that jobs deliver, listed newest first, marked read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, TypeAlias
from uuid import UUID

import msgspec

from domain.codes import ActivityKind, label
from infra.paging import decode_cursor, page_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    import asyncpg

    from infra.db import Connection

ACTIVITY_RECORDED = "activity_recorded"


class ActivityNotice(msgspec.Struct, frozen=True, kw_only=True):
    """An activity (教共体活动) recorded in a community, as its lead school (牵头学校) is told.

    Also the payload of the `notify_lead_school` outbox message; unknown fields are ignored so
    that a newer writer may add some.
    """

    activity_id: UUID
    community_id: UUID
    lead_school_id: UUID
    host_school_id: UUID
    kind: ActivityKind
    title: str
    held_on: date


class Text(msgspec.Struct, frozen=True, kw_only=True):
    zh: str
    en: str


class ActivityRecordedNotification(
    msgspec.Struct, frozen=True, kw_only=True, tag_field="kind", tag=ACTIVITY_RECORDED
):
    notification_id: int  # the outbox id of the message that caused it
    school_id: UUID
    created_at: datetime
    read_at: datetime | None
    activity: ActivityNotice
    text: Text


# Each kind of notification is a struct tagged by `kind`; this becomes their union.
Notification: TypeAlias = ActivityRecordedNotification


class InboxPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Notification]
    next_cursor: str | None  # None on the last page


async def deliver(
    conn: Connection, tenant_id: UUID, notification_id: int, notice: ActivityNotice
) -> bool:
    """Puts `notice` in its lead school's inbox; False when it is there already."""
    return notification_id in await deliver_many(conn, tenant_id, [(notification_id, notice)])


async def deliver_many(
    conn: Connection, tenant_id: UUID, notices: Sequence[tuple[int, ActivityNotice]]
) -> set[int]:
    """Puts each notice (with its notification id) in its lead school's inbox, in one statement.

    Returns the ids that were not there already.
    """
    rows = await conn.fetch(
        "insert into notifications (tenant_id, notification_id, school_id, kind, payload)"
        " select $1, n.id, n.school_id, $2, n.payload"
        " from unnest($3::bigint[], $4::uuid[], $5::jsonb[]) as n(id, school_id, payload)"
        " on conflict (tenant_id, notification_id) do nothing returning notification_id",
        tenant_id,
        ACTIVITY_RECORDED,
        [notification_id for notification_id, _ in notices],
        [notice.lead_school_id for _, notice in notices],
        [msgspec.json.encode(notice).decode() for _, notice in notices],
    )
    return {row["notification_id"] for row in rows}


async def list_inbox(
    conn: Connection, tenant_id: UUID, *, school_id: UUID | None, limit: int, cursor: str | None
) -> InboxPage:
    """A page of notifications, newest first: one school's, or with `school_id` None the county's.

    `cursor` is the previous page's `next_cursor`. Notifications that arrive while a reader
    pages are newer than its cursor, so they show on a fresh first page, never mid-way.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    args: list[object] = [tenant_id]
    conditions = ["tenant_id = $1"]
    if school_id is not None:
        args.append(school_id)
        conditions.append(f"school_id = ${len(args)}")
    if cursor is not None:
        args.extend(_decode_cursor(cursor))
        conditions.append(f"(created_at, notification_id) < (${len(args) - 1}, ${len(args)})")
    args.append(limit + 1)  # one more tells whether there is a next page
    rows = await conn.fetch(
        "select notification_id, school_id, kind, payload, created_at, read_at"  # noqa: S608 - placeholders only
        f" from notifications where {' and '.join(conditions)}"
        f" order by created_at desc, notification_id desc limit ${len(args)}",
        *args,
    )
    items, next_cursor = page_of(
        [_notification(row) for row in rows],
        limit,
        lambda item: _cursor_key(item.created_at, item.notification_id),
    )
    return InboxPage(items=items, next_cursor=next_cursor)


async def mark_read(
    conn: Connection, tenant_id: UUID, notification_id: int, school_id: UUID | None
) -> bool:
    """Marks a notification read, keeping the first time it was read.

    False when there is no such notification (in `school_id`'s inbox, when given).
    """
    status = await conn.execute(
        "update notifications set read_at = coalesce(read_at, clock_timestamp())"
        " where tenant_id = $1 and notification_id = $2 and ($3::uuid is null or school_id = $3)",
        tenant_id,
        notification_id,
        school_id,
    )
    return bool(status == "UPDATE 1")


def text_of(notice: ActivityNotice) -> Text:
    kind = label(notice.kind)
    day = notice.held_on.isoformat()
    return Text(
        zh=f"新的教共体活动：{notice.title}（{kind.zh}，{day}）",
        en=f"New community activity: {notice.title} ({kind.en}, {day})",
    )


_ACTIVITY_NOTICE = msgspec.json.Decoder(ActivityNotice)


def _notification(row: asyncpg.Record) -> Notification:
    if row["kind"] != ACTIVITY_RECORDED:
        raise ValueError(f"notification {row['notification_id']} is of unknown kind {row['kind']}")
    notice = _ACTIVITY_NOTICE.decode(row["payload"])
    return ActivityRecordedNotification(
        notification_id=row["notification_id"],
        school_id=row["school_id"],
        created_at=row["created_at"],
        read_at=row["read_at"],
        activity=notice,
        text=text_of(notice),
    )


# A cursor is the (created_at in microseconds, notification_id) of a page's last item.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MAX_MICROS = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _MICROSECOND
_CURSOR = msgspec.json.Decoder(
    tuple[
        Annotated[int, msgspec.Meta(ge=0, le=_MAX_MICROS)],
        Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)],  # bigint
    ]
)


def _cursor_key(created_at: datetime, notification_id: int) -> tuple[int, int]:
    return (created_at - _EPOCH) // _MICROSECOND, notification_id


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    micros, notification_id = decode_cursor(cursor, _CURSOR)
    return _EPOCH + micros * _MICROSECOND, notification_id
