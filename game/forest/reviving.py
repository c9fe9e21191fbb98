"""Reviving an expired bubble, once, within a window (docs/rules.md#reviving-expired-energy).

The revived grams come back to the owner out of the bubble's own expired energy: a share of it
(`GREENSPARK_REVIVE_SHARE_PERCENT`), recorded in `bubbles.revived`, so a bubble never gives back
more than it lost. The owner pays with a revive card (a prop); a friend pays the same number of
grams from their own balance (a `revive_pay` row, spent like a planting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Gone
from core.events import EventSink
from core.settings import Settings
from core.users import User, require_not_suspended
from game.energy.bubbles import BubbleNotFound
from game.energy.ledger import apply_entry
from game.energy.models import Bubble, LedgerEntry
from game.forest.models import Revival
from game.leaderboards.counts import KINDNESS, count_up, record_counts
from game.leaderboards.energy import Boards
from game.props.inventory import PropKind, spend_prop
from social.friends.access import require_friends
from social.timeline.notes import note_on_timeline


@dataclass(frozen=True)
class ReviveRules:
    """How long after expiry a bubble may be revived, and what share comes back, from settings."""

    window: timedelta
    share_percent: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ReviveRules:
        """GREENSPARK_REVIVE_WINDOW_SECONDS and GREENSPARK_REVIVE_SHARE_PERCENT."""
        return cls(timedelta(seconds=settings.revive_window_seconds), settings.revive_share_percent)


class NotExpired(Conflict):
    """Only an expired bubble can be revived."""

    code = "bubble-not-expired"
    title = "The bubble has not expired"


class ReviveWindowClosed(Gone):
    """The bubble expired too long ago."""

    code = "revive-window-closed"
    title = "It is too late to revive this bubble"


class AlreadyRevived(Conflict):
    """A bubble is revived at most once."""

    code = "already-revived"
    title = "This bubble has been revived already"


class NothingToRevive(Conflict):
    """No energy expired in this bubble, or its share rounds down to nothing."""

    code = "nothing-to-revive"
    title = "Nothing in this bubble can be revived"


def lost_grams(bubble: Bubble, now: datetime) -> int:
    """Energy that expired in a bubble, counting what the sweep has not written off yet."""
    if now < bubble.expires_at:
        return 0
    return int(bubble.expired + bubble.remaining)


def revivable_grams(bubble: Bubble, rules: ReviveRules, now: datetime) -> int:
    """What a revive would give back now (0 when the bubble cannot be revived)."""
    if bubble.revived > 0 or now >= bubble.expires_at + rules.window:
        return 0
    return lost_grams(bubble, now) * rules.share_percent // 100


@dataclass(frozen=True)
class Revived:
    """What a revive did: the record, the owner's ledger row, the reviver's balance."""

    revival: Revival
    entry: LedgerEntry
    reviver_balance: int | None


def _require_revivable(bubble: Bubble, rules: ReviveRules, now: datetime) -> int:
    """The grams a revive gives back now, or the refusal that says why none."""
    if bubble.revived > 0:
        raise AlreadyRevived()
    if now < bubble.expires_at:
        raise NotExpired(
            f"the bubble expires at {bubble.expires_at.isoformat()}",
            expires_at=bubble.expires_at.isoformat(),
        )
    closed = bubble.expires_at + rules.window
    if now >= closed:
        raise ReviveWindowClosed(f"revivals closed at {closed.isoformat()}")
    grams = revivable_grams(bubble, rules, now)
    if grams <= 0:
        raise NothingToRevive()
    return grams


async def _write_off(conn: BaseDBAsyncClient, bubble: Bubble) -> None:
    """Move what is left into `expired`, as the expiry sweep would: all that was lost."""
    if bubble.remaining > 0:
        await (
            Bubble.filter(id=bubble.id, remaining=bubble.remaining)
            .using_db(conn)
            .update(expired=F("expired") + F("remaining"), remaining=0)
        )
        await bubble.refresh_from_db(using_db=conn)


async def revive_bubble(
    clock: Clock,
    events: EventSink,
    rules: ReviveRules,
    boards: Boards,
    reviver: User,
    bubble_id: int,
) -> Revived:
    """Bring back a share of an expired bubble: the owner spends a card, a friend their energy."""
    now = clock.now()
    async with in_transaction() as conn:
        bubble = await Bubble.filter(id=bubble_id).using_db(conn).select_for_update().first()
        if bubble is None:
            raise BubbleNotFound(f"bubble {bubble_id} does not exist")
        owner_id, by_owner = bubble.owner_id, reviver.id == bubble.owner_id
        if not by_owner:
            require_not_suspended(reviver, clock)
            await require_friends(reviver.id, owner_id, conn, doing="revive each other's energy")
        grams = _require_revivable(bubble, rules, now)
        await _write_off(conn, bubble)
        if await Bubble.filter(id=bubble.id, revived=0).using_db(conn).update(revived=grams) == 0:
            raise AlreadyRevived()
        try:
            revival = await Revival.create(
                using_db=conn, bubble_id=bubble.id, owner_id=owner_id, reviver_id=reviver.id,
                paid_with="card" if by_owner else "energy", grams=grams,
                cost=0 if by_owner else grams, created_at=now,
            )  # fmt: skip
        except IntegrityError:
            raise AlreadyRevived() from None
        paid = await _pay(conn, clock, revival, by_owner)
        entry = await apply_entry(
            conn, clock, user_id=owner_id, delta=grams, kind="revive",
            key=f"revive:{revival.id}", bubble_id=bubble.id,
        )  # fmt: skip
        if not by_owner:
            await _thank(conn, events, revival, reviver.display_name, now)
    if not by_owner:
        await record_counts(boards, clock, KINDNESS, [reviver.id])
    return Revived(revival, entry, paid)


async def _pay(
    conn: BaseDBAsyncClient, clock: Clock, revival: Revival, by_owner: bool
) -> int | None:
    """The owner's revive card, or the friend's grams; returns the friend's balance after."""
    if by_owner:
        await spend_prop(
            conn, clock, user_id=revival.owner_id, kind=PropKind.REVIVE_CARD,
            key=f"revive:{revival.id}", reason=f"revived bubble {revival.bubble_id}",
        )  # fmt: skip
        return None
    paid = await apply_entry(
        conn, clock, user_id=revival.reviver_id, delta=-revival.cost, kind="revive_pay",
        key=f"revive_pay:{revival.id}", bubble_id=revival.bubble_id,
    )  # fmt: skip
    return int(paid.balance_after)


async def _thank(
    conn: BaseDBAsyncClient, events: EventSink, revival: Revival, name: str, now: datetime
) -> None:
    """A friend's revive: the owner's timeline, the friend's kindness, the owner's event."""
    await note_on_timeline(
        conn, owner_id=revival.owner_id, actor_id=revival.reviver_id, kind="revived",
        grams=revival.grams, bubble_id=revival.bubble_id, at=now,
    )  # fmt: skip
    await count_up(conn, KINDNESS, revival.reviver_id, now)
    await events.publish(
        conn, revival.owner_id, "bubble.revived",
        {"bubble_id": revival.bubble_id, "by_user_id": revival.reviver_id, "by_name": name,
         "grams": revival.grams, "paid": revival.cost},
    )  # fmt: skip


def revive_offers(bubbles: list[Bubble], rules: ReviveRules, now: datetime) -> dict[int, int]:
    """For each bubble, what reviving it would give back right now (0 for most)."""
    return {b.id: revivable_grams(b, rules, now) for b in bubbles}
