"""A player's devices: where their pushes go (docs/notifications.md#devices)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, NotFound
from social.notifications.models import Device


class DeviceNotFound(NotFound):
    """No such device among the caller's."""

    code = "device-not-found"
    title = "Device not found"


class TooManyDevices(Conflict):
    """A player registers at most a few devices; removing one makes room."""

    code = "too-many-devices"
    title = "Too many devices"


@dataclass(frozen=True)
class Registered:
    """A device as registered, and whether it is new to this player."""

    device: Device
    created: bool


async def register_device(
    clock: Clock, user_id: int, platform: str, token: str, most: int
) -> Registered:
    """Register a push token for the player; a token known elsewhere moves to them."""
    try:
        return await _register(clock, user_id, platform, token, most)
    except IntegrityError:
        # The same token arrived twice at once; the second now finds the first's row.
        return await _register(clock, user_id, platform, token, most)


async def _register(clock: Clock, user_id: int, platform: str, token: str, most: int) -> Registered:
    now = clock.now()
    async with in_transaction() as conn:
        existing = await Device.filter(token=token).using_db(conn).select_for_update().first()
        if existing is not None and existing.user_id == user_id:
            existing.platform, existing.registered_at = platform, now
            await existing.save(using_db=conn)
            return Registered(existing, created=False)
        held = await Device.filter(user_id=user_id).using_db(conn).count()
        if held >= most:
            raise TooManyDevices(f"at most {most} devices; remove one first", most=most)
        if existing is not None:
            # One phone, one owner: the token now belongs to whoever signed in on it last.
            existing.user_id, existing.platform, existing.registered_at = user_id, platform, now
            await existing.save(using_db=conn)
            return Registered(existing, created=True)
        device = await Device.create(
            using_db=conn, user_id=user_id, platform=platform, token=token, registered_at=now
        )
    return Registered(device, created=True)


async def remove_device(user_id: int, device_id: int) -> None:
    """Stop pushing to one of the player's devices."""
    if await Device.filter(id=device_id, user_id=user_id).delete() == 0:
        raise DeviceNotFound()


async def devices_of(user_id: int) -> list[Device]:
    """The player's devices, oldest first."""
    return list(await Device.filter(user_id=user_id).order_by("id"))
