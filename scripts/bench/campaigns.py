"""Benchmark: progress updates, actions/s with 20 live campaigns matching each action vs none.

Run: `.venv/bin/python -m scripts.bench.campaigns` (SQLite + embedded Redis in a temporary
folder), or with DATABASE_URL=postgres://… and REDIS_URL=redis://… to use those servers: the
script creates its own database there and drops it afterwards, and keeps its Redis keys under
a random prefix that it deletes. Everything runs in-process on loopback.

Actions are credited through `game.carbon.actions.record_action`, the path self-reports and
partner platforms take, with the app's lifespan running (so the hooks, the outbox and the
campaign boards on Redis are live). Rounds alternate between the setups so a noisy neighbour on
the machine hits them alike; the figure of each setup is the median of its rounds, and the ratio
is against the baseline measured in the same run:

- baseline: no campaign at all;
- 20 live campaigns that each count every action (count goals on the scenario, everyone);
- 20 live campaigns that count another scenario (what finding no match costs).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from app.main import create_app, lifespan
from core.clock import SystemClock
from core.settings import Settings
from core.users import User
from game.campaigns.lifecycle.audiences import Audience
from game.campaigns.lifecycle.goals import Goal
from game.campaigns.lifecycle.models import AudienceKind, Campaign, GoalKind, GoalScope
from game.campaigns.lifecycle.registry import (
    CampaignChanges,
    CampaignDraft,
    create_campaign,
    update_campaign,
)
from game.campaigns.lifecycle.windows import window
from game.carbon.actions import ActionInput, record_action
from game.carbon.catalog import Catalog, load_catalog
from game.energy.bubbles import BubbleTiming
from game.energy.models import EnergyAccount
from scripts.bench.feed import SIGNING_KEY, bench_database, forget_redis_prefix, machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class World:
    """What the rounds need: players, the catalog, the bubble timing."""

    clock: SystemClock
    catalog: Catalog
    timing: BubbleTiming
    player_ids: list[int]


async def build_players(count: int) -> list[int]:
    """Players with energy accounts, inserted in bulk (they never log in)."""
    now = SystemClock().now()
    await User.bulk_create(
        [
            User(username=f"rider{i}", display_name=f"Rider {i}", password_hash="-",  # noqa: S106
                 timezone="Asia/Shanghai", region="CN-42", created_at=now)
            for i in range(count)
        ],
        batch_size=1000,
    )  # fmt: skip
    ids = [
        int(u) for u in await User.filter(username__startswith="rider").values_list("id", flat=True)
    ]
    await EnergyAccount.bulk_create([EnergyAccount(user_id=i) for i in ids], batch_size=1000)
    return ids


async def launch(world: World, count: int, scenario: str, creator: int) -> list[int]:
    """`count` published campaigns, live now, each counting rides of `scenario`."""
    clock, ids = world.clock, []
    now = clock.now()
    for n in range(count):
        draft = CampaignDraft(
            name=f"Bench {scenario} {n}", description="", art_url="",
            window=window(now - timedelta(hours=1), now + timedelta(days=2), "Asia/Shanghai"),
            audience=Audience(AudienceKind.EVERYONE),
            goal=Goal(GoalKind.COUNT, GoalScope.INDIVIDUAL, 1_000_000, scenarios=(scenario,)),
            rewards=[],
        )  # fmt: skip
        made = await create_campaign(clock, world.catalog, creator, draft)
        await update_campaign(clock, world.catalog, made.id, CampaignChanges(state="scheduled"))
        ids.append(made.id)
    return ids


async def rate(world: World, actions: int, concurrency: int) -> float:
    """Actions per second: `actions` carpool rides of 1 km, `concurrency` at a time."""
    scenario = world.catalog.get("carpool_ride")
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(actions):
        queue.put_nowait(world.player_ids[n % len(world.player_ids)])

    async def credit() -> None:
        while not queue.empty():
            user_id = queue.get_nowait()
            given = ActionInput(
                user_id=user_id, tz=SHANGHAI, scenario=scenario, quantity=Decimal(1),
                source="bench", external_id=uuid.uuid4().hex,
            )  # fmt: skip
            await record_action(world.clock, world.timing, given)

    began = time.perf_counter()
    await asyncio.gather(*(credit() for _ in range(concurrency)))
    return actions / (time.perf_counter() - began)


async def set_live(ids: list[int], live: bool) -> None:
    """Pause or resume a set of campaigns (paused ones match nothing)."""
    await Campaign.filter(id__in=ids).update(paused=not live)


async def measure(args: argparse.Namespace) -> dict[str, list[float]]:
    """Build the world, then alternate the three setups for `rounds` rounds."""
    world = World(SystemClock(), load_catalog(), BubbleTiming.from_settings(Settings()), [])
    world.player_ids = await build_players(args.players)
    matching = await launch(world, args.campaigns, "carpool_ride", world.player_ids[0])
    other = await launch(world, args.campaigns, "metro_ride", world.player_ids[0])
    await rate(world, 200, args.concurrency)  # warm up
    figures: dict[str, list[float]] = {"none": [], "matching": [], "other": []}
    for _ in range(args.rounds):
        for setup in figures:
            await set_live(matching, setup == "matching")
            await set_live(other, setup == "other")
            figures[setup].append(await rate(world, args.actions, args.concurrency))
    return figures


async def run(args: argparse.Namespace) -> None:
    """Measure and print a markdown table."""
    prefix = f"gs-bench-{uuid.uuid4().hex[:10]}:"
    redis_url = os.environ.get("REDIS_URL")
    data_dir = Path(tempfile.mkdtemp(prefix="gs-bench-data-"))
    try:
        async with bench_database() as database_url:
            settings = Settings(
                DATABASE_URL=database_url, REDIS_URL=redis_url, redis_prefix=prefix,
                data_dir=data_dir, secret_key=SIGNING_KEY, auto_migrate=False,
            )  # fmt: skip
            app = create_app(settings)
            async with lifespan(app):
                figures = await measure(args)
    finally:
        await forget_redis_prefix(redis_url, prefix)
        shutil.rmtree(data_dir, ignore_errors=True)
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"\nmachine: {machine()}; database: {backend}; {args.actions} actions per round, "
        f"{args.rounds} rounds, {args.concurrency} at a time, {args.players} players\n"
    )
    base = statistics.median(figures["none"])
    names = {
        "none": "baseline: no campaign",
        "matching": f"{args.campaigns} live campaigns counting every action",
        "other": f"{args.campaigns} live campaigns counting another scenario",
    }
    print("| setup | actions/s (median) | rounds | / baseline |\n| --- | --- | --- | --- |")
    for setup, samples in figures.items():
        median = statistics.median(samples)
        spread = ", ".join(f"{s:.0f}" for s in samples)
        print(f"| {names[setup]} | {median:.0f} | {spread} | {median / base:.2f} |")


def main() -> None:
    """Parse the bounds and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--campaigns", type=int, default=20)
    parser.add_argument("--actions", type=int, default=600, help="actions per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
