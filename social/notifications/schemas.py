"""Request and response shapes of the inbox, notification settings and devices."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from social.notifications.models import Device
from social.notifications.preferences import KindChoice, Preferences

# A push token as FCM, APNs or a web-push relay hands it out: printable, no spaces.
Token = Annotated[str, msgspec.Meta(min_length=8, max_length=512, pattern=r"^[\x21-\x7e]+$")]
LocalTime = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
NotificationId = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


class NotificationOut(msgspec.Struct):
    """One notification: its kind, the live event it came from, and when it was read."""

    id: int
    kind: str
    type: str
    data: dict[str, Any]
    created_at: datetime
    read: bool
    read_at: datetime | None


def notification_out(row: Mapping[str, Any]) -> NotificationOut:
    """Show a notification (a row of `inbox.SHOWN` columns)."""
    return NotificationOut(
        id=row["id"],
        kind=row["kind"],
        type=row["event_type"],
        data=row["data"],
        created_at=row["created_at"],
        read=row["read_at"] is not None,
        read_at=row["read_at"],
    )


class InboxPageOut(msgspec.Struct):
    """A page of my inbox, newest first, with the unread count; follow `next_cursor`."""

    items: list[NotificationOut]
    unread: int
    next_cursor: str | None


class UnreadOut(msgspec.Struct):
    """How many notifications are unread."""

    unread: int


class MarkReadIn(msgspec.Struct, forbid_unknown_fields=True):
    """Which notifications to mark read: `ids` (1 to 100 of them) or `all: true`."""

    ids: Annotated[list[NotificationId], msgspec.Meta(min_length=1, max_length=100)] | None = None
    all: bool = False


class KindChoiceIO(msgspec.Struct, forbid_unknown_fields=True):
    """Whether a kind reaches my inbox, and whether it is pushed to my devices."""

    inbox: bool = True
    push: bool = True


class QuietHoursIO(msgspec.Struct, forbid_unknown_fields=True):
    """Local times (HH:MM, my own time zone) between which pushes wait; may cross midnight."""

    start: LocalTime
    end: LocalTime


class NotificationSettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    """My choices; kinds not listed are on."""

    kinds: dict[str, KindChoiceIO] = msgspec.field(default_factory=dict)
    quiet_hours: QuietHoursIO | None = None


class NotificationSettingsOut(msgspec.Struct):
    """Every kind with my choice for it, my quiet hours, and the time zone they are in."""

    kinds: dict[str, KindChoiceIO]
    quiet_hours: QuietHoursIO | None
    timezone: str


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def settings_out(chosen: Preferences, timezone: str) -> NotificationSettingsOut:
    """Show a player's choices."""
    quiet = None
    if chosen.quiet is not None:
        quiet = QuietHoursIO(_hhmm(chosen.quiet.start), _hhmm(chosen.quiet.end))
    return NotificationSettingsOut(
        kinds={k: KindChoiceIO(c.inbox, c.push) for k, c in chosen.kinds.items()},
        quiet_hours=quiet,
        timezone=timezone,
    )


def choices_in(data: NotificationSettingsIn) -> dict[str, KindChoice]:
    """The kinds a player chose, as the rule takes them."""
    return {k: KindChoice(c.inbox, c.push) for k, c in data.kinds.items()}


class DeviceIn(msgspec.Struct, forbid_unknown_fields=True):
    """A device to push to: its platform and the token its push service gave it."""

    platform: Literal["ios", "android", "web"]
    token: Token


class DeviceOut(msgspec.Struct):
    """A registered device (the token is not shown back)."""

    id: int
    platform: str
    registered_at: datetime


def device_out(device: Device) -> DeviceOut:
    """Show a device."""
    return DeviceOut(id=device.id, platform=device.platform, registered_at=device.registered_at)
