"""Count boards: players ranked by a count of acts (kindness), rebuilt from the database.

The count is a database row (`board_counts`) raised by the rule that does the act, inside its
transaction (`count_up`), so it exists exactly when the act does. After the commit the new count
is written to the board as an absolute score (`record_counts`, ZADD GT), the way energy boards
are: a lost or repeated write heals with the next one, and `rebuild_count_board` puts the whole
board back from the rows when Redis has lost it. Lifetime only, global (friends read it too).
See docs/leaderboards.md#count-boards.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import cast

import structlog
from redis.exceptions import RedisError
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from game.leaderboards.boards import Board, Write, send_commands, write_scores
from game.leaderboards.energy import Boards
from game.leaderboards.models import BoardCount
from game.leaderboards.periods import LIFETIME_END, LIFETIME_ORIGIN
from game.leaderboards.rebuild import LOCK_SECONDS, RELEASE_SCRIPT, STAGING_SUFFIX, RebuildRunning

log = structlog.get_logger("greenspark.leaderboards")

KINDNESS = "kindness"
COUNT_BOARDS = (KINDNESS,)
_CHUNK = 10_000
# Counts raised this long before a rebuild started are re-read after the swap.
_CATCH_UP = timedelta(minutes=5)


def count_board(boards: Boards, name: str) -> Board:
    """The lifetime board of a count (`gs:lb:{kindness:all:all:global}`)."""
    return Board.spanning(boards.key(f"{name}:all:all:global"), LIFETIME_ORIGIN, LIFETIME_END)


def count_marker(boards: Boards, name: str) -> str:
    """Set after a rebuild of this count board; its absence means Redis lost the board."""
    return f"{boards.prefix}lb:{{meta}}:built:{name}"


async def count_up(conn: BaseDBAsyncClient, name: str, user_id: int, at: datetime) -> None:
    """Add one to a player's count, inside the transaction of the act it counts."""
    await BoardCount.bulk_create(
        [BoardCount(board=name, user_id=user_id, count=0, reached_at=at)],
        ignore_conflicts=True,
        using_db=conn,
    )
    await (
        BoardCount.filter(board=name, user_id=user_id)
        .using_db(conn)
        .update(count=F("count") + 1, reached_at=at)
    )


async def count_of(name: str, user_id: int) -> int:
    """A player's count (0 before their first)."""
    rows = await BoardCount.filter(board=name, user_id=user_id).values_list("count", flat=True)
    return int(cast(list[int], rows)[0]) if rows else 0


def _writes(board: Board, rows: Iterable[tuple[int, int, datetime]]) -> list[Write]:
    return [Write(board, str(uid), int(n), int(at.timestamp())) for uid, n, at in rows if n > 0]


async def record_counts(boards: Boards, clock: Clock, name: str, user_ids: Iterable[int]) -> None:
    """Put these players' counts on the board; call after the commit. Redis errors are logged."""
    rows = await BoardCount.filter(board=name, user_id__in=list(user_ids)).values_list(
        "user_id", "count", "reached_at"
    )
    writes = _writes(count_board(boards, name), cast(list[tuple[int, int, datetime]], rows))
    try:
        await write_scores(boards.redis, writes, clock.now())
    except RedisError as exc:
        log.warning("count board update failed; a rebuild will repair it", error=str(exc))


async def rebuild_count_board(boards: Boards, clock: Clock, name: str) -> int:
    """Rebuild one count board from its rows; returns how many players are on it."""
    lock, token = f"{boards.prefix}lb:{{meta}}:rebuilding:{name}", uuid.uuid4().hex
    if not await boards.redis.set(lock, token, nx=True, ex=LOCK_SECONDS):
        raise RebuildRunning()
    try:
        started = clock.now()
        board = count_board(boards, name)
        staging = board.key + STAGING_SUFFIX
        commands: list[tuple[str | int, ...]] = [("DEL", staging)]
        members, last = 0, 0
        while True:
            rows = cast(
                list[tuple[int, int, int, datetime]],
                await BoardCount.filter(board=name, id__gt=last, count__gt=0)
                .order_by("id")
                .limit(_CHUNK)
                .values_list("id", "user_id", "count", "reached_at"),
            )
            if not rows:
                break
            last, members = int(rows[-1][0]), members + len(rows)
            flat: list[str | int] = []
            for _, user_id, count, at in rows:
                flat += [board.packed(int(count), int(at.timestamp())), str(user_id)]
            commands.append(("ZADD", staging, *flat))
        await send_commands(boards.redis, commands)
        if members:
            await boards.redis.rename(staging, board.key)
        else:
            await boards.redis.delete(board.key)
        recent = await BoardCount.filter(board=name, reached_at__gte=started - _CATCH_UP)
        await record_counts(boards, clock, name, [r.user_id for r in recent])
        await boards.redis.set(count_marker(boards, name), started.isoformat())
        return members
    finally:
        await boards.redis.eval(RELEASE_SCRIPT, 1, lock, token)


async def ensure_count_built(boards: Boards, clock: Clock, name: str, wait: float = 60.0) -> None:
    """Rebuild a count board if Redis has lost it; if another process is at it, wait for it."""
    marker = count_marker(boards, name)
    if await boards.redis.exists(marker):
        return
    try:
        await rebuild_count_board(boards, clock, name)
        return
    except RebuildRunning:
        pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        # Real time, not game time: this waits for another process to finish its work.
        await asyncio.sleep(0.05)
        if await boards.redis.exists(marker):
            return
