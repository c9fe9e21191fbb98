"""Benchmark: partner ingestion (batches of 500 actions, of 500 meter readings) against a plain
bulk insert of the same rows, measured in the same run.

Run: `DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python -m scripts.bench.partners`
(the script creates its own database on that server and drops it afterwards, and keeps its
Redis keys under a random prefix that it deletes), or without the variables on a SQLite file and
an embedded Redis in a temporary folder. Batches go to the real app in-process, signed, through
the gate (audit row, signature, replay claim, rate limit) and the rules, one batch at a time.

Baselines, in the same database and run:
- actions: one transaction that bulk-inserts the rows an ingested batch writes (500 carbon
  actions, 500 daily-usage rows, 500 bubbles, 500 partner credits) with no rule in between;
- readings: one bulk insert of 500 meter readings.
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
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson

from app.main import create_app, lifespan
from core.clock import ManualClock
from core.db import in_transaction
from core.settings import Settings
from core.users import User
from game.carbon.catalog import load_catalog
from game.carbon.models import Action, DailyUsage
from game.energy.models import Bubble
from game.partners.consents.grants import NewConsent, grant_consent
from game.partners.gate.signing import sign
from game.partners.ingest.models import PartnerCredit
from game.partners.platforms.keys import SecretBox
from game.partners.platforms.registry import NewPartner, PartnerRules, register_partner
from game.power.models import Meter, MeterReading
from scripts.bench.feed import bench_database, forget_redis_prefix, machine

SIGNING_KEY = "bench-signing-key-long-enough-for-hs256"
# A Wednesday, 11:00 in Shanghai: every ride of the run falls on one local day.
NOW = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)


async def make_players(count: int) -> list[int]:
    """Players in bulk (they never log in)."""
    await User.bulk_create(
        [
            User(username=f"rider{i}", display_name=f"Rider {i}", password_hash="-",  # noqa: S106
                 timezone="Asia/Shanghai", created_at=NOW)
            for i in range(count)
        ],
        batch_size=1000,
    )  # fmt: skip
    return [u.id for u in await User.filter(username__startswith="rider").order_by("id")]


async def post_signed(
    client: httpx.AsyncClient, key: dict[str, str], path: str, payload: Any, stamp: int
) -> tuple[float, dict[str, Any]]:
    """Send one signed batch; its wall time and its answer."""
    body = orjson.dumps(payload)
    headers = {
        "content-type": "application/json",
        "Greenspark-Key-Id": key["key_id"],
        "Greenspark-Timestamp": str(stamp),
        "Greenspark-Signature": sign(key["secret"], "POST", path, str(stamp), body),
    }
    began = time.perf_counter()
    response = await client.post(path, content=body, headers=headers)
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, response.text
    return elapsed, response.json()


async def baseline_actions(user_ids: list[int], tag: str) -> float:
    """Seconds to bulk-insert what one ingested batch writes, with no rules."""
    day = NOW.date()
    began = time.perf_counter()
    async with in_transaction() as conn:
        await DailyUsage.bulk_create(
            [DailyUsage(user_id=u, scenario=f"bench-{tag}", local_date=day, quantity=Decimal(1))
             for u in user_ids], using_db=conn,
        )  # fmt: skip
        await Bubble.bulk_create(
            [Bubble(owner_id=u, scenario=f"bench-{tag}", rule="instant", amount=42, remaining=42,
                    local_date=day, created_at=NOW, ripens_at=NOW, expires_at=NOW)
             for u in user_ids], using_db=conn,
        )  # fmt: skip
        await Action.bulk_create(
            [Action(user_id=u, scenario="metro_ride", source=f"bench-{tag}", external_id=str(u),
                    quantity=Decimal(1), credited_quantity=Decimal(1), grams=42, occurred_at=NOW,
                    local_date=day, created_at=NOW)
             for u in user_ids], using_db=conn,
        )  # fmt: skip
        ids = await Action.filter(source=f"bench-{tag}").using_db(conn).values_list("id", flat=True)
        await PartnerCredit.bulk_create(
            [PartnerCredit(action_id=i, platform_id=1, consent_id=1, grams=42, budget_day=day,
                           created_at=NOW) for i in ids], using_db=conn,
        )  # fmt: skip
    return time.perf_counter() - began


async def baseline_readings(meter_id: int, count: int, first: datetime) -> float:
    """Seconds to bulk-insert `count` meter readings, with no rules."""
    began = time.perf_counter()
    await MeterReading.bulk_create(
        [MeterReading(meter_id=meter_id, interval_start=first + timedelta(minutes=15 * n),
                      local_date=NOW.date(), wh=250, received_at=NOW) for n in range(count)]
    )  # fmt: skip
    return time.perf_counter() - began


def row(label: str, seconds: list[float], items: int, baseline: float | None) -> str:
    """A table row: median seconds per batch, items per second, ratio to the baseline."""
    median = statistics.median(seconds)
    ratio = f"{median / baseline:.1f}x" if baseline else "1.0x"
    return f"| {label} | {len(seconds)} | {median * 1000:.0f} | {items / median:,.0f} | {ratio} |"


async def measure(
    client: httpx.AsyncClient, args: argparse.Namespace, settings: Settings, clock: ManualClock
) -> list[str]:
    """Register a partner, link the players, send the batches, time the baselines."""
    size = args.batch
    made = await register_partner(
        clock, SecretBox.from_settings(settings), load_catalog(),
        PartnerRules.from_settings(settings),
        NewPartner(name="Bench", timezone="Asia/Shanghai", contact="bench@example.org",
                   scenarios=["metro_ride"], meter_readings=True, daily_budget_grams=10**12,
                   requests_per_minute=100_000),
    )  # fmt: skip
    key = {"key_id": made.issued.key.key_id, "secret": made.issued.secret}
    users = await make_players(size)
    for uid in users:
        await grant_consent(clock, uid, NewConsent(made.platform.id, f"card-{uid}", None, True))
    stamp = int(NOW.timestamp())
    path = "/api/v1/partner/actions"
    fresh, repeats, bases = [], [], []
    for b in range(args.batches):
        items = [{"external_id": f"b{b}-{u}", "user_ref": f"card-{u}", "scenario": "metro_ride",
                  "quantity": "1", "occurred_at": NOW.isoformat()} for u in users]  # fmt: skip
        seconds, answer = await post_signed(client, key, path, {"items": items}, stamp - 2 * b)
        assert answer["counts"] == {"credited": size}, answer["counts"]
        fresh.append(seconds)
        seconds, answer = await post_signed(client, key, path, {"items": items}, stamp - 2 * b - 1)
        assert answer["counts"] == {"duplicate": size}, answer["counts"]
        repeats.append(seconds)
        bases.append(await baseline_actions(users, f"{b}"))
    base = statistics.median(bases)
    lines = [
        row(
            "baseline: bulk insert of the same rows (actions, usage, bubbles, credits)",
            bases,
            size,
            None,
        ),
        row(f"POST /partner/actions, {size} new items", fresh, size, base),
        row(f"the same batch again ({size} duplicates)", repeats, size, base),
    ]
    rpath = "/api/v1/partner/meter-readings"
    first = (NOW - timedelta(days=20)).replace(minute=0)
    # Whole meter-days (96 quarter hours per meter) when the batch holds one or more.
    count = (size // 96) * 96 or size
    new, corrections, rbases = [], [], []
    for b in range(args.batches):
        start = first + timedelta(days=b)
        items = []
        for n in range(count):
            meter, quarter = divmod(n, 96)
            items.append(
                {
                    "meter_ref": f"m{meter}",
                    "user_ref": f"card-{users[meter]}",
                    "interval_start": (start + timedelta(minutes=15 * quarter)).isoformat(),
                    "kwh": "0.250",
                }
            )
        seconds, answer = await post_signed(
            client, key, rpath, {"items": items}, stamp - 100 - 2 * b
        )
        assert answer["counts"] == {"stored": len(items)}, answer["counts"]
        new.append(seconds)
        for item in items:
            item["kwh"] = "0.300"
        seconds, answer = await post_signed(
            client, key, rpath, {"items": items}, stamp - 101 - 2 * b
        )
        assert answer["counts"] == {"corrected": len(items)}, answer["counts"]
        corrections.append(seconds)
        meter = await Meter.create(
            source="bench", meter_ref=f"base{b}", user_id=users[0], created_at=NOW
        )
        rbases.append(await baseline_readings(meter.id, len(items), start))
    rbase = statistics.median(rbases)
    lines += [
        row(f"baseline: bulk insert of {count} readings", rbases, count, None),
        row(f"POST /partner/meter-readings, {count} new readings", new, count, rbase),
        row(f"the same readings with new values ({count} corrections)", corrections, count, rbase),
    ]
    return lines


async def run(args: argparse.Namespace) -> None:
    """Set up, measure, print a markdown table."""
    prefix = f"gs-bench-{uuid.uuid4().hex[:10]}:"
    redis_url = os.environ.get("REDIS_URL")
    data_dir = Path(tempfile.mkdtemp(prefix="gs-bench-data-"))
    clock = ManualClock(NOW)
    try:
        async with bench_database() as database_url:
            settings = Settings(
                DATABASE_URL=database_url, REDIS_URL=redis_url, redis_prefix=prefix,
                data_dir=data_dir, secret_key=SIGNING_KEY, auto_migrate=False,
            )  # fmt: skip
            app = create_app(settings, clock)
            async with lifespan(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                    lines = await measure(c, args, settings, clock)
    finally:
        await forget_redis_prefix(redis_url, prefix)
        shutil.rmtree(data_dir, ignore_errors=True)
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    lanes = Settings().partner_parallel_players
    print(f"\nmachine: {machine()}; database: {backend}; players side by side: {lanes}\n")
    print("| what | batches | median ms per batch | items/s | / baseline |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(lines))


def main() -> None:
    """Parse the bounds and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=500, help="items per batch (at most 500)")
    parser.add_argument("--batches", type=int, default=5, help="batches of each kind")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
