"""Demo data for campaigns: a live carpool day paid from a coupon pool, and monthly medals.

Called by `app/demo/seed.py` after the demo players exist. Everything goes through the real
rules: the pool and the campaign as `cam` would make them, the rides as a partner platform would
credit them, so progress, the voucher, the boards' data and the medals come from the hooks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.clock import ManualClock
from core.users import User
from game.campaigns.lifecycle.audiences import Audience
from game.campaigns.lifecycle.goals import Goal
from game.campaigns.lifecycle.models import AudienceKind, GoalKind, GoalScope
from game.campaigns.lifecycle.registry import (
    CampaignChanges,
    CampaignDraft,
    create_campaign,
    update_campaign,
)
from game.campaigns.lifecycle.windows import window
from game.carbon.actions import ActionInput, record_action
from game.carbon.catalog import load_catalog
from game.energy.bubbles import BubbleTiming
from game.rewards.grants import RewardSpec
from game.rewards.models import MedalAward, PoolUnit
from game.rewards.pools import NewPool, create_pool

COUPON_FEN = 500  # a 5-yuan coupon
COUPONS = 50
# Rides each demo player has taken today (minutes ago): bo completes the carpool day.
RIDES = {"ada": [80, 35], "bo": [110, 70, 20], "chen": [50]}


async def seed_campaigns(clock: ManualClock, timing: BubbleTiming, now: datetime) -> list[str]:
    """Create the campaign demo data once (on the story's clock); returns what it did."""
    clock.set(now)
    catalog = load_catalog()
    manager = await User.get(username="cam")
    pool = await create_pool(
        clock, manager.id,
        NewPool("Carpool day coupons", "Green Mobility Co.", PoolUnit.FEN, COUPON_FEN,
                COUPON_FEN * COUPONS),
    )  # fmt: skip
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    draft = CampaignDraft(
        name="National carpool day",
        description="Three shared rides today earn a 5-yuan coupon, 66 g of energy and a medal.",
        art_url="",
        window=window(start, start + timedelta(days=1), "Asia/Shanghai"),
        audience=Audience(AudienceKind.EVERYONE),
        goal=Goal(GoalKind.COUNT, GoalScope.INDIVIDUAL, 3, scenarios=("carpool_ride",)),
        rewards=[
            RewardSpec(kind="voucher", pool_id=pool.id, valid_days=30),
            RewardSpec(kind="energy", grams=66),
            RewardSpec(kind="medal", medal_name="Carpool Day"),
        ],
    )
    campaign = await create_campaign(clock, catalog, manager.id, draft)
    await update_campaign(clock, catalog, campaign.id, CampaignChanges(state="scheduled"))
    scenario = catalog.get("carpool_ride")
    for username, minutes in RIDES.items():
        player = await User.get(username=username)
        for n, ago in enumerate(minutes):
            clock.set(now - timedelta(minutes=ago))
            ride = ActionInput(
                user_id=player.id, tz=ZoneInfo(player.timezone), scenario=scenario,
                quantity=Decimal("12.5"), source="demo-partner",
                external_id=f"demo-carpool-{player.id}-{n}",
            )  # fmt: skip
            await record_action(clock, timing, ride)
    medals = await MedalAward.filter(code="carbon_credits").count()
    return [
        f"demo campaign {campaign.id}: {campaign.name}, live until "
        f"{campaign.ends_at.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M} (Asia/Shanghai);"
        f" bo completed it, ada has 2 of 3 rides",
        f"demo budget pool {pool.id}: {COUPONS} coupons of {COUPON_FEN} fen",
        f"demo monthly medals: {medals} Carbon Credits medal tier(s) earned this month",
    ]
