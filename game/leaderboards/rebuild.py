"""Rebuild every energy board from the ledger, and notice when Redis has lost them.

A rebuild aggregates the ledger in SQL, chunk by chunk of players, writes each board into a
staging key next to it (same hash tag, so same cluster slot), then renames the staging keys over
the live ones. Live gains keep writing absolute scores meanwhile; the few that land on a live key
just before its rename are put back by a catch-up pass over the players who gained since the
rebuild started. A marker key records that the boards are complete: when Redis is flushed or
restarted empty the marker is gone, and the next read rebuilds before it answers.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from tortoise.functions import Max

from core.clock import Clock
from core.errors import Conflict
from core.users import User
from game.energy.ledger import GATHERING_KINDS
from game.energy.models import LedgerEntry
from game.leaderboards.boards import Board, queue_writes, send_commands
from game.leaderboards.energy import (
    Boards,
    energy_board,
    load_players,
    player_totals,
    writes_for,
)
from game.leaderboards.periods import PERIODS, Period, live_labels
from game.leaderboards.totals import Row, Window, gathered, window

CHUNK_PLAYERS = 20_000
ZADD_BATCH = 10_000
STAGING_SUFFIX = ":rebuild"
LOCK_SECONDS = 900
# Gains made this long before a rebuild started are re-read after the swap.
CATCH_UP_MARGIN = timedelta(minutes=5)
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RebuildRunning(Conflict):
    """Another process is rebuilding the boards right now."""

    code = "leaderboard-rebuild-running"
    title = "A leaderboard rebuild is already running"


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild did."""

    players: int
    scores: int
    boards: int
    seconds: float


Labels = dict[Period, list[str]]
Target = tuple[Board, list[int | str]]


class Staging:
    """Scores gathered for staging keys, sent to Redis in bulk after each chunk of players."""

    def __init__(self, boards: Boards) -> None:
        self.boards = boards
        self.targets: dict[tuple[Period, str, str | None], Target] = {}
        self.live: dict[str, Board] = {}
        self.commands: list[tuple[str | int, ...]] = []
        self.scores = 0

    def target(self, period: Period, label: str, region: str | None) -> Target:
        """A board and the flat [score, member, …] list staged for it, made once per rebuild."""
        found = self.targets.get((period, label, region))
        if found is None:
            board = energy_board(self.boards, period, label, region)
            # A staging key left by an interrupted rebuild must not leak into this one.
            self.commands.append(("DEL", board.key + STAGING_SUFFIX))
            found = self.targets[(period, label, region)] = (board, [])
        return found

    def add(self, windows: list[Window], rows: list[Row], regions: dict[int, str]) -> None:
        """Stage a chunk's totals on the global board and the player's region board."""
        globals_ = [self.target(w.period, w.label, None) for w in windows]
        for user_id, sums in rows:
            member, region = str(user_id), regions[user_id]
            for w, (board, args), (grams, reached) in zip(windows, globals_, sums, strict=True):
                if grams <= 0:
                    continue
                packed = board.packed(grams, reached)
                args += (packed, member)
                if region:
                    self.target(w.period, w.label, region)[1].extend((packed, member))
                self.scores += 1 + bool(region)

    async def flush(self) -> None:
        """Send everything staged so far in ZADDs of at most ZADD_BATCH members."""
        for board, args in self.targets.values():
            if args:
                self.live[board.key] = board
            for start in range(0, len(args), 2 * ZADD_BATCH):
                chunk = args[start : start + 2 * ZADD_BATCH]
                self.commands.append(("ZADD", board.key + STAGING_SUFFIX, *chunk))
            args.clear()
        await send_commands(self.boards.redis, self.commands)
        self.commands = []


async def _player_chunks() -> AsyncIterator[list[tuple[int, str, str]]]:
    """(id, time zone, region) of every player, in chunks by id."""
    last = 0
    while True:
        rows = cast(
            list[tuple[int, str, str]],
            await User.filter(id__gt=last)
            .order_by("id")
            .limit(CHUNK_PLAYERS)
            .values_list("id", "timezone", "region"),
        )
        if not rows:
            return
        yield rows
        last = int(rows[-1][0])


async def _stage_chunk(
    boards: Boards, staging: Staging, chunk: list[tuple[int, str, str]], labels: Labels
) -> None:
    """Aggregate a chunk's ledger, one query per time zone in it, and stage the totals."""
    regions = {int(i): str(r) for i, _, r in chunk}
    span = (int(chunk[0][0]), int(chunk[-1][0]))
    for tz_name in sorted({str(tz) for _, tz, _ in chunk}):
        tz = ZoneInfo(tz_name) if tz_name else boards.default_tz
        windows = [window(p, label, tz) for p in PERIODS for label in labels[p]]
        rows = await gathered(windows, user_ids=span, timezone=tz_name)
        staging.add(windows, rows, regions)
    await staging.flush()


async def _swap(
    boards: Boards, staging: Staging, labels: Labels, regions: set[str], now: datetime
) -> None:
    """Rename staging keys over live ones; drop live boards of these periods left with nobody."""
    pipe = boards.redis.pipeline(transaction=False)
    for key, board in staging.live.items():
        if board.expires_at is not None:
            # Relative to the injected clock, as live writes do.
            pipe.expire(key + STAGING_SUFFIX, max(1, board.expires_at - int(now.timestamp())))
        # Not `pipe.rename`: redis-py refuses RENAME in a cluster pipeline for fear of two
        # slots, but a staging key shares its board's hash tag (docs/scaling.md#redis-cluster).
        pipe.execute_command("RENAME", key + STAGING_SUFFIX, key)
    for period in PERIODS:
        for label in labels[period]:
            for region in (None, *sorted(regions)):
                key = energy_board(boards, period, label, region).key
                if key not in staging.live:
                    pipe.delete(key)
    await pipe.execute()


async def _catch_up(boards: Boards, clock: Clock, since: datetime) -> None:
    """Re-read the players who gained since `since`: their live writes may predate the swap."""
    rows = cast(
        list[tuple[int, Any]],
        await LedgerEntry.filter(created_at__gte=since, kind__in=list(GATHERING_KINDS))
        .annotate(last=Max("created_at"))
        .group_by("user_id")
        .values_list("user_id", "last"),
    )
    if not rows:
        return
    players = await load_players(boards, [int(r[0]) for r in rows])
    writes = []
    for user_id, last in rows:
        moment = datetime.fromisoformat(last) if isinstance(last, str) else last
        player = players[int(user_id)]
        writes.extend(writes_for(boards, player, await player_totals(player, moment)))
    pipe = boards.redis.pipeline(transaction=False)
    if queue_writes(pipe, writes, clock.now()):
        await pipe.execute()


async def rebuild_boards(boards: Boards, clock: Clock) -> RebuildReport:
    """Rebuild every live energy board from the ledger; refuses if another rebuild runs."""
    token = uuid.uuid4().hex
    if not await boards.redis.set(boards.rebuild_lock, token, nx=True, ex=LOCK_SECONDS):
        raise RebuildRunning()
    try:
        return await _rebuild(boards, clock)
    finally:
        await boards.redis.eval(RELEASE_SCRIPT, 1, boards.rebuild_lock, token)


async def _rebuild(boards: Boards, clock: Clock) -> RebuildReport:
    began, started = time.perf_counter(), clock.now()
    labels: Labels = {period: live_labels(period, started) for period in PERIODS}
    staging = Staging(boards)
    players, regions = 0, set[str]()
    async for chunk in _player_chunks():
        await _stage_chunk(boards, staging, chunk, labels)
        regions.update(str(r) for _, _, r in chunk if r)
        players += len(chunk)
    await _swap(boards, staging, labels, regions, clock.now())
    await _catch_up(boards, clock, started - CATCH_UP_MARGIN)
    await boards.redis.set(boards.built_marker, started.isoformat())
    return RebuildReport(players, staging.scores, len(staging.live), time.perf_counter() - began)


async def ensure_built(boards: Boards, clock: Clock, wait_seconds: float = 60.0) -> None:
    """Rebuild if Redis has lost the boards; if another process is at it, wait for it."""
    if await boards.redis.exists(boards.built_marker):
        return
    try:
        await rebuild_boards(boards, clock)
        return
    except RebuildRunning:
        pass
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        # Real time, not game time: this waits for another process to finish its work.
        await asyncio.sleep(0.05)
        if await boards.redis.exists(boards.built_marker):
            return
