"""Moderators' actions: hide, remove, restore content; warn, suspend, lift players. All audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Forbidden, Invalid
from core.events import EventSink
from core.users import Role, User, player_changed
from social.checkins.models import State
from social.friends.access import PlayerNotFound
from social.moderation.models import ModerationAction, TargetKind
from social.moderation.targets import audit, change_state, close_case, locked_content

CONTENT_ACTIONS = {"hide": State.HIDDEN, "remove": State.REMOVED, "restore": State.VISIBLE}
PLAYER_ACTIONS = ("warn", "suspend", "lift")


class ActionNotApplicable(Invalid):
    """Hide, remove and restore apply to content; warn, suspend and lift to players."""

    code = "action-not-applicable"
    title = "This action does not apply to that kind of target"


class SuspensionNeedsDuration(Invalid):
    """A suspension is for a given time."""

    code = "suspension-duration-required"
    title = "Say how long the suspension lasts"


class AlreadyInState(Conflict):
    """The content is already in the state the action would put it in."""

    code = "already-in-that-state"
    title = "Nothing to change"


class NotSuspended(Conflict):
    """There is no suspension to lift."""

    code = "not-suspended"
    title = "The player is not suspended"


class ProtectedAccount(Forbidden):
    """Moderators do not act on themselves or on other staff; admins may act on staff."""

    code = "protected-account"
    title = "You cannot take this action on that account"


@dataclass(frozen=True)
class Order:
    """A moderator's decision: what to do, to which target, why, and for how long."""

    action: str
    kind: TargetKind
    target_id: int
    reason: str
    duration_seconds: int | None = None


async def take_action(
    clock: Clock, events: EventSink, moderator: User, order: Order
) -> ModerationAction:
    """Carry out a moderator's order, record it in the audit log and tell the affected player."""
    if order.action in CONTENT_ACTIONS:
        if order.kind == TargetKind.PLAYER:
            raise ActionNotApplicable(f"{order.action} applies to check-ins and comments")
        act = _act_on_content
    else:
        if order.kind != TargetKind.PLAYER:
            raise ActionNotApplicable(f"{order.action} applies to players")
        act = _act_on_player
    async with in_transaction() as conn:
        entry = await act(conn, clock, moderator, order)
        await events.publish(
            conn,
            entry.affected_user_id,
            "moderation.action",
            {
                "action": entry.action,
                "target_kind": str(entry.target_kind),
                "target_id": entry.target_id,
                "reason": entry.reason,
                "until": entry.until.isoformat() if entry.until else None,
            },
        )
    return entry


async def _act_on_content(
    conn: BaseDBAsyncClient, clock: Clock, moderator: User, order: Order
) -> ModerationAction:
    state = CONTENT_ACTIONS[order.action]
    content = await locked_content(conn, order.kind, order.target_id)
    if content.state == state:
        raise AlreadyInState(f"the {order.kind} is {state} already")
    await change_state(conn, order.kind, order.target_id, state, only_from=content.state)
    await close_case(conn, clock, order.kind, order.target_id)
    return await audit(
        conn, clock, moderator_id=moderator.id, action=order.action, kind=order.kind,
        target_id=order.target_id, affected_user_id=content.author_id, reason=order.reason,
    )  # fmt: skip


async def _act_on_player(
    conn: BaseDBAsyncClient, clock: Clock, moderator: User, order: Order
) -> ModerationAction:
    player = await User.filter(id=order.target_id).using_db(conn).select_for_update().first()
    if player is None:
        raise PlayerNotFound(f"no player {order.target_id}")
    if player.id == moderator.id or (player.role != Role.PLAYER and moderator.role != Role.ADMIN):
        raise ProtectedAccount()
    now = clock.now()
    if order.action == "suspend":
        if order.duration_seconds is None:
            raise SuspensionNeedsDuration()
        player.suspended_until = now + timedelta(seconds=order.duration_seconds)
    elif order.action == "lift":
        if player.suspended_until is None or player.suspended_until <= now:
            raise NotSuspended()
        player.suspended_until = None
    if order.action != "warn":
        await player.save(using_db=conn, update_fields=["suspended_until"])
        await player_changed.fire(conn, player.id)
    until = player.suspended_until if order.action == "suspend" else None
    return await audit(
        conn, clock, moderator_id=moderator.id, action=order.action, kind=TargetKind.PLAYER,
        target_id=player.id, affected_user_id=player.id, reason=order.reason, until=until,
    )  # fmt: skip
