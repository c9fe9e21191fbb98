"""Response shapes of the leaderboard endpoint."""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.paging import encode_cursor
from game.leaderboards.boards import Standing
from game.leaderboards.models import WeeklyResult
from game.leaderboards.reading import Leaderboard


class BoardEntryOut(msgspec.Struct):
    """One row of a board: rank from 1, ties broken by who reached the score first."""

    rank: int
    user_id: int
    username: str
    display_name: str
    score: int


class MyStandingOut(msgspec.Struct):
    """The caller's own place: rank is null when they are not on this board yet."""

    rank: int | None
    score: int


class LeaderboardOut(msgspec.Struct):
    """A page of a board; pass `next_cursor` as `cursor` for the next page."""

    board: str
    period: str
    scope: str
    label: str
    entries: list[BoardEntryOut]
    me: MyStandingOut
    next_cursor: str | None


def _entry(standing: Standing, names: dict[int, tuple[str, str]]) -> BoardEntryOut:
    user_id = int(standing.member)
    username, display_name = names.get(user_id, ("", ""))
    return BoardEntryOut(standing.rank, user_id, username, display_name, standing.score)


def leaderboard_out(board: str, period: str, scope: str, shown: Leaderboard) -> LeaderboardOut:
    """Shape a board page for the API."""
    me = shown.page.me
    return LeaderboardOut(
        board=board,
        period=period,
        scope=scope,
        label=shown.label,
        entries=[_entry(s, shown.names) for s in shown.page.entries],
        me=MyStandingOut(rank=me.rank if me else None, score=me.score if me else 0),
        next_cursor=encode_cursor(shown.page.next_offset),
    )


class RivalOut(msgspec.Struct):
    """The friend of a week's duel: who beat me, or whom I beat when I came first."""

    user_id: int
    username: str
    display_name: str
    grams: int


class WeeklyResultOut(msgspec.Struct):
    """A finished week among my friends: my rank of how many, my grams, my duel's outcome.

    `outcome` is `won` (I came first, the rival second), `lost` (the rival was just above me),
    `tied` (same grams) or `alone` (no friend had an account that week).
    """

    week: str
    starts_at: datetime
    ends_at: datetime
    rank: int
    players: int
    grams: int
    outcome: str
    rival: RivalOut | None


class WeeklyResultsOut(msgspec.Struct):
    """My finished weeks, newest first; follow `next_cursor`."""

    items: list[WeeklyResultOut]
    next_cursor: str | None


def weekly_result_out(row: WeeklyResult, names: dict[int, tuple[str, str]]) -> WeeklyResultOut:
    """Show one finished week."""
    rival = None
    if row.rival_id is not None:
        username, display = names.get(row.rival_id, ("", ""))
        rival = RivalOut(row.rival_id, username, display, int(row.rival_grams or 0))
    return WeeklyResultOut(
        week=row.week,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        rank=row.rank,
        players=row.players,
        grams=int(row.grams),
        outcome=row.outcome,
        rival=rival,
    )
