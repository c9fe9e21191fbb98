"""HTTP endpoints of the inbox, notification settings and push devices."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from core.clock import Clock
from core.errors import Invalid
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit, RowId
from core.settings import Settings
from core.users import User
from social.notifications.devices import devices_of, register_device, remove_device
from social.notifications.inbox import (
    delete_notification,
    inbox_page,
    mark_all_read,
    mark_read,
    unread_count,
)
from social.notifications.preferences import choose_preferences, preferences_of
from social.notifications.schemas import (
    DeviceIn,
    DeviceOut,
    InboxPageOut,
    MarkReadIn,
    NotificationSettingsIn,
    NotificationSettingsOut,
    UnreadOut,
    choices_in,
    device_out,
    notification_out,
    settings_out,
)


class WhatToRead(Invalid):
    """Name the notifications by `ids`, or say `all`, not both, not neither."""

    code = "read-target-required"
    title = "Give exactly one of ids and all"


class NotificationsController(Controller):
    """My inbox, what I am notified of, and where pushes reach me."""

    tags = ["notifications"]

    @get("/api/v1/me/notifications", summary="My notifications")
    async def inbox(
        self,
        request: Request[User, Any, Any],
        cursor: Cursor = None,
        limit: Limit = 20,
        unread_only: Annotated[bool, Parameter(description="Only unread ones")] = False,
    ) -> InboxPageOut:
        """Newest first, with the unread count; kept for 30 days by default."""
        page = await inbox_page(request.user.id, decode_cursor(cursor), limit, unread_only)
        return InboxPageOut(
            items=[notification_out(n) for n in page.items],
            unread=page.unread,
            next_cursor=encode_cursor(page.next_cursor),
        )

    @get("/api/v1/me/notifications/unread-count", summary="How many are unread")
    async def unread(self, request: Request[User, Any, Any]) -> UnreadOut:
        """The unread count alone: one primary-key read, cheap enough for every screen."""
        return UnreadOut(unread=await unread_count(request.user.id))

    @post(
        "/api/v1/me/notifications/read",
        status_code=HTTP_200_OK,
        summary="Mark notifications read",
    )
    async def mark(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[MarkReadIn],
        clock: NamedDependency[Clock],
    ) -> UnreadOut:
        """`{"ids": [...]}` marks those, `{"all": true}` marks all; returns the unread count."""
        if (data.ids is None) == (not data.all):
            raise WhatToRead()
        if data.ids is not None:
            return UnreadOut(unread=await mark_read(clock, request.user.id, data.ids))
        return UnreadOut(unread=await mark_all_read(clock, request.user.id))

    @delete(
        "/api/v1/me/notifications/{notification_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a notification",
    )
    async def forget(self, request: Request[User, Any, Any], notification_id: RowId) -> None:
        """Remove one notification from my inbox."""
        await delete_notification(request.user.id, notification_id)

    @get("/api/v1/me/notification-settings", summary="What I am notified of")
    async def my_settings(
        self, request: Request[User, Any, Any], settings: NamedDependency[Settings]
    ) -> NotificationSettingsOut:
        """Every kind with whether it reaches my inbox and my devices; my quiet hours."""
        chosen = await preferences_of(request.user.id)
        return settings_out(chosen, request.user.timezone or settings.default_timezone)

    @put("/api/v1/me/notification-settings", summary="Choose what I am notified of")
    async def choose(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[NotificationSettingsIn],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> NotificationSettingsOut:
        """Replace my choices: kinds not listed are on; no quiet_hours means none."""
        quiet = (data.quiet_hours.start, data.quiet_hours.end) if data.quiet_hours else None
        chosen = await choose_preferences(clock, request.user.id, choices_in(data), quiet)
        return settings_out(chosen, request.user.timezone or settings.default_timezone)

    @post(
        "/api/v1/me/devices",
        summary="Register a device for pushes",
        responses={200: ResponseSpec(DeviceOut, description="Already registered by me")},
    )
    async def register(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[DeviceIn],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Response[DeviceOut]:
        """201 for a new device, 200 when this token was registered by me already."""
        done = await register_device(
            clock, request.user.id, data.platform, data.token, settings.max_devices_per_player
        )
        status = HTTP_201_CREATED if done.created else HTTP_200_OK
        return Response(device_out(done.device), status_code=status)

    @get("/api/v1/me/devices", summary="My devices")
    async def my_devices(self, request: Request[User, Any, Any]) -> list[DeviceOut]:
        """The devices my pushes go to."""
        return [device_out(d) for d in await devices_of(request.user.id)]

    @delete(
        "/api/v1/me/devices/{device_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Stop pushes to a device",
    )
    async def unregister(self, request: Request[User, Any, Any], device_id: RowId) -> None:
        """Remove a device (on sign-out, say)."""
        await remove_device(request.user.id, device_id)
