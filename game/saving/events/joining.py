"""Opting in to a power-saving event, before its window opens (docs/power.md)."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.errors import Conflict, Forbidden
from core.users import User
from game.saving.events.announcing import event_for
from game.saving.events.models import PowerEventEntry


class OptInClosed(Conflict):
    """The window has begun: households opt in before it opens."""

    code = "power-event-opt-in-closed"
    title = "Opting in closed when the window opened"


class NotAPlayer(Forbidden):
    """Only players take part in events."""

    code = "power-event-players-only"
    title = "Only players take part in power-saving events"


async def opt_in(clock: Clock, user: User, event_id: int) -> tuple[PowerEventEntry, bool]:
    """Take part in an event of one's region; a second opt-in finds the first (created False)."""
    event, entry = await event_for(user, event_id)
    if entry is not None:
        return entry, False
    if user.role != "player":
        raise NotAPlayer()
    if clock.now() >= event.window_start:
        raise OptInClosed(f"the window opened at {event.window_start.isoformat()}")
    try:
        made = await PowerEventEntry.create(
            event_id=event.id, user_id=user.id, joined_at=clock.now()
        )
    except IntegrityError:
        return await PowerEventEntry.get(event_id=event.id, user_id=user.id), False
    return made, True
