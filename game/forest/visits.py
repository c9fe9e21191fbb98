"""Whose forest a player may look at: their own, and their friends' (docs/rules.md#stealing)."""

from __future__ import annotations

from core.users import User
from social.friends.access import PlayerNotFound, require_friends


async def forest_visible_to(visitor_id: int, owner_id: int) -> User:
    """The owner of a forest the visitor may see: themselves, or a friend neither has blocked."""
    owner = await User.get_or_none(id=owner_id)
    if owner is None:
        raise PlayerNotFound(f"no player {owner_id}")
    if owner_id != visitor_id:
        await require_friends(visitor_id, owner_id, doing="visit each other's forests")
    return owner
