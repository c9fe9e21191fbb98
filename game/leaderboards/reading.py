"""Reading a leaderboard: which board a player sees, a page of it, and their own standing."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.errors import Invalid, NotFound
from core.paging import InvalidCursor
from core.users import User
from game.leaderboards.boards import Board, BoardPage, read_around, read_members, read_page
from game.leaderboards.counts import COUNT_BOARDS, count_board, count_marker, ensure_count_built
from game.leaderboards.energy import BOARD_NAME, Boards, Scope, energy_board
from game.leaderboards.periods import Period, label_of
from game.leaderboards.rebuild import ensure_built
from social.friends.access import friend_ids

# Deeper than any board we expect; keeps a forged cursor from reaching Redis as a huge number.
MAX_OFFSET = 50_000_000


class UnknownBoard(NotFound):
    """No leaderboard has this name."""

    code = "unknown-board"
    title = "Unknown leaderboard"


class RegionNotSet(Invalid):
    """The regional board needs the player's region, and none is set."""

    code = "region-not-set"
    title = "Set a region to see the regional board"


class NotOffered(Invalid):
    """Count boards (kindness) are lifetime boards over everyone or over friends."""

    code = "board-view-not-offered"
    title = "This board has no such period or scope"


class AroundWithCursor(Invalid):
    """around=me picks its own window; it does not take a cursor."""

    code = "around-with-cursor"
    title = "around=me cannot be combined with a cursor"


@dataclass(frozen=True)
class BoardQuery:
    """What the viewer asks for."""

    board: str
    period: Period
    scope: Scope
    around_me: bool
    offset: int | None
    limit: int


@dataclass(frozen=True)
class Leaderboard:
    """A page of a board with everything needed to show it."""

    label: str
    page: BoardPage
    names: dict[int, tuple[str, str]]


def _checked(query: BoardQuery) -> int:
    if query.board != BOARD_NAME and query.board not in COUNT_BOARDS:
        raise UnknownBoard(f"no leaderboard is called {query.board!r}")
    if query.board in COUNT_BOARDS and (query.period != "all" or query.scope == "region"):
        raise NotOffered(f"the {query.board} board has period=all and scope global or friends")
    if query.around_me and query.offset is not None:
        raise AroundWithCursor()
    offset = query.offset or 0
    if offset > MAX_OFFSET:
        raise InvalidCursor("the cursor is not one this API issued")
    return offset


def _board(boards: Boards, viewer: User, query: BoardQuery, label: str) -> tuple[Board, str]:
    """The sorted set to read and the marker that says it is complete."""
    if query.board in COUNT_BOARDS:
        return count_board(boards, query.board), count_marker(boards, query.board)
    if query.scope == "region" and not viewer.region:
        raise RegionNotSet()
    region = viewer.region if query.scope == "region" else None
    return energy_board(boards, query.period, label, region), boards.built_marker


async def _read(
    boards: Boards, viewer: User, query: BoardQuery, label: str, offset: int
) -> tuple[BoardPage, bool]:
    me = str(viewer.id)
    board, marker = _board(boards, viewer, query, label)
    if query.scope == "friends":
        members = [me, *map(str, await friend_ids(viewer.id))]
        return await read_members(
            boards.redis, board, members, me, offset, query.limit, marker, query.around_me
        )
    if query.around_me:
        return await read_around(boards.redis, board, me, query.limit, marker)
    return await read_page(boards.redis, board, me, offset, query.limit, marker)


async def read_leaderboard(
    boards: Boards, clock: Clock, viewer: User, query: BoardQuery
) -> Leaderboard:
    """The board the viewer asked for, in their own calendar, rebuilt first if Redis lost it."""
    offset = _checked(query)
    await boards.pending.flush_for(viewer.id)
    tz = ZoneInfo(viewer.timezone) if viewer.timezone else boards.default_tz
    label = label_of(query.period, clock.now(), tz)
    page, built = await _read(boards, viewer, query, label, offset)
    if not built and query.board in COUNT_BOARDS:
        await ensure_count_built(boards, clock, query.board)
        page, _ = await _read(boards, viewer, query, label, offset)
    elif not built:
        await ensure_built(boards, clock)
        page, _ = await _read(boards, viewer, query, label, offset)
    names = await boards.names.names(int(s.member) for s in page.entries)
    return Leaderboard(label, page, names)
