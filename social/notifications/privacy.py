"""The inbox in a player's export; on erasure the inbox, choices, devices and pushes go, since
they describe the player and move no value, and other players' notifications stop naming them
(docs/reliability.md#privacy)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest, forget_name_in_events
from social.notifications.models import (
    Device,
    Notification,
    NotificationSettings,
    PushDelivery,
    UnreadCount,
)


async def export_notifications(request: ExportRequest) -> ExportPart:
    """My inbox, my notification choices, my devices (token tail only) and push deliveries."""
    me = request.user_id
    inbox = (
        await Notification.filter(user_id=me)
        .order_by("id")
        .values("id", "kind", "event_type", "data", "created_at", "read_at")
    )
    choices = await NotificationSettings.filter(user_id=me).values(
        "inbox_off", "push_off", "quiet_start", "quiet_end", "updated_at"
    )
    devices = [
        # The whole token would let anyone holding the export push to the phone; the tail is
        # enough for the player to recognise it.
        {
            "id": d["id"],
            "platform": d["platform"],
            "token_ends_with": d["token"][-6:],
            "registered_at": d["registered_at"],
        }
        for d in await Device.filter(user_id=me)
        .order_by("id")
        .values("id", "platform", "token", "registered_at")
    ]
    pushes = (
        await PushDelivery.filter(user_id=me)
        .order_by("id")
        .values("id", "notification_id", "kind", "status", "attempts", "created_at", "finished_at")
    )
    data = {
        "notifications": inbox,
        "settings": choices[0] if choices else None,
        "devices": devices,
        "pushes": pushes,
    }
    return ExportPart("notifications", data)


async def erase_notifications(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Delete the erased player's inbox, unread counter, choices, devices and pushes; others'
    notifications keep the event but name the erased player as every erased account is named."""
    me = erasure.user_id
    for model in (PushDelivery, Notification, UnreadCount, NotificationSettings, Device):
        await model.filter(user_id=me).using_db(conn).delete()
    await forget_name_in_events(conn, Notification._meta.db_table, me)
