"""HTTP endpoints of forests: mine, a friend's, its share card, and what friends do in them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from core.clock import Clock
from core.events import EventSink
from core.params import IntId, RowId
from core.responses import png_response
from core.users import User
from game.energy.bubbles import forest_of
from game.energy.ledger import EnergyGathered
from game.energy.schemas import bubble_out
from game.forest.card import forest_card
from game.forest.helping import HelpRules, help_collect
from game.forest.reviving import ReviveRules, revive_bubble
from game.forest.schemas import (
    ForestOut,
    ForestVisitOut,
    HelpOut,
    ReviveOut,
    StealOut,
    VisitBubbleOut,
    WaterIn,
    WaterOut,
)
from game.forest.stealing import StealRules, steal_from_bubble
from game.forest.visits import VisitRules, visit_forest
from game.forest.watering import WaterRules, water_friend
from game.leaderboards.counts import KINDNESS, count_of
from game.leaderboards.energy import Boards
from game.trees.render import RenderCache
from game.trees.species.catalog import SpeciesCatalog
from game.trees.species.growth import tree_of
from game.trees.species.schemas import tree_out


class ForestController(Controller):
    """Forests: mine, my friends', and what friends do in them."""

    tags = ["forest"]

    @get("/api/v1/forest/me", summary="My forest", opt={"hot_path": True})
    async def my_forest(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        species_catalog: NamedDependency[SpeciesCatalog],
        revive_rules: NamedDependency[ReviveRules],
    ) -> ForestOut:
        """Balance, lifetime total, bubbles with their state at this moment, and my tree."""
        # Ended bubbles stay in view for a day, or for as long as they can still be revived.
        keep = max(timedelta(days=1), revive_rules.window)
        forest = await forest_of(clock, request.user.id, keep)
        tree = await tree_of(species_catalog, forest.user_id, forest.balance)
        return ForestOut(
            user_id=forest.user_id,
            balance=forest.balance,
            lifetime_collected=forest.lifetime_collected,
            now=forest.now,
            bubbles=[bubble_out(b, forest.now) for b in forest.bubbles],
            tree=tree_out(tree),
            kindness=await count_of(KINDNESS, forest.user_id),
        )

    @get("/api/v1/forest/{user_id:int}", summary="Visit a friend's forest", opt={"hot_path": True})
    async def visit(
        self,
        request: Request[User, Any, Any],
        user_id: IntId,
        clock: NamedDependency[Clock],
        visit_rules: NamedDependency[VisitRules],
    ) -> ForestVisitOut:
        """A friend's bubbles, with what I could take, help collect or revive in each right now."""
        visit = await visit_forest(clock, visit_rules, request.user.id, user_id)
        now = visit.forest.now
        return ForestVisitOut(
            user_id=visit.owner.id,
            username=visit.owner.username,
            display_name=visit.owner.display_name,
            lifetime_collected=visit.forest.lifetime_collected,
            kindness=visit.kindness,
            protected=visit.protected,
            now=now,
            bubbles=[
                VisitBubbleOut(
                    bubble=bubble_out(b, now),
                    can_take=visit.offers[b.id].take,
                    can_help=visit.offers[b.id].help,
                    can_revive=visit.offers[b.id].revive,
                )
                for b in visit.bubbles
            ],
        )

    @get(
        "/api/v1/forest/{user_id:int}/card.png",
        summary="A share card of a player's forest (PNG)",
        media_type="image/png",
    )
    async def card(
        self,
        request: Request[User, Any, Any],
        user_id: IntId,
        species_catalog: NamedDependency[SpeciesCatalog],
        render_cache: NamedDependency[RenderCache],
    ) -> Response[bytes]:
        """The player's tree and what their energy planted, protected and gave, as an image."""
        image, cached = await forest_card(render_cache, species_catalog, request.user.id, user_id)
        return png_response(image, cached)

    @post(
        "/api/v1/bubbles/{bubble_id:int}/steal",
        status_code=HTTP_200_OK,
        summary="Take energy from a friend's ripe bubble",
        opt={"idempotent": True, "hot_path": True},
    )
    async def steal(
        self,
        request: Request[User, Any, Any],
        bubble_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        steal_rules: NamedDependency[StealRules],
        energy_gathered: NamedDependency[EnergyGathered],
    ) -> StealOut:
        """Take up to the share of a friend's ripe bubble, never below the owner's floor."""
        stolen = await steal_from_bubble(clock, events, steal_rules, request.user, bubble_id)
        await energy_gathered([stolen.entry])
        return StealOut(
            bubble_id=stolen.bubble.id,
            grams=stolen.grams,
            doubled=stolen.doubled,
            balance=stolen.balance,
            bubble_remaining=stolen.bubble.remaining,
        )

    @post(
        "/api/v1/friends/{user_id:int}/water",
        status_code=HTTP_200_OK,
        summary="Give a friend some of my energy",
        opt={"idempotent": True},
    )
    async def water(
        self,
        request: Request[User, Any, Any],
        user_id: IntId,
        data: JSONBody[WaterIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        water_rules: NamedDependency[WaterRules],
        energy_gathered: NamedDependency[EnergyGathered],
    ) -> WaterOut:
        """Give a friend 10, 18 or 66 g from my balance, up to 3 times a day."""
        watered = await water_friend(clock, events, water_rules, request.user, user_id, data.grams)
        await energy_gathered([watered.received])
        return WaterOut(
            watering_id=watered.watering.id,
            friend_id=user_id,
            grams=data.grams,
            balance=watered.giver_balance,
            waterings_left_today=watered.waterings_left_today,
        )

    @post(
        "/api/v1/bubbles/{bubble_id:int}/help",
        status_code=HTTP_200_OK,
        summary="Collect a friend's bubble that is about to expire, for them",
        opt={"idempotent": True},
    )
    async def help(
        self,
        request: Request[User, Any, Any],
        bubble_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        help_rules: NamedDependency[HelpRules],
        boards: NamedDependency[Boards],
        energy_gathered: NamedDependency[EnergyGathered],
    ) -> HelpOut:
        """The energy goes to my friend; I am thanked on their timeline and my kindness grows."""
        helped = await help_collect(clock, events, help_rules, boards, request.user, bubble_id)
        await energy_gathered([helped.entry])
        return HelpOut(
            bubble_id=helped.bubble.id,
            owner_id=helped.bubble.owner_id,
            grams=helped.grams,
            bubble_remaining=helped.bubble.remaining,
            kindness=helped.kindness,
        )

    @post(
        "/api/v1/bubbles/{bubble_id:int}/revive",
        status_code=HTTP_200_OK,
        summary="Revive an expired bubble (mine with a revive card, a friend's with my energy)",
        opt={"idempotent": True},
    )
    async def revive(
        self,
        request: Request[User, Any, Any],
        bubble_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        revive_rules: NamedDependency[ReviveRules],
        boards: NamedDependency[Boards],
        energy_gathered: NamedDependency[EnergyGathered],
    ) -> ReviveOut:
        """A share of what expired goes back to the owner; a friend pays the same in energy."""
        revived = await revive_bubble(clock, events, revive_rules, boards, request.user, bubble_id)
        await energy_gathered([revived.entry])
        revival = revived.revival
        balance = revived.reviver_balance
        return ReviveOut(
            bubble_id=revival.bubble_id,
            owner_id=revival.owner_id,
            grams=revival.grams,
            paid_with=revival.paid_with,
            cost=revival.cost,
            balance=int(revived.entry.balance_after) if balance is None else balance,
        )
