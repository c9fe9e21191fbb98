"""Helping a friend collect a bubble about to expire (docs/rules.md#helping-a-friend-collect).

The energy goes to the owner (a `help_collect` ledger row), the owner's timeline thanks the
helper, and the helper's kindness count goes up by one (a count board, docs/leaderboards.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict
from core.events import EventSink
from core.settings import Settings
from core.users import User, require_not_suspended
from game.energy.bubbles import BubbleEmpty, BubbleNotFound, bubble_state, require_ripe
from game.energy.ledger import apply_entry
from game.energy.models import Bubble, LedgerEntry
from game.forest.models import Help
from game.leaderboards.counts import KINDNESS, count_of, count_up, record_counts
from game.leaderboards.energy import Boards
from social.friends.access import require_friends
from social.timeline.notes import note_on_timeline


@dataclass(frozen=True)
class HelpRules:
    """How close to its expiry a bubble may be helped, from settings."""

    window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> HelpRules:
        """GREENSPARK_HELP_WINDOW_SECONDS."""
        return cls(timedelta(seconds=settings.help_window_seconds))


class NotExpiringSoon(Conflict):
    """Friends help only with a bubble about to expire."""

    code = "bubble-not-expiring-soon"
    title = "This bubble is not about to expire"


class AlreadyHelped(Conflict):
    """Each friend helps with a bubble once."""

    code = "already-helped"
    title = "You have already helped with this bubble"


@dataclass(frozen=True)
class Helped:
    """What a help did: the bubble afterwards, the owner's ledger row, the helper's kindness."""

    bubble: Bubble
    grams: int
    entry: LedgerEntry
    kindness: int


def helpable(bubble: Bubble, rules: HelpRules, now: datetime) -> bool:
    """Whether a friend could help collect this bubble now (ripe, expiring within the window)."""
    return bubble_state(bubble, now) == "ripe" and bubble.expires_at - now <= rules.window


async def help_collect(
    clock: Clock, events: EventSink, rules: HelpRules, boards: Boards, helper: User, bubble_id: int
) -> Helped:
    """A friend collects what is left in a bubble about to expire; the energy goes to its owner."""
    require_not_suspended(helper, clock)
    now = clock.now()
    async with in_transaction() as conn:
        bubble = await Bubble.filter(id=bubble_id).using_db(conn).select_for_update().first()
        if bubble is None:
            raise BubbleNotFound(f"bubble {bubble_id} does not exist")
        owner_id = bubble.owner_id
        await require_friends(helper.id, owner_id, conn, doing="help each other collect")
        if await Help.filter(bubble_id=bubble.id, helper_id=helper.id).using_db(conn).exists():
            raise AlreadyHelped()
        require_ripe(bubble, now)
        if bubble.expires_at - now > rules.window:
            helpable_from = bubble.expires_at - rules.window
            raise NotExpiringSoon(
                f"friends may help from {helpable_from.isoformat()}",
                helpable_from=helpable_from.isoformat(),
            )
        grams = bubble.remaining
        taken = (
            await Bubble.filter(id=bubble.id, remaining=grams)
            .using_db(conn)
            .update(remaining=0, collected=F("collected") + grams)
        )
        if taken == 0:
            raise BubbleEmpty()
        try:
            await Help.create(
                using_db=conn, bubble_id=bubble.id, owner_id=owner_id, helper_id=helper.id,
                grams=grams, created_at=now,
            )  # fmt: skip
        except IntegrityError:
            raise AlreadyHelped() from None
        entry = await apply_entry(
            conn, clock, user_id=owner_id, delta=grams, kind="help_collect",
            key=f"help_collect:{bubble.id}", bubble_id=bubble.id,
        )  # fmt: skip
        await note_on_timeline(
            conn, owner_id=owner_id, actor_id=helper.id, kind="helped", grams=grams,
            bubble_id=bubble.id, at=now,
        )  # fmt: skip
        await count_up(conn, KINDNESS, helper.id, now)
        await events.publish(
            conn, owner_id, "bubble.helped",
            {"bubble_id": bubble.id, "by_user_id": helper.id, "by_name": helper.display_name,
             "grams": grams},
        )  # fmt: skip
        await bubble.refresh_from_db(using_db=conn)
    await record_counts(boards, clock, KINDNESS, [helper.id])
    return Helped(bubble, grams, entry, await count_of(KINDNESS, helper.id))


async def help_offers(
    bubbles: list[Bubble], rules: HelpRules, visitor_id: int, now: datetime
) -> set[int]:
    """Of a friend's bubbles, the ones this visitor could help collect right now."""
    candidates = [b.id for b in bubbles if b.owner_id != visitor_id and helpable(b, rules, now)]
    if not candidates:
        return set()
    helped = await Help.filter(bubble_id__in=candidates, helper_id=visitor_id).values_list(
        "bubble_id", flat=True
    )
    return set(candidates) - set(cast(list[int], helped))
