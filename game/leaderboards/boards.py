"""A general leaderboard on one Redis sorted set, reused by energy, campaign and team boards.

A board ranks members by an integer score; ties go to whoever reached the score first. Both are
packed into the sorted-set score (a double, exact for integers below 2**53), so ZREVRANGE gives
the final order with no second lookup:

    packed = score * 2**time_bits + (2**time_bits - 1 - seconds_since_origin)

`time_bits` is chosen from the board's time span, leaving `53 - time_bits` bits for the score.
Above that score the tie-break part is dropped (members then tie by id) but the score stays
exact. Scores only ever grow, so writes use ZADD GT: concurrent or replayed writes of absolute
values merge to the newest truth in any order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import hiredis
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.cluster import RedisCluster

MANTISSA_BITS = 53
# Members with equal packed scores come back from ZREVRANGE in reverse byte order of member.
AROUND_SCRIPT = """
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
local card = redis.call('ZCARD', KEYS[1])
local limit = tonumber(ARGV[2])
-- Not on the board: show its bottom, where the viewer would enter.
local start = card - limit
if rank then start = rank - math.floor((limit - 1) / 2) end
if start + limit > card then start = card - limit end
if start < 0 then start = 0 end
local rows = redis.call('ZREVRANGE', KEYS[1], start, start + limit - 1, 'WITHSCORES')
return {rank or -1, start, card, rows}
"""


@dataclass(frozen=True)
class Board:
    """One sorted set: its key, the origin of its reached-at clock and its time resolution."""

    key: str
    origin: int
    time_bits: int
    expires_at: int | None = None

    @classmethod
    def spanning(
        cls, key: str, start: datetime, end: datetime, expires_at: datetime | None = None
    ) -> Board:
        """A board whose scores are reached between `start` and `end` (a period, a campaign)."""
        origin = math.floor(start.timestamp())
        span = max(1, math.ceil(end.timestamp()) - origin)
        bits = max(1, span.bit_length())
        expiry = math.ceil(expires_at.timestamp()) if expires_at is not None else None
        return cls(key=key, origin=origin, time_bits=bits, expires_at=expiry)

    @property
    def exact_scores_below(self) -> int:
        """Scores below this keep their reached-first tie-break."""
        return 1 << (MANTISSA_BITS - self.time_bits)

    def packed(self, score: int, reached_at: int) -> int:
        """The sorted-set score for `score` reached at epoch second `reached_at`, as an integer."""
        if score >= self.exact_scores_below:
            return score << self.time_bits
        top = (1 << self.time_bits) - 1
        offset = min(max(reached_at - self.origin, 0), top)
        return (score << self.time_bits) + top - offset

    def pack(self, score: int, reached_at: int) -> float:
        """The sorted-set score as Redis holds it (a double, exact by construction)."""
        return float(self.packed(score, reached_at))

    def unpack(self, packed: float) -> int:
        """The score from a packed sorted-set score."""
        return int(packed) >> self.time_bits


@dataclass(frozen=True)
class Standing:
    """A member's place on a board: rank counts from 1, score is unpacked."""

    member: str
    rank: int
    score: int


@dataclass(frozen=True)
class Write:
    """Set a member's absolute score on a board, reached at an epoch second."""

    board: Board
    member: str
    score: int
    reached_at: int


@dataclass(frozen=True)
class BoardPage:
    """A slice of a board, the viewer's own standing, and the offset of the next slice."""

    entries: list[Standing]
    me: Standing | None
    next_offset: int | None


def _standings(board: Board, rows: Sequence[tuple[str, float]], first_rank: int) -> list[Standing]:
    return [
        Standing(member=str(m), rank=first_rank + i, score=board.unpack(s))
        for i, (m, s) in enumerate(rows)
    ]


def queue_writes(pipe: Pipeline, writes: Iterable[Write], now: datetime) -> int:
    """Queue absolute scores on a pipeline (one ZADD GT per board); returns commands queued."""
    by_key: dict[str, tuple[Board, dict[str, float]]] = {}
    for w in writes:
        _, mapping = by_key.setdefault(w.board.key, (w.board, {}))
        packed = w.board.pack(w.score, w.reached_at)
        mapping[w.member] = max(packed, mapping.get(w.member, packed))
    queued = 0
    for key, (board, mapping) in by_key.items():
        pipe.zadd(key, mapping, gt=True)
        queued += 1
        if board.expires_at is not None:
            # Relative to the injected clock, so a board's life follows game time.
            pipe.expire(key, max(1, board.expires_at - math.floor(now.timestamp())))
            queued += 1
    return queued


async def write_scores(redis: Redis, writes: Iterable[Write], now: datetime) -> None:
    """Apply absolute scores in one round trip."""
    pipe = redis.pipeline(transaction=False)
    if queue_writes(pipe, writes, now):
        await pipe.execute()


async def send_commands(redis: Redis, commands: Sequence[tuple[str | int, ...]]) -> None:
    """Send many commands in one write on one connection and read every reply (bulk loads).

    hiredis packs them in C; redis-py's own packer costs microseconds per argument, which would
    dominate loading millions of members.
    """
    if not commands:
        return
    if isinstance(redis, RedisCluster):
        # A cluster spreads the boards over nodes: its pipeline sends each node its share.
        pipe = redis.pipeline(transaction=False)
        for command in commands:
            pipe.execute_command(*command)
        await pipe.execute()
        return
    payload = b"".join(hiredis.pack_command(cast(Any, command)) for command in commands)
    pool = redis.connection_pool
    conn = await pool.get_connection()  # type: ignore[no-untyped-call]
    try:
        await conn.send_packed_command(payload, check_health=False)
        for _ in commands:
            await conn.read_response()
    except BaseException:
        # Replies may be left unread on the socket: never hand it back to the pool like that.
        await conn.disconnect()
        raise
    finally:
        await pool.release(conn)


async def read_page(
    redis: Redis, board: Board, me: str, offset: int, limit: int, marker: str
) -> tuple[BoardPage, bool]:
    """`limit` entries from `offset`, my standing, and whether `marker` exists; one round trip."""
    pipe = redis.pipeline(transaction=False)
    pipe.zrevrange(board.key, offset, offset + limit, withscores=True)
    pipe.zrevrank(board.key, me)
    pipe.zscore(board.key, me)
    pipe.exists(marker)
    rows, rank, packed, built = await pipe.execute()
    entries = _standings(board, rows[:limit], offset + 1)
    mine = None if rank is None else Standing(me, int(rank) + 1, board.unpack(packed))
    next_offset = offset + limit if len(rows) > limit else None
    return BoardPage(entries, mine, next_offset), bool(built)


async def read_around(
    redis: Redis, board: Board, me: str, limit: int, marker: str
) -> tuple[BoardPage, bool]:
    """A window of `limit` entries with me in the middle (shifted at the top and bottom)."""
    pipe = redis.pipeline(transaction=False)
    pipe.eval(AROUND_SCRIPT, 1, board.key, me, limit)
    pipe.exists(marker)
    (rank, start, card, flat), built = await pipe.execute()
    rows = [(str(flat[i]), float(flat[i + 1])) for i in range(0, len(flat), 2)]
    entries = _standings(board, rows, int(start) + 1)
    mine = None
    if int(rank) >= 0:
        mine = next(e for e in entries if e.member == me)
    end = int(start) + len(rows)
    return BoardPage(entries, mine, end if end < int(card) else None), bool(built)


async def read_members(
    redis: Redis,
    board: Board,
    members: Sequence[str],
    me: str,
    offset: int,
    limit: int,
    marker: str,
    around: bool = False,
) -> tuple[BoardPage, bool]:
    """A board of just these members (friends), ranked locally from one ZMSCORE round trip."""
    pipe = redis.pipeline(transaction=False)
    pipe.zmscore(board.key, list(members))
    pipe.exists(marker)
    scores, built = await pipe.execute()
    scored = [(m, s) for m, s in zip(members, scores, strict=True) if s is not None]
    # The same order as ZREVRANGE: packed score, then member bytes, both descending.
    scored.sort(key=lambda row: (row[1], row[0].encode()), reverse=True)
    ranked = _standings(board, scored, 1)
    mine = next((s for s in ranked if s.member == me), None)
    if around:
        start = len(ranked) - limit if mine is None else mine.rank - 1 - (limit - 1) // 2
        offset = max(0, min(start, len(ranked) - limit))
    window = ranked[offset : offset + limit]
    next_offset = offset + limit if offset + limit < len(ranked) else None
    return BoardPage(window, mine, next_offset), bool(built)
