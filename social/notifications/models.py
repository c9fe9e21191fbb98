"""The inbox, its unread counters, players' choices, their devices, and push deliveries."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Notification(Model):
    """One thing that happened to a player, kept for the retention period, read or not."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    kind = fields.CharField(max_length=24)
    event_type = fields.CharField(max_length=48)
    event_id = fields.BigIntField()
    data: fields.JSONField[dict[str, Any]] = fields.JSONField()
    created_at = fields.DatetimeField(db_index=True)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications"
        indexes = (("user_id", "id"),)


class UnreadCount(Model):
    """How many of a player's notifications are unread, kept with every change to them."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    unread = fields.IntField(default=0)

    class Meta:
        table = "notification_unread"


class NotificationSettings(Model):
    """A player's choices: kinds turned off (for the inbox or for push) and quiet hours.

    Kinds not listed are on. Quiet hours are minutes after local midnight, in the player's own
    time zone, from start (inclusive) to end (exclusive), across midnight when start > end.
    """

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    inbox_off: fields.JSONField[list[str]] = fields.JSONField(default=list)
    push_off: fields.JSONField[list[str]] = fields.JSONField(default=list)
    quiet_start = fields.IntField(null=True)
    quiet_end = fields.IntField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "notification_settings"


class Device(Model):
    """A phone (or browser) a player receives pushes on, by its push token."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    platform = fields.CharField(max_length=8)
    token = fields.CharField(max_length=512, unique=True)
    registered_at = fields.DatetimeField()

    class Meta:
        table = "push_devices"


class PushDelivery(Model):
    """A push waiting to go, sent, dropped, or given up on (the dead-letter list).

    `next_attempt_at` is when the worker may try next: the backoff after a failure, the end of
    quiet hours, or a short lease while a worker is sending it.
    """

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    notification_id = fields.BigIntField()
    kind = fields.CharField(max_length=24)
    status = fields.CharField(max_length=8, default="pending")
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    not_after = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=280, default="")
    created_at = fields.DatetimeField(db_index=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "push_deliveries"
        indexes = (("status", "next_attempt_at"),)
