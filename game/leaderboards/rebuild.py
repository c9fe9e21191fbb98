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
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from redis.asyncio.client import Pipeline
from tortoise.expressions import Q
from tortoise.functions import Max, Sum

from app.auth.models import User
from game.clock import Clock
from game.energy.ledger import GATHERING_KINDS
from game.energy.models import LedgerEntry
from game.errors import Conflict
from game.leaderboards.boards import Board, queue_writes
from game.leaderboards.energy import (
    Boards,
    Player,
    Total,
    energy_board,
    epoch_seconds,
    load_players,
    player_totals,
    writes_for,
)
from game.leaderboards.periods import PERIODS, Period, live_labels, local_bounds

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


class Staging:
    """Board scores gathered for staging keys, flushed to Redis in batches."""

    def __init__(self, boards: Boards, pipe: Pipeline) -> None:
        self.boards = boards
        self.pipe = pipe
        self.cache: dict[tuple[Period, str, str | None], Board] = {}
        self.pending: dict[str, dict[str, float]] = defaultdict(dict)
        self.live: dict[str, Board] = {}
        self.scores = 0
        self.queued = 0

    def board(self, period: Period, label: str, region: str | None) -> Board:
        """The live board, built once per rebuild."""
        found = self.cache.get((period, label, region))
        if found is None:
            found = energy_board(self.boards, period, label, region)
            self.cache[(period, label, region)] = found
        return found

    def add(self, player: Player, totals: list[Total]) -> None:
        """Stage a player's totals on their global and region boards."""
        member = str(player.id)
        for total in totals:
            if total.grams <= 0:
                continue
            for region in (None, player.region) if player.region else (None,):
                board = self.board(total.period, total.label, region)
                if board.key not in self.live:
                    # A staging key left by an interrupted rebuild must not leak into this one.
                    self.pipe.delete(board.key + STAGING_SUFFIX)
                    self.live[board.key] = board
                mapping = self.pending[board.key + STAGING_SUFFIX]
                mapping[member] = board.pack(total.grams, total.reached_at)
                self.scores += 1
                if len(mapping) >= ZADD_BATCH:
                    self.pipe.zadd(board.key + STAGING_SUFFIX, mapping)
                    self.queued += 1
                    mapping.clear()

    async def flush(self) -> None:
        """Send everything staged so far."""
        for key, mapping in self.pending.items():
            if mapping:
                self.pipe.zadd(key, mapping)
                self.queued += 1
        self.pending.clear()
        if self.queued:
            await self.pipe.execute()
            self.queued = 0


async def _player_chunks(boards: Boards) -> AsyncIterator[list[tuple[Player, str]]]:
    """Every player with their raw time zone text, in chunks by id."""
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
        yield [
            (Player(int(i), ZoneInfo(tz) if tz else boards.default_tz, str(r)), str(tz))
            for i, tz, r in rows
        ]
        last = int(rows[-1][0])


def _label_filters(tz: ZoneInfo, labels: Labels) -> list[tuple[Period, str, Q | None]]:
    filters: list[tuple[Period, str, Q | None]] = []
    for period in PERIODS:
        for label in labels[period]:
            if period == "all":
                filters.append((period, label, None))
                continue
            start, end = local_bounds(period, label, tz)
            filters.append((period, label, Q(created_at__gte=start, created_at__lt=end)))
    return filters


async def _chunk_totals(chunk: list[tuple[Player, str]], labels: Labels) -> dict[int, list[Total]]:
    """Totals of a chunk of players for every live period, one query per time zone in it."""
    by_tz: dict[str, list[Player]] = defaultdict(list)
    for player, tz_text in chunk:
        by_tz[tz_text].append(player)
    lo, hi = chunk[0][0].id, chunk[-1][0].id
    totals: dict[int, list[Total]] = {}
    for tz_text, members in by_tz.items():
        filters = _label_filters(members[0].tz, labels)
        aggregates: dict[str, Any] = {}
        for i, (_, _, where) in enumerate(filters):
            aggregates[f"g{i}"] = Sum("delta", _filter=where) if where else Sum("delta")
            aggregates[f"t{i}"] = Max("created_at", _filter=where) if where else Max("created_at")
        query = LedgerEntry.filter(
            user_id__gte=lo, user_id__lte=hi, user__timezone=tz_text, kind__in=list(GATHERING_KINDS)
        )
        names = [n for i in range(len(filters)) for n in (f"g{i}", f"t{i}")]
        rows = await query.annotate(**aggregates).group_by("user_id").values_list("user_id", *names)
        for row in rows:
            totals[int(row[0])] = [
                Total(period, label, int(row[1 + 2 * i] or 0), epoch_seconds(row[2 + 2 * i]))
                for i, (period, label, _) in enumerate(filters)
            ]
    return totals


async def _swap(
    boards: Boards, staging: Staging, labels: Labels, regions: set[str], now: datetime
) -> None:
    """Rename staging keys over live ones; drop live boards of these periods left with nobody."""
    pipe = boards.redis.pipeline(transaction=False)
    for key, board in staging.live.items():
        if board.expires_at is not None:
            # Relative to the injected clock, as live writes do.
            pipe.expire(key + STAGING_SUFFIX, max(1, board.expires_at - int(now.timestamp())))
        pipe.rename(key + STAGING_SUFFIX, key)
    for period in PERIODS:
        for label in labels[period]:
            for region in (None, *sorted(regions)):
                key = staging.board(period, label, region).key
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
        moment = datetime.fromtimestamp(epoch_seconds(last), tz=UTC)
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
    staging = Staging(boards, boards.redis.pipeline(transaction=False))
    players, regions = 0, set()
    async for chunk in _player_chunks(boards):
        totals = await _chunk_totals(chunk, labels)
        for player, _ in chunk:
            if player.region:
                regions.add(player.region)
            staging.add(player, totals.get(player.id, []))
        players += len(chunk)
        await staging.flush()
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
