"""Gathered energy per player and period, aggregated in SQL from the ledger.

One query serves both the live path (one player, after a gain) and the rebuild (a chunk of
players sharing a time zone), so a board written live and a board rebuilt hold the same numbers
to the second. It is plain SQL rather than the ORM because a rebuild reads a million rows and
the ORM's per-value conversion would dominate; timestamps come back as epoch seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tortoise import connections

from game.energy.ledger import GATHERING_KINDS
from game.leaderboards.periods import PERIODS, Period, label_of, local_bounds


@dataclass(frozen=True)
class Window:
    """A period on one calendar; lifetime has no bounds."""

    period: Period
    label: str
    start: datetime | None = None
    end: datetime | None = None


def window(period: Period, label: str, tz: tzinfo) -> Window:
    """The window of a labelled period on a calendar."""
    if period == "all":
        return Window(period, label)
    start, end = local_bounds(period, label, tz)
    return Window(period, label, start, end)


def windows_at(moment: datetime, tz: tzinfo) -> list[Window]:
    """The periods current at a moment on a calendar: all time, its week, its month."""
    return [window(p, label_of(p, moment, tz), tz) for p in PERIODS]


class _Sql:
    """Placeholders and epoch extraction in the database's own dialect."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgres"
        self.values: list[Any] = []

    def param(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"

    def epoch(self, expression: str) -> str:
        if self.postgres:
            return f"FLOOR(EXTRACT(EPOCH FROM {expression}))::bigint"
        return f"CAST(strftime('%s', {expression}) AS INTEGER)"


def _columns(sql: _Sql, windows: Sequence[Window]) -> list[str]:
    columns = []
    for w in windows:
        if w.start is None:
            columns += ["SUM(l.delta)", sql.epoch("MAX(l.created_at)")]
            continue
        # Each use binds its own parameters: SQLite's `?` cannot be referred to twice.
        inside = [
            f"l.created_at >= {sql.param(w.start)} AND l.created_at < {sql.param(w.end)}"
            for _ in range(2)
        ]
        columns += [
            f"SUM(CASE WHEN {inside[0]} THEN l.delta END)",
            sql.epoch(f"MAX(CASE WHEN {inside[1]} THEN l.created_at END)"),
        ]
    return columns


Row = tuple[int, list[tuple[int, int]]]


async def gathered(
    windows: Sequence[Window],
    *,
    user_ids: tuple[int, int] | None = None,
    timezone: str | None = None,
    members: Sequence[int] = (),
) -> list[Row]:
    """(user id, [(grams, reached at epoch second) per window]) for players in an id range
    (`user_ids`, the rebuild) or a list of players (`members`, a batch of live gains)."""
    conn = connections.get("default")
    sql = _Sql(conn.capabilities.dialect)
    columns = _columns(sql, windows)
    kinds = ", ".join(sql.param(k) for k in sorted(GATHERING_KINDS))
    where = [f"l.kind IN ({kinds})"]
    if user_ids is not None:
        where.append(f"l.user_id BETWEEN {sql.param(user_ids[0])} AND {sql.param(user_ids[1])}")
    else:
        where.append(f"l.user_id IN ({', '.join(sql.param(int(m)) for m in members)})")
    join = ""
    if timezone is not None and user_ids is not None:
        join = "JOIN users u ON u.id = l.user_id"
        # The id range on users too, or the planner hashes every player for each chunk.
        where.append(f"u.timezone = {sql.param(timezone)}")
        where.append(f"u.id BETWEEN {sql.param(user_ids[0])} AND {sql.param(user_ids[1])}")
    query = (
        f"SELECT l.user_id, {', '.join(columns)} FROM energy_ledger l {join} "  # noqa: S608
        f"WHERE {' AND '.join(where)} GROUP BY l.user_id"
    )
    _, rows = await conn.execute_query(query, sql.values)
    return [
        (int(r[0]), [(int(r[1 + 2 * i] or 0), int(r[2 + 2 * i] or 0)) for i in range(len(windows))])
        for r in rows
    ]
