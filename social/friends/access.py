"""Who may reach whom: friendship and blocks, the rule every friends-only action asks."""

from __future__ import annotations

from typing import cast

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from core.errors import Forbidden, Invalid, NotFound
from social.friends.models import Block, Friendship


class PlayerNotFound(NotFound):
    """No such player (or one the caller may not see)."""

    code = "player-not-found"
    title = "Player not found"


class Blocked(Forbidden):
    """One of the two players has blocked the other; which one is not said."""

    code = "blocked"
    title = "Not possible between these players"


class NotFriends(Forbidden):
    """The two players are not friends."""

    code = "not-friends"
    title = "You are not friends"


async def is_blocked_between(a: int, b: int, conn: BaseDBAsyncClient | None = None) -> bool:
    """Whether either player has blocked the other."""
    query = Block.filter(Q(blocker_id=a, blocked_id=b) | Q(blocker_id=b, blocked_id=a)).using_db(
        conn
    )
    return bool(await query.exists())


async def are_friends(a: int, b: int, conn: BaseDBAsyncClient | None = None) -> bool:
    """Whether a and b are friends."""
    return bool(await Friendship.filter(user_id=a, friend_id=b).using_db(conn).exists())


async def friend_ids(user_id: int) -> list[int]:
    """Every friend of a player."""
    rows = await Friendship.filter(user_id=user_id).values_list("friend_id", flat=True)
    return cast(list[int], rows)


class SelfTarget(Invalid):
    """The other player is the caller: nobody befriends, steals from or waters themselves."""

    code = "self-target"
    title = "That is you"


async def require_friends(
    actor_id: int, other_id: int, conn: BaseDBAsyncClient | None = None, *, doing: str
) -> None:
    """Refuse unless the two are different players, neither blocks the other, and they are friends.

    `doing` completes the refusal: "only friends may {doing}".
    """
    if actor_id == other_id:
        raise SelfTarget()
    blocked, friends = await _reach(actor_id, other_id, conn)
    if blocked:
        raise Blocked()
    if not friends:
        raise NotFriends(f"only friends may {doing}")


async def _reach(a: int, b: int, conn: BaseDBAsyncClient | None) -> tuple[bool, bool]:
    """(blocked either way, friends) in one round trip: every steal and watering asks it."""
    db = conn or connections.get("default")
    marks = [f"${i}" for i in range(1, 7)] if db.capabilities.dialect == "postgres" else ["?"] * 6
    # Only placeholders are formatted in; the ids are bound parameters.
    sql = (  # noqa: S608
        "SELECT EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = {} AND blocked_id = {})"
        " OR (blocker_id = {} AND blocked_id = {})) AS blocked,"
        " EXISTS (SELECT 1 FROM friendships WHERE user_id = {} AND friend_id = {}) AS friends"
    ).format(*marks)
    rows = await db.execute_query_dict(sql, [a, b, b, a, a, b])
    return bool(rows[0]["blocked"]), bool(rows[0]["friends"])
