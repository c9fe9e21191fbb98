"""Stealing from a friend's ripe bubble, and what a visitor may take (docs/rules.md#stealing)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict
from core.events import EventSink
from core.settings import Settings
from core.users import User, require_not_suspended
from game.energy.bubbles import BUBBLE_COLUMNS, BubbleNotFound, bubble_state, require_ripe
from game.energy.ledger import apply_entry, gathering_recorded
from game.energy.models import Bubble, LedgerEntry
from game.forest.models import Steal
from game.props.inventory import PropKind, prop_active
from social.friends.access import require_friends
from social.timeline.notes import note_on_timeline


@dataclass(frozen=True)
class StealRules:
    """The numbers of stealing, from settings."""

    share_percent: int
    owner_floor_percent: int

    @classmethod
    def from_settings(cls, settings: Settings) -> StealRules:
        """GREENSPARK_STEAL_SHARE_PERCENT and GREENSPARK_STEAL_OWNER_FLOOR_PERCENT."""
        return cls(settings.steal_share_percent, settings.steal_owner_floor_percent)


class ForestProtected(Conflict):
    """The owner has a protection cover up."""

    code = "forest-protected"
    title = "This forest is protected"


class AlreadyStolen(Conflict):
    """Each friend steals from a bubble once."""

    code = "already-stolen"
    title = "You have already taken from this bubble"


class NothingToSteal(Conflict):
    """What is left is the owner's guaranteed share."""

    code = "nothing-to-steal"
    title = "Nothing left that may be taken"


def stealable_grams(bubble: Bubble, rules: StealRules, doubled: bool) -> int:
    """How much one friend may take from this bubble now (0 when nothing)."""
    share = bubble.amount * rules.share_percent // 100
    if doubled:
        share *= 2
    floor = math.ceil(bubble.amount * rules.owner_floor_percent / 100)
    room = bubble.amount - floor - bubble.stolen
    return int(max(0, min(share, room, bubble.remaining)))


@dataclass(frozen=True)
class Stolen:
    """What a steal did."""

    bubble: Bubble
    grams: int
    balance: int
    doubled: bool
    entry: LedgerEntry


async def steal_from_bubble(
    clock: Clock, events: EventSink, rules: StealRules, thief: User, bubble_id: int
) -> Stolen:
    """A friend takes part of a ripe bubble, within the share and the owner's floor."""
    require_not_suspended(thief, clock)
    thief_id = thief.id
    now = clock.now()
    async with in_transaction() as conn:
        if conn.capabilities.dialect == "postgres":
            bubble, grams, doubled, entry = await _steal_in_two_statements(
                conn, clock, rules, thief_id, bubble_id
            )
        else:
            found = await Bubble.filter(id=bubble_id).using_db(conn).select_for_update().first()
            if found is None:
                raise BubbleNotFound(f"bubble {bubble_id} does not exist")
            bubble = found
            await _require_may_steal(conn, bubble, thief_id, now)
            doubled = await prop_active(thief_id, PropKind.DOUBLE_COLLECT, now, conn)
            grams = stealable_grams(bubble, rules, doubled)
            if grams <= 0:
                raise NothingToSteal()
            await _take(conn, bubble, thief_id, grams, doubled, now)
            entry = await apply_entry(
                conn, clock, user_id=thief_id, delta=grams, kind="steal",
                key=f"steal:{bubble.id}:{thief_id}", bubble_id=bubble.id,
            )  # fmt: skip
            await bubble.refresh_from_db(using_db=conn)
        await note_on_timeline(
            conn, owner_id=bubble.owner_id, actor_id=thief_id, kind="stole", grams=grams,
            bubble_id=bubble.id, at=now,
        )  # fmt: skip
        await events.publish(
            conn, bubble.owner_id, "bubble.stolen",
            {"bubble_id": bubble.id, "by_user_id": thief_id, "by_name": thief.display_name,
             "grams": grams, "remaining": bubble.remaining},
        )  # fmt: skip
    return Stolen(
        bubble=bubble, grams=grams, balance=int(entry.balance_after), doubled=doubled, entry=entry
    )


# PostgreSQL: the bubble, locked, with everything the rules ask about it in the same round trip:
# whether this thief took from it already, whether the owner's cover is up, whether the thief's
# double-collect card runs.
_STEAL_READ_SQL = f"""
SELECT {", ".join(f"b.{c}" for c in BUBBLE_COLUMNS)},
    EXISTS (SELECT 1 FROM energy_steals s WHERE s.bubble_id = b.id AND s.thief_id = $2)
        AS stolen_before,
    EXISTS (SELECT 1 FROM prop_effects p WHERE p.user_id = b.owner_id AND p.kind = $3
            AND p.starts_at <= $5 AND p.ends_at > $5) AS protected,
    EXISTS (SELECT 1 FROM prop_effects p WHERE p.user_id = $2 AND p.kind = $4
            AND p.starts_at <= $5 AND p.ends_at > $5) AS doubled
FROM bubbles b WHERE b.id = $1
FOR UPDATE OF b
"""  # noqa: S608  (constant column names; every value is a bound parameter)

# Then every write in one round trip: take the grams from the bubble (guarded as _take does),
# record the steal, credit the thief's balance and lifetime total, append the ledger row.
_STEAL_WRITE_SQL = """
WITH taken AS (
    UPDATE bubbles SET remaining = remaining - $3, stolen = stolen + $3
    WHERE id = $1 AND remaining >= $3 AND stolen = $4
    RETURNING remaining, stolen
), theft AS (
    INSERT INTO energy_steals (bubble_id, thief_id, grams, doubled, created_at)
    SELECT $1, $2, $3, $5, $6 FROM taken
    RETURNING id
), account AS (
    UPDATE energy_accounts a
    SET balance = a.balance + $3, lifetime_collected = a.lifetime_collected + $3
    FROM theft WHERE a.user_id = $2
    RETURNING a.balance
), entry AS (
    INSERT INTO energy_ledger (user_id, delta, balance_after, kind, key, bubble_id, reason,
                               created_at)
    SELECT $2, $3, account.balance, 'steal', $7, $1, '', $6 FROM account
    RETURNING id, balance_after
)
SELECT taken.remaining, taken.stolen, entry.id AS entry_id, entry.balance_after
FROM taken, entry
"""


async def _steal_in_two_statements(
    conn: BaseDBAsyncClient, clock: Clock, rules: StealRules, thief_id: int, bubble_id: int
) -> tuple[Bubble, int, bool, LedgerEntry]:
    """The steal on PostgreSQL: one locked read, the rules in Python, one write."""
    now = clock.now()
    rows = await conn.execute_query_dict(
        _STEAL_READ_SQL,
        [bubble_id, thief_id, PropKind.PROTECTION_COVER.value, PropKind.DOUBLE_COLLECT.value, now],
    )
    if not rows:
        raise BubbleNotFound(f"bubble {bubble_id} does not exist")
    row = rows[0]
    bubble = Bubble(**{c: row[c] for c in BUBBLE_COLUMNS})
    bubble._saved_in_db = True
    # The same refusals, in the same order, as _require_may_steal.
    await require_friends(thief_id, bubble.owner_id, conn, doing="take energy from each other")
    require_ripe(bubble, now)
    if row["stolen_before"]:
        raise AlreadyStolen()
    if row["protected"]:
        raise ForestProtected()
    doubled = bool(row["doubled"])
    grams = stealable_grams(bubble, rules, doubled)
    if grams <= 0:
        raise NothingToSteal()
    key = f"steal:{bubble.id}:{thief_id}"
    try:
        written = await conn.execute_query_dict(
            _STEAL_WRITE_SQL, [bubble.id, thief_id, grams, bubble.stolen, doubled, now, key]
        )
    except IntegrityError:
        raise AlreadyStolen() from None
    if not written:
        raise NothingToSteal()
    bubble.remaining, bubble.stolen = written[0]["remaining"], written[0]["stolen"]
    entry = LedgerEntry(
        id=written[0]["entry_id"], user_id=thief_id, delta=grams,
        balance_after=written[0]["balance_after"], kind="steal", key=key, bubble_id=bubble.id,
        reason="", created_at=now,
    )  # fmt: skip
    entry._saved_in_db = True
    await gathering_recorded.fire(conn, entry)
    return bubble, grams, doubled, entry


async def _require_may_steal(
    conn: BaseDBAsyncClient, bubble: Bubble, thief_id: int, now: datetime
) -> None:
    owner_id = bubble.owner_id
    await require_friends(thief_id, owner_id, conn, doing="take energy from each other")
    require_ripe(bubble, now)
    if await Steal.filter(bubble_id=bubble.id, thief_id=thief_id).using_db(conn).exists():
        raise AlreadyStolen()
    if await prop_active(owner_id, PropKind.PROTECTION_COVER, now, conn):
        raise ForestProtected()


async def _take(
    conn: BaseDBAsyncClient, bubble: Bubble, thief_id: int, grams: int, doubled: bool, now: datetime
) -> None:
    taken = (
        await Bubble.filter(id=bubble.id, remaining__gte=grams, stolen=bubble.stolen)
        .using_db(conn)
        .update(remaining=F("remaining") - grams, stolen=F("stolen") + grams)
    )
    if taken == 0:
        raise NothingToSteal()
    try:
        await Steal.create(
            using_db=conn, bubble_id=bubble.id, thief_id=thief_id, grams=grams, doubled=doubled,
            created_at=now,
        )  # fmt: skip
    except IntegrityError:
        raise AlreadyStolen() from None


async def steal_offers(
    bubbles: list[Bubble], rules: StealRules, visitor_id: int, now: datetime
) -> dict[int, int]:
    """For a visitor, how much they could take from each bubble right now."""
    owner_ids = {b.owner_id for b in bubbles}
    if not bubbles or owner_ids == {visitor_id}:
        return {b.id: 0 for b in bubbles}
    owner_id = next(iter(owner_ids))
    if await prop_active(owner_id, PropKind.PROTECTION_COVER, now):
        return {b.id: 0 for b in bubbles}
    taken = set(
        await Steal.filter(bubble_id__in=[b.id for b in bubbles], thief_id=visitor_id).values_list(
            "bubble_id", flat=True
        )
    )
    doubled = await prop_active(visitor_id, PropKind.DOUBLE_COLLECT, now)
    return {
        b.id: 0
        if b.id in taken or bubble_state(b, now) != "ripe"
        else stealable_grams(b, rules, doubled)
        for b in bubbles
    }
