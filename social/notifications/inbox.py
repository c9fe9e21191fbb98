"""The inbox: notifications written with the events that cause them, read, deleted, purged.

`notify_from_event` reacts to `core.events.event_recorded`, inside the transaction that records
the event, so a notification exists exactly when its event (and the change behind it) does. It
works in a savepoint and logs instead of raising: the inbox can never undo or fail the change.
See docs/notifications.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import orjson
import structlog
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import NotFound
from core.events import RecordedEvent
from social.notifications.kinds import Kind, kind_of
from social.notifications.models import (
    Device,
    Notification,
    NotificationSettings,
    PushDelivery,
    UnreadCount,
)

log = structlog.get_logger("greenspark.notifications")
_PURGE_BATCH = 5_000


class NotificationNotFound(NotFound):
    """No such notification in the caller's inbox."""

    code = "notification-not-found"
    title = "Notification not found"


async def notify_from_event(conn: BaseDBAsyncClient, recorded: RecordedEvent) -> None:
    """Put a notifiable event in its player's inbox and queue its push (the hook's reaction)."""
    event = recorded.event
    kind = kind_of(event.type, event.data)
    if kind is None:
        return
    try:
        # A savepoint: whatever fails here is undone alone and the change goes on.
        async with in_transaction() as savepoint:
            await _notify(savepoint, recorded, kind)
    except Exception as exc:  # the inbox must never fail the change that caused the event
        log.error("notification not recorded", event_id=event.id, type=event.type, exc_info=exc)


async def _notify(conn: BaseDBAsyncClient, recorded: RecordedEvent, kind: Kind) -> None:
    event, user_id = recorded.event, recorded.event.user_id
    if conn.capabilities.dialect == "postgres":
        await _notify_in_two_statements(conn, recorded, kind)
        return
    chosen = await NotificationSettings.filter(user_id=user_id).using_db(conn).first()
    if chosen is not None and kind.name in chosen.inbox_off:
        return
    note = await Notification.create(
        using_db=conn, user_id=user_id, kind=kind.name, event_type=event.type,
        event_id=event.id, data=event.data, created_at=event.created_at,
    )  # fmt: skip
    unread = await _add_unread(conn, user_id, 1)
    await recorded.sink.publish(
        conn, user_id, "notification.new",
        {"notification_id": note.id, "kind": kind.name, "unread": unread},
    )  # fmt: skip
    if chosen is not None and kind.name in chosen.push_off:
        return
    if await Device.filter(user_id=user_id).using_db(conn).exists():
        await PushDelivery.create(
            using_db=conn, user_id=user_id, notification_id=note.id, kind=kind.name,
            next_attempt_at=event.created_at, not_after=kind.stale_at(event.data),
            created_at=event.created_at,
        )  # fmt: skip


# PostgreSQL: the player's choices and whether they have a device, in one round trip.
_CHOICES_SQL = """
SELECT s.inbox_off, s.push_off,
    EXISTS (SELECT 1 FROM push_devices d WHERE d.user_id = $1) AS has_device
FROM (SELECT 1) AS one LEFT JOIN notification_settings s ON s.user_id = $1
"""

# Then the notification and the unread count raised by one, in one round trip.
_NOTE_SQL = """
WITH note AS (
    INSERT INTO notifications (user_id, kind, event_type, event_id, data, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    RETURNING id
), unread AS (
    INSERT INTO notification_unread (user_id, unread) VALUES ($1, 1)
    ON CONFLICT (user_id) DO UPDATE SET unread = notification_unread.unread + 1
    RETURNING unread
)
SELECT note.id, unread.unread FROM note, unread
"""


def _kinds(value: Any) -> list[str]:
    """A JSON list column as the driver hands it (text, or already decoded)."""
    if value is None:
        return []
    return list(orjson.loads(value) if isinstance(value, str | bytes) else value)


async def _notify_in_two_statements(
    conn: BaseDBAsyncClient, recorded: RecordedEvent, kind: Kind
) -> None:
    """What _notify does, in two statements: every steal and watering notifies someone."""
    event, user_id = recorded.event, recorded.event.user_id
    choices = (await conn.execute_query_dict(_CHOICES_SQL, [user_id]))[0]
    if kind.name in _kinds(choices["inbox_off"]):
        return
    data = orjson.dumps(event.data).decode()
    values = [user_id, kind.name, event.type, event.id, data, event.created_at]
    row = (await conn.execute_query_dict(_NOTE_SQL, values))[0]
    await recorded.sink.publish(
        conn, user_id, "notification.new",
        {"notification_id": row["id"], "kind": kind.name, "unread": row["unread"]},
    )  # fmt: skip
    if kind.name in _kinds(choices["push_off"]) or not choices["has_device"]:
        return
    await PushDelivery.create(
        using_db=conn, user_id=user_id, notification_id=row["id"], kind=kind.name,
        next_attempt_at=event.created_at, not_after=kind.stale_at(event.data),
        created_at=event.created_at,
    )  # fmt: skip


async def _add_unread(conn: BaseDBAsyncClient, user_id: int, delta: int) -> int:
    """Change a player's unread count in the caller's transaction; returns the new count."""
    await UnreadCount.bulk_create(
        [UnreadCount(user_id=user_id, unread=0)], ignore_conflicts=True, using_db=conn
    )
    await UnreadCount.filter(user_id=user_id).using_db(conn).update(unread=F("unread") + delta)
    return await _unread(user_id, conn)


async def _unread(user_id: int, conn: BaseDBAsyncClient | None = None) -> int:
    rows = await UnreadCount.filter(user_id=user_id).using_db(conn).values_list("unread", flat=True)
    return int(cast(list[int], rows)[0]) if rows else 0


async def unread_count(user_id: int) -> int:
    """How many of a player's notifications are unread: one indexed read."""
    return await _unread(user_id)


# The columns a page shows; rows come back as plain dicts (no model objects: half the cost).
SHOWN = ("id", "kind", "event_type", "data", "created_at", "read_at")


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox, newest first, the next page's cursor, and the unread count."""

    items: list[dict[str, Any]]
    next_cursor: int | None
    unread: int


async def inbox_page(
    user_id: int, before_id: int | None, limit: int, unread_only: bool = False
) -> InboxPage:
    """A page of a player's notifications, newest first."""
    query = Notification.filter(user_id=user_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    if unread_only:
        query = query.filter(read_at__isnull=True)
    rows = await query.order_by("-id").limit(limit + 1).values(*SHOWN)
    next_cursor = int(rows[limit - 1]["id"]) if len(rows) > limit else None
    return InboxPage(rows[:limit], next_cursor, await unread_count(user_id))


async def mark_read(clock: Clock, user_id: int, ids: Sequence[int]) -> int:
    """Mark these notifications of the player read (already read ones stay so); returns unread."""
    wanted = sorted(set(ids))
    async with in_transaction() as conn:
        mine = Notification.filter(user_id=user_id, id__in=wanted).using_db(conn)
        if await mine.count() < len(wanted):
            raise NotificationNotFound("some of these notifications are not in your inbox")
        flipped = await mine.filter(read_at__isnull=True).update(read_at=clock.now())
        return await _settle_unread(conn, user_id, flipped)


async def mark_all_read(clock: Clock, user_id: int) -> int:
    """Mark every notification of the player read; returns the unread count (0)."""
    async with in_transaction() as conn:
        flipped = await (
            Notification.filter(user_id=user_id, read_at__isnull=True)
            .using_db(conn)
            .update(read_at=clock.now())
        )
        return await _settle_unread(conn, user_id, flipped)


async def _settle_unread(conn: BaseDBAsyncClient, user_id: int, flipped: int) -> int:
    """Lower the unread count by the rows just marked read; returns the count."""
    if flipped:
        return await _add_unread(conn, user_id, -flipped)
    return await _unread(user_id, conn)


async def delete_notification(user_id: int, notification_id: int) -> int:
    """Remove one notification from the player's inbox; returns the unread count."""
    async with in_transaction() as conn:
        rows = await _delete_returning(conn, "id = {} AND user_id = {}", [notification_id, user_id])
        if not rows:
            raise NotificationNotFound()
        return await _settle_unread(conn, user_id, 1 if rows[0][1] is None else 0)


async def _delete_returning(
    conn: BaseDBAsyncClient, where: str, values: list[Any]
) -> list[tuple[int, Any]]:
    """DELETE … RETURNING (user_id, read_at): the rows as they were when they went.

    Plain SQL: the ORM's delete cannot say what it deleted, and an unread count must drop by
    exactly the unread rows removed, even while the player marks some read at the same moment.
    """
    postgres = connections.get("default").capabilities.dialect == "postgres"
    marks = [f"${i + 1}" if postgres else "?" for i in range(len(values))]
    # `where` is one of this module's constant conditions; the values are bound parameters.
    sql = f"DELETE FROM notifications WHERE {where.format(*marks)} RETURNING user_id, read_at"  # noqa: S608
    # execute_query_dict fetches on every backend; execute_query drops RETURNING rows on asyncpg.
    rows = await conn.execute_query_dict(sql, values)
    return [(int(r["user_id"]), r["read_at"]) for r in rows]


async def purge_notifications(clock: Clock, keep: timedelta) -> int:
    """Delete notifications older than `keep` (and their finished pushes); returns how many."""
    cutoff = clock.now() - keep
    purged = 0
    while True:
        async with in_transaction() as conn:
            rows = await _delete_returning(
                conn,
                "id IN (SELECT id FROM notifications WHERE created_at < {} ORDER BY id LIMIT {})",
                [cutoff, _PURGE_BATCH],
            )
            unread: dict[int, int] = {}
            for user_id, read_at in rows:
                if read_at is None:
                    unread[user_id] = unread.get(user_id, 0) + 1
            for user_id, count in sorted(unread.items()):
                await _add_unread(conn, user_id, -count)
        purged += len(rows)
        if len(rows) < _PURGE_BATCH:
            break
    await PushDelivery.filter(created_at__lt=cutoff).exclude(status="pending").delete()
    return purged
