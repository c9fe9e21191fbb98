"""Watering: giving a friend a little of one's own energy (docs/rules.md#watering)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Invalid, Limited
from core.events import EventSink
from core.settings import Settings
from core.users import User, require_not_suspended
from game.energy.ledger import apply_entry, lock_accounts
from game.energy.models import LedgerEntry
from game.forest.models import DailyCounter, Watering
from social.friends.access import require_friends
from social.timeline.notes import note_on_timeline


@dataclass(frozen=True)
class WaterRules:
    """The numbers of watering, from settings."""

    amounts: tuple[int, ...]
    times_per_day: int

    @classmethod
    def from_settings(cls, settings: Settings) -> WaterRules:
        """GREENSPARK_WATER_AMOUNTS and GREENSPARK_WATER_TIMES_PER_DAY."""
        return cls(settings.water_amounts, settings.water_times_per_day)


class AmountNotAllowed(Invalid):
    """Watering comes in fixed amounts."""

    code = "water-amount-not-allowed"
    title = "That amount cannot be given"


class WateringLimitReached(Limited):
    """The giver has watered as often as allowed today."""

    code = "watering-limit-reached"
    title = "No more watering today"


@dataclass(frozen=True)
class Watered:
    """What a watering did."""

    watering: Watering
    giver_balance: int
    waterings_left_today: int
    received: LedgerEntry


async def water_friend(
    clock: Clock, events: EventSink, rules: WaterRules, giver: User, friend_id: int, grams: int
) -> Watered:
    """Move `grams` from the giver's balance to a friend's, within the daily limit."""
    require_not_suspended(giver, clock)
    if grams not in rules.amounts:
        raise AmountNotAllowed(f"give one of {list(rules.amounts)} g", allowed=list(rules.amounts))
    giver_id = giver.id
    now = clock.now()
    today = now.astimezone(ZoneInfo(giver.timezone)).date()
    async with in_transaction() as conn:
        await require_friends(giver_id, friend_id, conn, doing="water each other")
        used = await _count_watering(conn, giver_id, today, rules.times_per_day)
        await lock_accounts(conn, [giver_id, friend_id])
        watering = await Watering.create(
            using_db=conn, giver_id=giver_id, receiver_id=friend_id, grams=grams,
            local_date=today, created_at=now,
        )  # fmt: skip
        out = await apply_entry(
            conn, clock, user_id=giver_id, delta=-grams, kind="water_out",
            key=f"water:{watering.id}:out",
        )  # fmt: skip
        received = await apply_entry(
            conn, clock, user_id=friend_id, delta=grams, kind="water_in",
            key=f"water:{watering.id}:in",
        )  # fmt: skip
        await note_on_timeline(
            conn, owner_id=friend_id, actor_id=giver_id, kind="watered", grams=grams,
            bubble_id=None, at=now,
        )  # fmt: skip
        await events.publish(
            conn, friend_id, "friend.watered",
            {"by_user_id": giver_id, "by_name": giver.display_name, "grams": grams},
        )  # fmt: skip
    return Watered(
        watering=watering,
        giver_balance=int(out.balance_after),
        waterings_left_today=rules.times_per_day - used,
        received=received,
    )


async def _count_watering(conn: BaseDBAsyncClient, giver_id: int, today: date, limit: int) -> int:
    """Count one watering for today, refusing past the limit; returns today's count."""
    await DailyCounter.bulk_create(
        [DailyCounter(user_id=giver_id, what="watering", local_date=today, count=0)],
        ignore_conflicts=True,
        using_db=conn,
    )
    counter = DailyCounter.filter(user_id=giver_id, what="watering", local_date=today)
    if await counter.filter(count__lt=limit).using_db(conn).update(count=F("count") + 1) == 0:
        raise WateringLimitReached(f"you can water {limit} times a day")
    row = await counter.using_db(conn).get()
    return int(row.count)
