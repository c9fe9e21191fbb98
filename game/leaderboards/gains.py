"""After energy is gathered: update the boards and tell friends who were just overtaken."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import structlog
from redis.exceptions import RedisError

from core.clock import Clock
from core.db import after_commit, in_transaction, run_after_commit
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
    writes_for,
)
from game.leaderboards.periods import label_of
from game.leaderboards.totals import Window, gathered, windows_at
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


async def _rivals(
    boards: Boards,
    players: dict[int, Player],
    moments: dict[int, datetime],
    weeks: dict[int, Total],
) -> list[Rival]:
    """Friends whose own calendar is in the same week as each gain, for overtake notices.

    One query for every gaining player of a batch.
    """
    rows = await Friendship.filter(user_id__in=list(moments)).values_list(
        "user_id", "friend_id", "friend__timezone"
    )
    friends: dict[int, list[tuple[int, str]]] = {}
    for uid, fid, tz in cast(list[tuple[int, int, str]], rows):
        friends.setdefault(int(uid), []).append((int(fid), tz))
    rivals = []
    for player_id, moment in moments.items():
        week = weeks[player_id]
        same_week = [
            fid
            for fid, tz in friends.get(player_id, [])
            if label_of("week", moment, ZoneInfo(tz) if tz else boards.default_tz) == week.label
        ]
        if same_week and week.grams > 0:
            board = energy_board(boards, "week", week.label)
            rivals.append(Rival(player_id, board, week, same_week))
    return rivals


async def _totals(
    players: dict[int, Player], moments: dict[int, datetime]
) -> dict[int, list[Total]]:
    """Every gaining player's totals, one query per calendar (time zone and period labels)."""
    groups: dict[tuple[str, ...], tuple[list[Window], list[int]]] = {}
    for player_id, moment in moments.items():
        windows = windows_at(moment, players[player_id].tz)
        key = (str(players[player_id].tz), *(w.label for w in windows))
        groups.setdefault(key, (windows, []))[1].append(player_id)
    out: dict[int, list[Total]] = {}
    for windows, ids in groups.values():
        sums = {uid: s for uid, s in await gathered(windows, members=ids)}
        for uid in ids:
            got = sums.get(uid, [(0, 0)] * len(windows))
            out[uid] = [
                Total(w.period, w.label, g, t) for w, (g, t) in zip(windows, got, strict=True)
            ]
    return out


async def record_gains(
    boards: Boards, clock: Clock, events: EventSink, entries: Sequence[LedgerEntry]
) -> None:
    """Put the gainers' new totals on their boards; send rank.changed to overtaken friends.

    Call it after the transaction that wrote `entries` commits, with as many entries as there
    are (the `GainBatcher` hands it a batch). Boards are rebuildable, so a Redis failure here is
    logged and the gain stands.
    """
    moments = gains_by_player(entries)
    if not moments:
        return
    players = await load_players(boards, list(moments))
    moments = {pid: m for pid, m in moments.items() if pid in players}
    totals = await _totals(players, moments)
    writes = []
    for player_id, player_totals_now in totals.items():
        writes.extend(writes_for(boards, players[player_id], player_totals_now))
    weeks = {pid: next(t for t in ts if t.period == "week") for pid, ts in totals.items()}
    rivals = await _rivals(boards, players, moments, weeks)
    try:
        overtaken = await _apply(boards, writes, rivals, clock.now())
    except RedisError as exc:
        log.warning("leaderboard update failed; a rebuild will repair it", error=str(exc))
        return
    if overtaken:
        async with in_transaction() as conn:
            for friend_id, data in overtaken:
                await events.publish(conn, friend_id, "rank.changed", data)


class GainBatcher:
    """Gains committed in this process, put on the boards together a moment later.

    A collect or a steal only hands its ledger rows over after its commit; one background pass
    every `window` seconds (or as soon as `MAX_BATCH` rows wait) reads the totals of every
    gaining player in one query per calendar, their friends in one query, and writes the boards
    in one Redis round trip (docs/leaderboards.md#updates-batched-and-self-healing). A board read
    in this process flushes first, so a player always sees their own gain. With a window of 0
    each commit's gains go straight to `record_gains`, as before batching.
    """

    MAX_BATCH = 2_000

    def __init__(self, boards: Boards, clock: Clock, events: EventSink, window: float) -> None:
        self.boards, self.clock, self.events, self.window = boards, clock, events, window
        self.pending: list[LedgerEntry] = []
        # Rows ever queued and ever taken into a batch: a flush waits for what was queued when
        # it was called, not for gains that keep arriving meanwhile.
        self.queued = 0
        self.taken = 0
        boards.pending.flusher = self.flush
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def gathered(self, entries: Sequence[LedgerEntry]) -> None:
        """The reaction to gathered energy: queue it once the transaction commits."""
        if self.window > 0:
            after_commit(lambda: self.add(entries))
        else:
            await run_after_commit(
                lambda: record_gains(self.boards, self.clock, self.events, entries)
            )

    def add(self, entries: Sequence[LedgerEntry]) -> None:
        """Queue committed entries (called after the commit)."""
        self.pending.extend(entries)
        self.queued += len(entries)
        self.boards.pending.players.update(e.user_id for e in entries)
        if len(self.pending) >= self.MAX_BATCH:
            self._wake.set()

    async def flush(self) -> None:
        """Put every gain queued so far on the boards now."""
        goal = self.queued
        async with self._lock:
            while self.pending and self.taken < goal:
                batch, self.pending = self.pending[: self.MAX_BATCH], self.pending[self.MAX_BATCH :]
                self.taken += len(batch)
                try:
                    await record_gains(self.boards, self.clock, self.events, batch)
                except Exception as exc:  # committed gains: a failure is logged, never raised
                    log.warning("board batch failed; the next gain or a rebuild repairs it",
                                error=repr(exc))  # fmt: skip
                # Written (or given up): only players with gains still queued make reads wait.
                self.boards.pending.players = {e.user_id for e in self.pending}

    def start(self) -> None:
        """Run the background pass in this process's event loop."""
        if self._task is None and self.window > 0:
            self._task = asyncio.create_task(self._run(), name="board-gains")

    async def stop(self) -> None:
        """Stop the background pass, then flush what is queued."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.window):
                    await self._wake.wait()
            self._wake.clear()
            await self.flush()


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
