"""HTTP endpoints of forests: my forest, a friend's, its share card, stealing and watering."""

from __future__ import annotations

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
from game.forest.schemas import (
    ForestOut,
    ForestVisitOut,
    StealOut,
    VisitBubbleOut,
    WaterIn,
    WaterOut,
)
from game.forest.stealing import StealRules, steal_from_bubble, steal_offers
from game.forest.visits import forest_visible_to
from game.forest.watering import WaterRules, water_friend
from game.props.inventory import PropKind, prop_active
from game.trees.render import RenderCache
from game.trees.species.catalog import SpeciesCatalog
from game.trees.species.growth import tree_of
from game.trees.species.schemas import tree_out


class ForestController(Controller):
    """Forests: mine, my friends', and what friends do in them."""

    tags = ["forest"]

    @get("/api/v1/forest/me", summary="My forest")
    async def my_forest(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> ForestOut:
        """Balance, lifetime total, bubbles with their state at this moment, and my tree."""
        forest = await forest_of(clock, request.user.id)
        tree = await tree_of(species_catalog, forest.user_id, forest.balance)
        return ForestOut(
            user_id=forest.user_id,
            balance=forest.balance,
            lifetime_collected=forest.lifetime_collected,
            now=forest.now,
            bubbles=[bubble_out(b, forest.now) for b in forest.bubbles],
            tree=tree_out(tree),
        )

    @get("/api/v1/forest/{user_id:int}", summary="Visit a friend's forest")
    async def visit(
        self,
        request: Request[User, Any, Any],
        user_id: IntId,
        clock: NamedDependency[Clock],
        steal_rules: NamedDependency[StealRules],
    ) -> ForestVisitOut:
        """A friend's bubbles, with how much I could take from each ripe one right now."""
        owner = await forest_visible_to(request.user.id, user_id)
        forest = await forest_of(clock, owner.id)
        live = [b for b in forest.bubbles if b.expires_at > forest.now]
        offers = await steal_offers(live, steal_rules, request.user.id, forest.now)
        return ForestVisitOut(
            user_id=owner.id,
            username=owner.username,
            display_name=owner.display_name,
            lifetime_collected=forest.lifetime_collected,
            protected=await prop_active(owner.id, PropKind.PROTECTION_COVER, forest.now),
            now=forest.now,
            bubbles=[
                VisitBubbleOut(bubble=bubble_out(b, forest.now), can_take=offers.get(b.id, 0))
                for b in live
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
        opt={"idempotent": True},
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
