"""Bubbles: how energy appears, ripens, expires and is collected (docs/rules.md#bubbles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Forbidden, Gone, NotFound
from core.settings import Settings
from game.energy.ledger import AlreadyApplied, apply_entry, gathering_recorded
from game.energy.models import Bubble, EnergyAccount, LedgerEntry

BubbleRule = Literal["instant", "daily"]
BubbleState = Literal["growing", "ripe", "expired", "collected"]


@dataclass(frozen=True)
class BubbleTiming:
    """The timing rules of bubbles, from settings."""

    ripen_delay: timedelta
    daily_ripen_hour: int
    lifetime: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> BubbleTiming:
        """GREENSPARK_RIPEN_DELAY_SECONDS, _DAILY_RIPEN_HOUR and _BUBBLE_LIFETIME_SECONDS."""
        return cls(
            ripen_delay=timedelta(seconds=settings.ripen_delay_seconds),
            daily_ripen_hour=settings.daily_ripen_hour,
            lifetime=timedelta(seconds=settings.bubble_lifetime_seconds),
        )


class BubbleNotFound(NotFound):
    """No such bubble."""

    code = "bubble-not-found"
    title = "Bubble not found"


class NotYourBubble(Forbidden):
    """Only the owner collects a bubble."""

    code = "not-your-bubble"
    title = "This bubble belongs to someone else"


class BubbleNotRipe(Conflict):
    """The bubble is still growing."""

    code = "bubble-not-ripe"
    title = "The bubble is not ripe yet"


class BubbleExpired(Gone):
    """The bubble's time ran out; its energy is gone."""

    code = "bubble-expired"
    title = "The bubble has expired"


class BubbleEmpty(Conflict):
    """Nothing is left in the bubble."""

    code = "bubble-empty"
    title = "The bubble has already been collected"


def bubble_state(bubble: Bubble, now: datetime) -> BubbleState:
    """The state of a bubble at a moment; computed from the clock, never stored."""
    if now >= bubble.expires_at:
        return "expired" if bubble.remaining > 0 or bubble.expired > 0 else "collected"
    if bubble.remaining == 0:
        return "collected"
    if now < bubble.ripens_at:
        return "growing"
    return "ripe"


def daily_ripening(local_day: date, tz: ZoneInfo, hour: int) -> datetime:
    """When a daily bubble of `local_day` ripens: `hour` o'clock the next local morning."""
    return datetime.combine(local_day + timedelta(days=1), time(hour), tzinfo=tz)


async def grow_bubble(
    conn: BaseDBAsyncClient,
    clock: Clock,
    timing: BubbleTiming,
    *,
    owner_id: int,
    scenario: str,
    rule: BubbleRule,
    grams: int,
    local_day: date,
    tz: ZoneInfo,
) -> Bubble:
    """Add energy to the owner's open bubble for this scenario, or make a new bubble.

    An instant bubble is open while it grows. A daily bubble is open while it grows, and after it
    ripened for as long as nobody has taken from it and it has not expired, so a late report of
    the day joins it instead of making another (docs/rules.md#bubbles).
    """
    now = clock.now()
    open_bubbles = Bubble.filter(owner_id=owner_id, scenario=scenario, rule=rule, remaining__gt=0)
    if rule == "daily":
        open_bubbles = open_bubbles.filter(
            local_date=local_day, expires_at__gt=now, collected=0, stolen=0
        )
    else:
        open_bubbles = open_bubbles.filter(ripens_at__gt=now)
    existing = await open_bubbles.using_db(conn).select_for_update().order_by("-id").first()
    if existing is not None:
        await (
            Bubble.filter(id=existing.id)
            .using_db(conn)
            .update(amount=F("amount") + grams, remaining=F("remaining") + grams)
        )
        await existing.refresh_from_db(using_db=conn)
        return existing
    if rule == "daily":
        ripens_at = daily_ripening(local_day, tz, timing.daily_ripen_hour)
    else:
        ripens_at = now + timing.ripen_delay
    expires_at = now + timing.lifetime
    if expires_at <= ripens_at:
        # A lifetime shorter than the wait to ripen would make a bubble nobody can collect.
        expires_at = ripens_at + timing.lifetime
    return await Bubble.create(
        using_db=conn,
        owner_id=owner_id,
        scenario=scenario,
        rule=rule,
        amount=grams,
        remaining=grams,
        local_date=local_day,
        created_at=now,
        ripens_at=ripens_at,
        expires_at=expires_at,
    )


@dataclass(frozen=True)
class Collected:
    """What a collect did: the bubble afterwards and the ledger row it wrote."""

    bubble: Bubble
    entry: LedgerEntry


async def collect_bubble(clock: Clock, user_id: int, bubble_id: int) -> Collected:
    """The owner takes what is left in a ripe bubble into their balance."""
    async with in_transaction() as conn:
        if conn.capabilities.dialect == "postgres":
            collected = await _collect_in_one_statement(conn, clock.now(), user_id, bubble_id)
            if collected is None:
                # Nothing was taken: say why, from the bubble as it is now.
                await _refuse_collect(conn, clock.now(), user_id, bubble_id)
                raise BubbleEmpty()
            await gathering_recorded.fire(conn, collected.entry)
            return collected
        bubble = await Bubble.filter(id=bubble_id).using_db(conn).select_for_update().first()
        _require_collectable(bubble, clock.now(), user_id, bubble_id)
        assert bubble is not None
        grams = bubble.remaining
        taken = (
            await Bubble.filter(id=bubble.id, remaining=grams)
            .using_db(conn)
            .update(remaining=0, collected=F("collected") + grams)
        )
        if taken == 0:
            raise BubbleEmpty()
        entry = await apply_entry(
            conn,
            clock,
            user_id=user_id,
            delta=grams,
            kind="collect",
            key=f"collect:{bubble.id}",
            bubble_id=bubble.id,
        )
        await bubble.refresh_from_db(using_db=conn)
    return Collected(bubble=bubble, entry=entry)


def _require_collectable(
    bubble: Bubble | None, now: datetime, user_id: int, bubble_id: int
) -> None:
    if bubble is None:
        raise BubbleNotFound(f"bubble {bubble_id} does not exist")
    if bubble.owner_id != user_id:
        raise NotYourBubble()
    require_ripe(bubble, now)


async def _refuse_collect(
    conn: BaseDBAsyncClient, now: datetime, user_id: int, bubble_id: int
) -> None:
    bubble = await Bubble.filter(id=bubble_id).using_db(conn).first()
    _require_collectable(bubble, now, user_id, bubble_id)


BUBBLE_COLUMNS = (
    "id", "owner_id", "scenario", "rule", "amount", "remaining", "collected", "stolen", "expired",
    "revived", "local_date", "created_at", "ripens_at", "expires_at",
)  # fmt: skip

# The whole collect in one round trip (PostgreSQL): lock the bubble if it is ripe, live, the
# caller's and not empty; empty it into `collected`; credit the balance and the lifetime total;
# append the ledger row with the balance after it. The account row is updated before the ledger
# row is inserted (the insert reads the update's result), so ledger ids follow balance order as
# with apply_entry. A second collect of the same bubble finds it empty; the unique ledger key
# still refuses a repeat, as apply_entry's check does.
_COLLECT_SQL = f"""
WITH old AS (
    SELECT id, remaining FROM bubbles
    WHERE id = $1 AND owner_id = $2 AND remaining > 0 AND ripens_at <= $3 AND expires_at > $3
    FOR UPDATE
), taken AS (
    UPDATE bubbles b SET remaining = 0, collected = b.collected + old.remaining
    FROM old WHERE b.id = old.id
    RETURNING {", ".join(f"b.{c}" for c in BUBBLE_COLUMNS)}, old.remaining AS grams
), account AS (
    UPDATE energy_accounts a
    SET balance = a.balance + taken.grams,
        lifetime_collected = a.lifetime_collected + taken.grams
    FROM taken WHERE a.user_id = $2
    RETURNING a.balance
), entry AS (
    INSERT INTO energy_ledger (user_id, delta, balance_after, kind, key, bubble_id, reason,
                               created_at)
    SELECT $2, taken.grams, account.balance, 'collect', 'collect:' || taken.id, taken.id, '', $3
    FROM taken, account
    RETURNING id, balance_after
)
SELECT taken.*, entry.id AS entry_id, entry.balance_after FROM taken, entry
"""  # noqa: S608  (constant column names; every value is a bound parameter)


async def _collect_in_one_statement(
    conn: BaseDBAsyncClient, now: datetime, user_id: int, bubble_id: int
) -> Collected | None:
    try:
        rows = await conn.execute_query_dict(_COLLECT_SQL, [bubble_id, user_id, now])
    except IntegrityError:
        raise AlreadyApplied(f"ledger key 'collect:{bubble_id}' was already applied") from None
    if not rows:
        return None
    row = rows[0]
    bubble = Bubble(**{c: row[c] for c in BUBBLE_COLUMNS})
    bubble._saved_in_db = True
    entry = LedgerEntry(
        id=row["entry_id"], user_id=user_id, delta=row["grams"],
        balance_after=row["balance_after"], kind="collect", key=f"collect:{bubble_id}",
        bubble_id=bubble_id, reason="", created_at=now,
    )  # fmt: skip
    entry._saved_in_db = True
    return Collected(bubble=bubble, entry=entry)


def require_ripe(bubble: Bubble, now: datetime) -> None:
    """Refuse unless the bubble is ripe at `now`."""
    state = bubble_state(bubble, now)
    if state == "growing":
        raise BubbleNotRipe(
            f"the bubble ripens at {bubble.ripens_at.isoformat()}",
            ripens_at=bubble.ripens_at.isoformat(),
        )
    if state == "expired":
        raise BubbleExpired(f"the bubble expired at {bubble.expires_at.isoformat()}")
    if state == "collected":
        raise BubbleEmpty()


async def expire_bubbles(clock: Clock) -> int:
    """Write off what is left in every bubble past its expiry; returns how many changed."""
    # SET evaluates against the old row, so `expired` receives the old `remaining`.
    return int(
        await Bubble.filter(expires_at__lte=clock.now(), remaining__gt=0).update(
            expired=F("expired") + F("remaining"), remaining=0
        )
    )


@dataclass(frozen=True)
class Forest:
    """A player's forest at a moment: balance, lifetime total and recent bubbles."""

    user_id: int
    balance: int
    lifetime_collected: int
    bubbles: list[Bubble]
    now: datetime


async def forest_of(clock: Clock, user_id: int, keep_for: timedelta = timedelta(days=1)) -> Forest:
    """The owner's view: live bubbles and those that ended within `keep_for`."""
    now = clock.now()
    account = await EnergyAccount.get_or_none(user_id=user_id)
    bubbles = (
        await Bubble.filter(owner_id=user_id, expires_at__gt=now - keep_for)
        .order_by("ripens_at", "id")
        .limit(200)
    )
    return Forest(
        user_id=user_id,
        balance=account.balance if account else 0,
        lifetime_collected=account.lifetime_collected if account else 0,
        bubbles=bubbles,
        now=now,
    )
