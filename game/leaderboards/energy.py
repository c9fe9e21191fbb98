"""Energy boards: gathered energy (collect, steal, watering received) by period and scope.

The ledger is the record of truth. After a gain commits, the gaining players' totals for each
live board are read back from the ledger and written as absolute scores (ZADD GT), so a lost,
repeated or reordered update heals itself on the next one and a rebuild can race live traffic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, cast
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from core.settings import Settings
from core.users import User
from game.leaderboards.boards import Board, Write
from game.leaderboards.names import NameCache
from game.leaderboards.periods import Period, board_bounds
from game.leaderboards.totals import gathered, windows_at

Scope = Literal["global", "region", "friends"]
SCOPES: tuple[Scope, ...] = ("global", "region", "friends")
BOARD_NAME = "energy"


class PendingGains:
    """Gains committed in this process but not yet on the boards; a player's read flushes them
    first when the player has one waiting (nobody else's make them wait)."""

    def __init__(self) -> None:
        self.flusher: Callable[[], Awaitable[None]] | None = None
        self.players: set[int] = set()

    async def flush(self) -> None:
        """Put every queued gain on the boards (nothing to do without a batcher)."""
        if self.flusher is not None:
            await self.flusher()

    async def flush_for(self, player_id: int) -> None:
        """Put queued gains on the boards if this player has one waiting."""
        if player_id in self.players:
            await self.flush()


@dataclass(frozen=True)
class Boards:
    """Where boards live: the Redis client, the key prefix, how long finished periods stay."""

    redis: Redis
    prefix: str
    grace: timedelta
    default_tz: ZoneInfo
    names: NameCache = field(default_factory=NameCache)
    pending: PendingGains = field(default_factory=PendingGains)

    @classmethod
    def from_settings(cls, settings: Settings, redis: Redis) -> Boards:
        """Boards under the Redis prefix, finished periods kept for the grace (settings)."""
        return cls(
            redis=redis,
            prefix=settings.redis_prefix,
            grace=timedelta(seconds=settings.leaderboard_grace_seconds),
            default_tz=settings.tz,
        )

    def key(self, name: str) -> str:
        """A board key; the braces are a Redis Cluster hash tag, one slot per board."""
        return f"{self.prefix}lb:{{{name}}}"

    @property
    def built_marker(self) -> str:
        """Set after a rebuild; its absence means Redis lost the boards."""
        return f"{self.prefix}lb:{{meta}}:built"

    @property
    def rebuild_lock(self) -> str:
        """Held by the one process rebuilding."""
        return f"{self.prefix}lb:{{meta}}:rebuilding"


@dataclass(frozen=True)
class Player:
    """What boards need to know of a player."""

    id: int
    tz: ZoneInfo
    region: str


@dataclass(frozen=True)
class Total:
    """A player's gathered grams in one period and the second the last of them arrived."""

    period: Period
    label: str
    grams: int
    reached_at: int


def energy_board(boards: Boards, period: Period, label: str, region: str | None = None) -> Board:
    """The board of a period (global, or of one region)."""
    scope = "global" if region is None else f"region:{region}"
    start, end = board_bounds(period, label)
    expires = None if period == "all" else end + boards.grace
    return Board.spanning(boards.key(f"{BOARD_NAME}:{period}:{label}:{scope}"), start, end, expires)


def writes_for(boards: Boards, player: Player, totals: Iterable[Total]) -> list[Write]:
    """The board writes that put a player's totals on their global and region boards."""
    writes = []
    for total in totals:
        if total.grams <= 0:
            continue
        regions: list[str | None] = [None, player.region] if player.region else [None]
        for region in regions:
            board = energy_board(boards, total.period, total.label, region)
            writes.append(Write(board, str(player.id), total.grams, total.reached_at))
    return writes


async def player_totals(player: Player, moment: datetime) -> list[Total]:
    """A player's gathered totals in the periods current at `moment`, from the ledger."""
    windows = windows_at(moment, player.tz)
    rows = await gathered(windows, user_ids=(player.id, player.id))
    sums = rows[0][1] if rows else [(0, 0)] * len(windows)
    return [Total(w.period, w.label, g, t) for w, (g, t) in zip(windows, sums, strict=True)]


async def load_players(boards: Boards, ids: Sequence[int]) -> dict[int, Player]:
    """Time zone and region of each player."""
    rows = await User.filter(id__in=list(ids)).values_list("id", "timezone", "region")
    return {
        int(uid): Player(int(uid), ZoneInfo(tz) if tz else boards.default_tz, str(region))
        for uid, tz, region in cast(list[tuple[int, str, str]], rows)
    }
