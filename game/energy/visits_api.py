"""HTTP endpoints for what friends do in each other's forests: visit, steal, water."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from app.auth.models import User
from app.params import IntId, RowId
from game.clock import Clock
from game.energy.bubbles import forest_of
from game.energy.schemas import (
    ForestVisitOut,
    StealOut,
    VisitBubbleOut,
    WaterIn,
    WaterOut,
    bubble_out,
)
from game.energy.stealing import StealRules, steal_from_bubble, steal_offers
from game.energy.watering import WaterRules, water_friend
from game.events import EventSink
from game.leaderboards.energy import Boards
from game.leaderboards.gains import record_gains
from game.props.rules import PropKind, prop_active
from social.friends.rules import Blocked, NotFriends, PlayerNotFound, are_friends
from social.friends.rules import is_blocked_between as blocked_between
from social.moderation.suspensions import require_not_suspended


async def _visible_forest_owner(visitor_id: int, owner_id: int) -> User:
    owner = await User.get_or_none(id=owner_id)
    if owner is None:
        raise PlayerNotFound(f"no player {owner_id}")
    if owner_id != visitor_id:
        if await blocked_between(visitor_id, owner_id):
            raise Blocked()
        if not await are_friends(visitor_id, owner_id):
            raise NotFriends("only friends may visit this forest")
    return owner


class VisitsController(Controller):
    """Friends' forests."""

    tags = ["forest"]

    @get("/api/v1/forest/{user_id:int}", summary="Visit a friend's forest")
    async def visit(
        self,
        request: Request[User, Any, Any],
        user_id: IntId,
        clock: NamedDependency[Clock],
        steal_rules: NamedDependency[StealRules],
    ) -> ForestVisitOut:
        """A friend's bubbles, with how much I could take from each ripe one right now."""
        owner = await _visible_forest_owner(request.user.id, user_id)
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
        boards: NamedDependency[Boards],
    ) -> StealOut:
        """Take up to the share of a friend's ripe bubble, never below the owner's floor."""
        require_not_suspended(request.user, clock)
        stolen = await steal_from_bubble(clock, events, steal_rules, request.user.id, bubble_id)
        await record_gains(boards, clock, events, [stolen.entry])
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
        boards: NamedDependency[Boards],
    ) -> WaterOut:
        """Give a friend 10, 18 or 66 g from my balance, up to 3 times a day."""
        giver = request.user
        require_not_suspended(giver, clock)
        watered = await water_friend(
            clock, events, water_rules, giver_id=giver.id, giver_tz=ZoneInfo(giver.timezone),
            friend_id=user_id, grams=data.grams,
        )  # fmt: skip
        await record_gains(boards, clock, events, [watered.received])
        return WaterOut(
            watering_id=watered.watering.id,
            friend_id=user_id,
            grams=data.grams,
            balance=watered.giver_balance,
            waterings_left_today=watered.waterings_left_today,
        )
