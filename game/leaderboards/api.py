"""HTTP endpoints of the leaderboards and of my finished weeks among friends."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter

from core.clock import Clock
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit
from core.users import User
from game.leaderboards.energy import Boards, Scope
from game.leaderboards.periods import Period
from game.leaderboards.reading import BoardQuery, read_leaderboard
from game.leaderboards.schemas import (
    LeaderboardOut,
    WeeklyResultsOut,
    leaderboard_out,
    weekly_result_out,
)
from game.leaderboards.weekly import weekly_results_page


class LeaderboardsController(Controller):
    """Boards of gathered energy (by period and scope) and of kindness; my finished weeks."""

    tags = ["leaderboards"]

    @get("/api/v1/leaderboards/{board:str}", summary="A leaderboard", opt={"hot_path": True})
    async def leaderboard(
        self,
        request: Request[User, Any, Any],
        board: Annotated[
            str, Parameter(max_length=32, description="Board name: energy or kindness")
        ],
        boards: NamedDependency[Boards],
        clock: NamedDependency[Clock],
        period: Annotated[Period, Parameter(description="all, week or month")] = "all",
        # `scope` is a reserved name in Litestar handlers, so the query parameter is aliased.
        board_scope: Annotated[
            Scope, QueryParameter(name="scope", description="global, region or friends")
        ] = "global",
        around: Annotated[
            Literal["me"] | None, Parameter(description="me: a window centred on the caller")
        ] = None,
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> LeaderboardOut:
        """Top entries (or a window around me), my rank and score, and the next page's cursor."""
        query = BoardQuery(
            board=board,
            period=period,
            scope=board_scope,
            around_me=around == "me",
            offset=decode_cursor(cursor),
            limit=limit,
        )
        shown = await read_leaderboard(boards, clock, request.user, query)
        return leaderboard_out(board, period, board_scope, shown)

    @get("/api/v1/me/weekly-results", summary="My finished weeks among friends")
    async def weekly_results(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 10
    ) -> WeeklyResultsOut:
        """Weeks ended on my calendar: rank among friends, grams and duel; newest first."""
        rows, names, next_id = await weekly_results_page(
            request.user.id, decode_cursor(cursor), limit
        )
        return WeeklyResultsOut(
            items=[weekly_result_out(r, names) for r in rows], next_cursor=encode_cursor(next_id)
        )
