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
    kindness: int = 0


class VisitBubbleOut(msgspec.Struct):
    """A bubble in a friend's forest, with what the visitor could do with it now.

    `can_take`: grams a steal would take; `can_help`: whether the visitor may help collect it
    (it expires soon); `can_revive`: grams a revive would give back (the visitor pays as much).
    """

    bubble: BubbleOut
    can_take: int
    can_help: bool = False
    can_revive: int = 0


class ForestVisitOut(msgspec.Struct):
    """A friend's forest as the visitor sees it."""

    user_id: int
    username: str
    display_name: str
    lifetime_collected: int
    kindness: int
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


class HelpOut(msgspec.Struct):
    """What helping a friend collect did: the grams went to the owner."""

    bubble_id: int
    owner_id: int
    grams: int
    bubble_remaining: int
    kindness: int


class ReviveOut(msgspec.Struct):
    """What a revive did: `grams` back to the owner, paid with a card or the reviver's energy."""

    bubble_id: int
    owner_id: int
    grams: int
    paid_with: str
    cost: int
    balance: int
