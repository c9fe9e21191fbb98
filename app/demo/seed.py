"""Demo data: a few players whose forests hold bubbles in every state.

Run with `greenspark seed-demo` (or `greenspark serve --demo`). It does nothing if the demo
players exist already. Every value goes through the real rules, with a clock moved back in time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.auth.rules import create_user
from app.demo.campaigns import seed_campaigns
from app.demo.partners import seed_partners
from app.demo.saving import seed_saving
from app.demo.trees import seed_trees
from app.domains import bind_live_reactions
from core.clock import ManualClock
from core.events import OutboxEvents
from core.settings import Settings
from core.users import Role, User
from game.carbon.actions import ActionInput, record_action
from game.carbon.catalog import Catalog, load_catalog
from game.energy.bubbles import BubbleTiming, collect_bubble

DEMO_PASSWORD = "greenspark-demo"  # noqa: S105  (documented demo credential)
PARTNER = "demo-partner"

# (hours ago, scenario, quantity, collect afterwards?)
STORY = [
    (80, "metro_ride", "12", False),  # expired: nobody came back in 72 h
    (30, "second_hand_garment", "3", True),  # ripe and collected
    (26, "walking_steps", "9000", False),  # yesterday's steps: ripe this morning
    (6, "shared_bike_ride", "4.5", False),  # ripe, waiting to be collected
    (2, "no_utensil_order", "2", True),  # collected
    (0, "reusable_cup", "1", False),  # growing
    (0, "walking_steps", "3000", False),  # today's steps: growing until tomorrow morning
]

PLAYERS = [
    ("ada", "Ada", Role.PLAYER, "Asia/Shanghai", "CN-42"),
    ("bo", "Bo", Role.PLAYER, "Asia/Shanghai", "CN-42"),
    ("chen", "Chen", Role.PLAYER, "Asia/Shanghai", "CN-36"),
    ("dara", "Dara", Role.PLAYER, "Europe/Berlin", "DE-BE"),
    ("mo", "Mo the moderator", Role.MODERATOR, "Asia/Shanghai", "CN-42"),
    ("cam", "Cam the campaign manager", Role.CAMPAIGN_MANAGER, "Asia/Shanghai", "CN-42"),
]


async def seed_demo(settings: Settings, now: datetime) -> list[str]:
    """Create the demo players and their history; returns what it did, line by line."""
    if await User.filter(username="ada").exists():
        return ["demo data already present"]
    clock = ManualClock(now)
    # Medals and campaign progress follow the story's clock; boards are rebuilt on first read.
    bind_live_reactions(clock, OutboxEvents(clock), None, settings)
    catalog = load_catalog()
    timing = BubbleTiming.from_settings(settings)
    lines = []
    for index, (username, name, role, tz_name, region) in enumerate(PLAYERS):
        user = await create_user(
            settings, clock, username=username, password=DEMO_PASSWORD, role=role,
            display_name=name, timezone=tz_name, region=region,
        )  # fmt: skip
        if role is Role.PLAYER:
            await _play_story(clock, timing, catalog, user, index, now)
        lines.append(f"demo user {username} / {DEMO_PASSWORD} ({role})")
    lines += await seed_trees(settings, now, DEMO_PASSWORD)
    players = [username for username, _, role, _, _ in PLAYERS if role is Role.PLAYER]
    return (
        lines
        + await seed_campaigns(clock, timing, now)
        + await seed_partners(settings, now, players)
        + await seed_saving(settings, clock, now, DEMO_PASSWORD)
    )


async def _play_story(
    clock: ManualClock,
    timing: BubbleTiming,
    catalog: Catalog,
    user: User,
    index: int,
    now: datetime,
) -> None:
    for step, (hours_ago, scenario, quantity, collect) in enumerate(STORY):
        clock.set(now - timedelta(hours=hours_ago, minutes=index))
        result = await record_action(
            clock,
            timing,
            ActionInput(
                user_id=user.id,
                tz=ZoneInfo(user.timezone),
                scenario=catalog.get(scenario),
                quantity=Decimal(quantity),
                source=PARTNER,
                external_id=f"demo-{user.id}-{step}",
            ),
        )
        if collect and result.bubble is not None:
            clock.set(result.bubble.ripens_at)
            await collect_bubble(clock, user.id, result.bubble.id)
