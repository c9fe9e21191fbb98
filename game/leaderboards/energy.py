"""Energy boards: gathered energy (collect, steal, watering received) by period and scope.

The ledger is the record of truth. After a gain commits, the gaining players' totals for each
live board are read back from the ledger and written as absolute scores (ZADD GT), so a lost,
repeated or reordered update heals itself on the next one and a rebuild can race live traffic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from tortoise.expressions import Q
from tortoise.functions import Max, Sum

from app.auth.models import User
from game.energy.ledger import GATHERING_KINDS
from game.energy.models import LedgerEntry
from game.leaderboards.boards import Board, Write
from game.leaderboards.periods import PERIODS, Period, board_bounds, label_of, local_bounds

Scope = Literal["global", "region", "friends"]
SCOPES: tuple[Scope, ...] = ("global", "region", "friends")
BOARD_NAME = "energy"


@dataclass(frozen=True)
class Boards:
    """Where boards live: the Redis client, the key prefix, how long finished periods stay."""

    redis: Redis
    prefix: str
    grace: timedelta
    default_tz: ZoneInfo

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


def epoch_seconds(moment: datetime | str | None) -> int:
    """Whole epoch seconds of a stored timestamp (SQLite may hand back text)."""
    if moment is None:
        return 0
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return math.floor(moment.timestamp())


def period_filters(player_tz: ZoneInfo, moment: datetime) -> dict[Period, tuple[str, Q | None]]:
    """For each period, its label at `moment` on the player's calendar and the ledger filter."""
    filters: dict[Period, tuple[str, Q | None]] = {}
    for period in PERIODS:
        label = label_of(period, moment, player_tz)
        if period == "all":
            filters[period] = (label, None)
            continue
        start, end = local_bounds(period, label, player_tz)
        filters[period] = (label, Q(created_at__gte=start, created_at__lt=end))
    return filters


def total_aggregates(filters: dict[Period, tuple[str, Q | None]]) -> dict[str, Any]:
    """SUM and MAX(created_at) per period, as conditional aggregates of one query."""
    aggregates: dict[str, Any] = {}
    for period, (_, where) in filters.items():
        aggregates[f"{period}_g"] = Sum("delta", _filter=where) if where else Sum("delta")
        aggregates[f"{period}_t"] = Max("created_at", _filter=where) if where else Max("created_at")
    return aggregates


def totals_from_row(
    filters: dict[Period, tuple[str, Q | None]], row: dict[str, Any]
) -> list[Total]:
    """Read one aggregate row back into totals."""
    return [
        Total(period, label, int(row[f"{period}_g"] or 0), epoch_seconds(row[f"{period}_t"]))
        for period, (label, _) in filters.items()
    ]


async def player_totals(player: Player, moment: datetime) -> list[Total]:
    """A player's gathered totals in the periods current at `moment`, from the ledger."""
    filters = period_filters(player.tz, moment)
    rows = (
        await LedgerEntry.filter(user_id=player.id, kind__in=list(GATHERING_KINDS))
        .annotate(**total_aggregates(filters))
        .values(*(f"{p}_{x}" for p in filters for x in "gt"))
    )
    return totals_from_row(filters, rows[0]) if rows else []


async def load_players(boards: Boards, ids: Sequence[int]) -> dict[int, Player]:
    """Time zone and region of each player."""
    rows = await User.filter(id__in=list(ids)).values_list("id", "timezone", "region")
    return {
        int(uid): Player(int(uid), ZoneInfo(tz) if tz else boards.default_tz, str(region))
        for uid, tz, region in cast(list[tuple[int, str, str]], rows)
    }
