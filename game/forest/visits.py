"""Whose forest a player may look at, and what a visitor may do there (docs/rules.md#stealing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.clock import Clock
from core.users import User
from game.energy.bubbles import Forest, forest_of
from game.energy.models import Bubble
from game.forest.helping import HelpRules, help_offers
from game.forest.reviving import ReviveRules, revive_offers
from game.forest.stealing import StealRules, steal_offers
from game.leaderboards.counts import KINDNESS, count_of
from game.props.inventory import PropKind, prop_active
from social.friends.access import PlayerNotFound, require_friends


@dataclass(frozen=True)
class VisitRules:
    """The rules a visit shows offers for."""

    steal: StealRules
    help: HelpRules
    revive: ReviveRules


@dataclass(frozen=True)
class Offer:
    """What the visitor could do with one bubble right now."""

    take: int
    help: bool
    revive: int


@dataclass(frozen=True)
class Visit:
    """A forest as a visitor sees it: live bubbles, and expired ones that can still be revived."""

    owner: User
    forest: Forest
    bubbles: list[Bubble]
    offers: dict[int, Offer]
    protected: bool
    kindness: int


async def forest_visible_to(visitor_id: int, owner_id: int) -> User:
    """The owner of a forest the visitor may see: themselves, or a friend neither has blocked."""
    owner = await User.get_or_none(id=owner_id)
    if owner is None:
        raise PlayerNotFound(f"no player {owner_id}")
    if owner_id != visitor_id:
        await require_friends(visitor_id, owner_id, doing="visit each other's forests")
    return owner


async def visit_forest(clock: Clock, rules: VisitRules, visitor_id: int, owner_id: int) -> Visit:
    """A friend's forest with what the visitor could take, help collect or revive in it now."""
    owner = await forest_visible_to(visitor_id, owner_id)
    forest = await forest_of(clock, owner.id, max(timedelta(days=1), rules.revive.window))
    now = forest.now
    revivable = revive_offers(forest.bubbles, rules.revive, now)
    live = [b for b in forest.bubbles if b.expires_at > now]
    shown = [b for b in forest.bubbles if b.expires_at > now or revivable[b.id] > 0]
    takes = await steal_offers(live, rules.steal, visitor_id, now)
    helps = await help_offers(live, rules.help, visitor_id, now)
    offers = {b.id: Offer(takes.get(b.id, 0), b.id in helps, revivable.get(b.id, 0)) for b in shown}
    return Visit(
        owner=owner,
        forest=forest,
        bubbles=shown,
        offers=offers,
        protected=await prop_active(owner.id, PropKind.PROTECTION_COVER, now),
        kindness=await count_of(KINDNESS, owner.id),
    )
