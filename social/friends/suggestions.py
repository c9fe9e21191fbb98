"""Whom a player might befriend (docs/rules.md#friend-suggestions).

First friends of friends, most mutual friends first; then players of the same region seen
recently, most recently seen first. Never the player, a friend, a staff account, anyone blocked
either way, or anyone with a friend request between the two, whatever its answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from core.clock import Clock
from core.users import Role, User
from social.friends.models import Block, FriendRequest, Friendship

# How many friends of friends are ranked before the page is cut (most mutual friends first).
_CANDIDATES = 500


@dataclass(frozen=True)
class Suggestion:
    """A player to suggest, why, and how many friends the two have in common."""

    player: User
    reason: str
    mutual_friends: int


async def _excluded(user_id: int) -> set[int]:
    """The player, their friends, blocks either way, and requests either way."""
    friends = await Friendship.filter(user_id=user_id).values_list("friend_id", flat=True)
    blocks = await Block.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list(
        "blocker_id", "blocked_id"
    )
    asked = await FriendRequest.filter(Q(sender_id=user_id) | Q(recipient_id=user_id)).values_list(
        "sender_id", "recipient_id"
    )
    pairs = cast(list[tuple[int, int]], [*blocks, *asked])
    return {user_id, *cast(list[int], friends), *(i for pair in pairs for i in pair)}


async def suggest_friends(
    clock: Clock, viewer: User, active_within: timedelta, limit: int
) -> list[Suggestion]:
    """Friends of friends by mutual friends, then recently active players of the same region."""
    excluded = await _excluded(viewer.id)
    mutual = cast(
        list[tuple[int, int]],
        await Friendship.filter(
            user_id__in=Subquery(Friendship.filter(user_id=viewer.id).values("friend_id"))
        )
        .exclude(friend_id__in=list(excluded))
        .annotate(mutual=Count("id"))
        .group_by("friend_id")
        .order_by("-mutual", "friend_id")
        .limit(_CANDIDATES)
        .values_list("friend_id", "mutual"),
    )
    counts = {int(fid): int(n) for fid, n in mutual}
    players = {u.id: u for u in await User.filter(id__in=list(counts), role=Role.PLAYER)}
    found = [
        Suggestion(players[fid], "mutual_friends", n) for fid, n in counts.items() if fid in players
    ][:limit]
    if len(found) < limit and viewer.region:
        shown = excluded | {s.player.id for s in found}
        nearby = (
            await User.filter(
                region=viewer.region,
                role=Role.PLAYER,
                last_seen_at__gte=clock.now() - active_within,
            )
            .exclude(id__in=list(shown))
            .order_by("-last_seen_at", "id")
            .limit(limit - len(found))
        )
        found += [Suggestion(u, "same_region", 0) for u in nearby]
    return found
