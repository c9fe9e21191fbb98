"""Response shapes of the leaderboard endpoint."""

from __future__ import annotations

import msgspec

from core.paging import encode_cursor
from game.leaderboards.boards import Standing
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
