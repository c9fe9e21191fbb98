"""Response shapes of forests, visits, steals and waterings."""

from __future__ import annotations

from datetime import datetime

import msgspec

from game.energy.schemas import BubbleOut
from game.trees.species.schemas import TreeOut


class ForestOut(msgspec.Struct):
    """A player's forest: balance, lifetime total and bubbles."""

    user_id: int
    balance: int
    lifetime_collected: int
    now: datetime
    bubbles: list[BubbleOut]
    tree: TreeOut | None = None


class VisitBubbleOut(msgspec.Struct):
    """A bubble in a friend's forest, with what the visitor could take from it now."""

    bubble: BubbleOut
    can_take: int


class ForestVisitOut(msgspec.Struct):
    """A friend's forest as the visitor sees it."""

    user_id: int
    username: str
    display_name: str
    lifetime_collected: int
    protected: bool
    now: datetime
    bubbles: list[VisitBubbleOut]


class StealOut(msgspec.Struct):
    """What a steal took."""

    bubble_id: int
    grams: int
    doubled: bool
    balance: int
    bubble_remaining: int


class WaterIn(msgspec.Struct, forbid_unknown_fields=True):
    """How much to give: one of the allowed amounts (10, 18 or 66 g by default)."""

    grams: int


class WaterOut(msgspec.Struct):
    """What a watering gave."""

    watering_id: int
    friend_id: int
    grams: int
    balance: int
    waterings_left_today: int
