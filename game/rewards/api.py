"""HTTP endpoints of rewards: budget pools for campaign managers, my rewards and medals."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.guards import requires_role
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, IntId, Limit
from core.users import Role, User
from game.rewards.grants import my_rewards
from game.rewards.medals import load_medals, my_medals
from game.rewards.models import PoolStatus, PoolUnit
from game.rewards.pools import (
    NewPool,
    create_pool,
    fund_pool,
    get_pool,
    list_pools,
    set_pool_status,
)
from game.rewards.schemas import (
    FundIn,
    MedalOut,
    MyMedalsOut,
    PoolIn,
    PoolOut,
    PoolStatusIn,
    RewardsPage,
    medal_out,
    my_medals_out,
    pool_out,
    reward_out,
)

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]
POOLS, MINE = ["rewards: budget pools"], ["rewards"]


class RewardsController(Controller):
    """Budget pools that pay for rewards, and what each player has been given."""

    @post(
        "/api/v1/reward-pools", guards=MANAGERS, status_code=HTTP_201_CREATED,
        summary="Open a budget pool", tags=POOLS,
    )  # fmt: skip
    async def open_pool(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[PoolIn],
        clock: NamedDependency[Clock],
    ) -> PoolOut:
        """A pool with a total and a unit cost; each grant it pays takes one unit cost."""
        given = NewPool(data.name, data.sponsor, PoolUnit(data.unit), data.unit_cost, data.total)
        return pool_out(await create_pool(clock, request.user.id, given))

    @get("/api/v1/reward-pools", guards=MANAGERS, summary="Budget pools", tags=POOLS)
    async def pools(self) -> list[PoolOut]:
        """Every pool, newest first, with spent and remaining."""
        return [pool_out(p) for p in await list_pools()]

    @get("/api/v1/reward-pools/{pool_id:int}", guards=MANAGERS, summary="One pool", tags=POOLS)
    async def pool(self, pool_id: IntId) -> PoolOut:
        """A pool with spent and remaining."""
        return pool_out(await get_pool(pool_id))

    @post(
        "/api/v1/reward-pools/{pool_id:int}/fund", guards=MANAGERS, summary="Add budget",
        status_code=HTTP_200_OK, opt={"idempotent": True}, tags=POOLS,
    )  # fmt: skip
    async def fund(
        self,
        request: Request[User, Any, Any],
        pool_id: IntId,
        data: JSONBody[FundIn],
        clock: NamedDependency[Clock],
    ) -> PoolOut:
        """Raise an open pool's total (a live campaign may always get more budget)."""
        return pool_out(await fund_pool(clock, request.user.id, pool_id, data.amount))

    @patch(
        "/api/v1/reward-pools/{pool_id:int}", guards=MANAGERS, summary="Open or close a pool",
        tags=POOLS,
    )  # fmt: skip
    async def change_pool(self, pool_id: IntId, data: JSONBody[PoolStatusIn]) -> PoolOut:
        """A closed pool pays no more grants (they get the outcome `pool-closed`)."""
        return pool_out(await set_pool_status(pool_id, PoolStatus(data.status)))

    @get("/api/v1/me/rewards", summary="My rewards", tags=MINE)
    async def my_rewards(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> RewardsPage:
        """Every grant made to me, newest first, vouchers with their codes."""
        shown, last = await my_rewards(request.user.id, decode_cursor(cursor), limit)
        now = clock.now()
        return RewardsPage([reward_out(r, now) for r in shown], encode_cursor(last))

    @get("/api/v1/me/medals", summary="My medals", tags=MINE)
    async def my_medals(
        self, request: Request[User, Any, Any], clock: NamedDependency[Clock]
    ) -> MyMedalsOut:
        """This month's grams on each monthly medal, its tiers, and every medal I hold."""
        user = request.user
        today = clock.now().astimezone(ZoneInfo(user.timezone)).date()
        progress, held = await my_medals(user.id, today)
        return my_medals_out(progress, held)

    @get("/api/v1/medals", summary="The monthly medals", tags=MINE)
    async def medals(self) -> list[MedalOut]:
        """Every monthly medal with its tiers and thresholds (assets/medals.json)."""
        return [medal_out(m) for m in load_medals()]
