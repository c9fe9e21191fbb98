"""After energy is gathered: update the boards and tell friends who were just overtaken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import structlog
from redis.exceptions import RedisError

from core.clock import Clock
from core.events import EventSink
from game.energy.ledger import GATHERING_KINDS
from game.energy.models import LedgerEntry
from game.leaderboards.boards import Board, queue_writes
from game.leaderboards.energy import (
    BOARD_NAME,
    Boards,
    Player,
    Total,
    energy_board,
    load_players,
    player_totals,
    writes_for,
)
from game.leaderboards.periods import label_of
from social.friends.models import Friendship

log = structlog.get_logger("greenspark.leaderboards")


@dataclass(frozen=True)
class Rival:
    """A gaining player's weekly standing against the friends on the same week's board."""

    player_id: int
    board: Board
    total: Total
    friend_ids: list[int]


def gains_by_player(entries: Sequence[LedgerEntry]) -> dict[int, datetime]:
    """The players who gathered energy in these entries, with the moment of their last gain."""
    latest: dict[int, datetime] = {}
    for entry in entries:
        if entry.kind in GATHERING_KINDS and entry.delta > 0:
            seen = latest.get(entry.user_id)
            latest[entry.user_id] = max(seen, entry.created_at) if seen else entry.created_at
    return latest


async def _rival(boards: Boards, player: Player, moment: datetime, week: Total) -> Rival:
    """Friends whose own calendar is in the same week as the gain, for overtake notices."""
    rows = await Friendship.filter(user_id=player.id).values_list("friend_id", "friend__timezone")
    same_week = [
        int(fid)
        for fid, tz in cast(list[tuple[int, str]], rows)
        if label_of("week", moment, ZoneInfo(tz) if tz else boards.default_tz) == week.label
    ]
    return Rival(player.id, energy_board(boards, "week", week.label), week, same_week)


async def record_gains(
    boards: Boards, clock: Clock, events: EventSink, entries: Sequence[LedgerEntry]
) -> None:
    """Put the gainers' new totals on their boards; send rank.changed to overtaken friends.

    Call it after the transaction that wrote `entries` commits. Boards are rebuildable, so a
    Redis failure here is logged and the gain stands.
    """
    moments = gains_by_player(entries)
    if not moments:
        return
    players = await load_players(boards, list(moments))
    writes, rivals = [], []
    for player_id, moment in moments.items():
        player = players[player_id]
        totals = await player_totals(player, moment)
        writes.extend(writes_for(boards, player, totals))
        week = next(t for t in totals if t.period == "week")
        rival = await _rival(boards, player, moment, week)
        if rival.friend_ids and week.grams > 0:
            rivals.append(rival)
    try:
        overtaken = await _apply(boards, writes, rivals, clock.now())
        for friend_id, data in overtaken:
            await events.publish(None, friend_id, "rank.changed", data)
    except RedisError as exc:
        log.warning("leaderboard update failed; a rebuild will repair it", error=str(exc))


async def _apply(
    boards: Boards, writes: list[Any], rivals: list[Rival], now: datetime
) -> list[tuple[int, dict[str, Any]]]:
    """Read the rivals' old weekly scores and write the new totals in one round trip."""
    pipe = boards.redis.pipeline(transaction=False)
    for rival in rivals:
        pipe.zmscore(rival.board.key, [str(rival.player_id), *map(str, rival.friend_ids)])
    queue_writes(pipe, writes, now)
    results = await pipe.execute()
    overtaken = []
    for rival, scores in zip(rivals, results, strict=False):
        before = scores[0] if scores[0] is not None else -1.0
        after = rival.board.pack(rival.total.grams, rival.total.reached_at)
        for friend_id, theirs in zip(rival.friend_ids, scores[1:], strict=True):
            if theirs is not None and before < theirs < after:
                overtaken.append((friend_id, _notice(rival, theirs)))
    return overtaken


def _notice(rival: Rival, friend_packed: float) -> dict[str, Any]:
    return {
        "board": BOARD_NAME,
        "period": "week",
        "scope": "friends",
        "label": rival.total.label,
        "overtaken_by": rival.player_id,
        "their_score": rival.total.grams,
        "your_score": rival.board.unpack(friend_packed),
    }
