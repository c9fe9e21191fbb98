"""Benchmark: pages of a notification inbox of 10,000, against a same-run `GET /api/v1/me`.

Run: `.venv/bin/python -m scripts.bench.inbox` (SQLite + embedded Redis in a temporary folder),
or with DATABASE_URL=postgres://… and REDIS_URL=redis://… to use those servers: the script
creates its own database there and drops it afterwards, and keeps its Redis keys under a random
prefix that it deletes. Requests go to the real app in-process (auth, middleware and
serialisation included; no network beyond loopback).

The viewer's inbox holds 10,000 notifications (a third unread) among 110,000 in the table (other
players hold 2,000 each). Each row is n rounds of two sequential requests, the baseline
`GET /api/v1/me` (an authenticated request doing one indexed lookup) then the measured one, so
both see the same noise on a shared machine; planner statistics are refreshed after the load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from tortoise import connections

from app.main import create_app, lifespan
from core.paging import encode_cursor
from core.settings import Settings
from core.users import User
from scripts.bench.feed import (
    SIGNING_KEY,
    bench_database,
    forget_redis_prefix,
    log_in_viewer,
    machine,
    percentile,
    timed,
)
from social.notifications.models import Notification, UnreadCount

START = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = [
    ("stolen_from", "bubble.stolen"),
    ("watered", "friend.watered"),
    ("helped", "bubble.helped"),
    ("friend_request", "friend.request"),
    ("bubble_expiring", "bubble.expiring"),
]


async def fill_inboxes(viewer_id: int, mine: int, others: int, each: int) -> None:
    """`mine` notifications for the viewer and `each` for `others` players, interleaved in time."""
    rng = random.Random(11)
    users = [
        User(
            username=f"other{i}", display_name=f"Other {i}", timezone="Asia/Shanghai",
            password_hash="-", created_at=START,  # noqa: S106  (cannot log in)
        )
        for i in range(others)
    ]  # fmt: skip
    await User.bulk_create(users, batch_size=1000)
    other_ids = [u.id for u in await User.filter(username__startswith="other").order_by("id")]
    owners = [viewer_id] * mine + [o for o in other_ids for _ in range(each)]
    rng.shuffle(owners)
    unread: dict[int, int] = {}
    for first in range(0, len(owners), 5000):
        rows = []
        for n in range(first, min(first + 5000, len(owners))):
            kind, event_type = KINDS[n % len(KINDS)]
            read = rng.random() > 1 / 3
            if not read:
                unread[owners[n]] = unread.get(owners[n], 0) + 1
            rows.append(
                Notification(
                    user_id=owners[n], kind=kind, event_type=event_type, event_id=n + 1,
                    data={"by_user_id": rng.choice(other_ids), "grams": rng.randrange(1, 500)},
                    created_at=START + timedelta(seconds=n),
                    read_at=START + timedelta(seconds=n + 60) if read else None,
                )
            )  # fmt: skip
        await Notification.bulk_create(rows, batch_size=5000)
    await UnreadCount.bulk_create(
        [UnreadCount(user_id=u, unread=n) for u, n in unread.items()], batch_size=1000
    )


async def interleaved(
    client: httpx.AsyncClient, headers: dict[str, str], n: int, url: str, params: Any
) -> tuple[list[float], list[float]]:
    """n rounds of one baseline request then one measured request: both see the same noise."""
    baseline, measured = [], []
    for _ in range(n):
        baseline += await timed(client, "/api/v1/me", headers, 1)
        measured += await timed(client, url, headers, 1, params)
    return baseline, measured


async def inbox_figures(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> list[str]:
    """Table rows: each request's p50 and p99, its interleaved baseline's, and the ratios."""
    path = "/api/v1/me/notifications"
    await timed(client, path, headers, 30)  # warm up connections and caches
    first = (await client.get(path, params={"limit": 20}, headers=headers)).json()
    middle_id = first["items"][0]["id"] // 2
    cases = {
        "inbox, first page of 20": (path, {"limit": 20}),
        "inbox, a page in the middle (cursor)": (
            path,
            {"limit": 20, "cursor": encode_cursor(middle_id)},
        ),
        "inbox, first page of 100": (path, {"limit": 100}),
        "inbox, unread only, first page of 20": (path, {"limit": 20, "unread_only": "true"}),
        "unread count alone": (f"{path}/unread-count", None),
    }
    rows = []
    for name, (url, params) in cases.items():
        baseline, samples = await interleaved(client, headers, n, url, params)
        b50, b99 = percentile(baseline, 50), percentile(baseline, 99)
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        rows.append(
            f"| {name} | {p50:.2f} | {p99:.2f} | {b50:.2f} | {b99:.2f} "
            f"| {p50 / b50:.1f} | {p99 / b99:.1f} |"
        )
    return rows


async def analyze() -> None:
    """Fresh planner statistics, as a table that has lived a while would have."""
    conn = connections.get("default")
    await conn.execute_script("ANALYZE")


async def run(args: argparse.Namespace) -> None:
    """Build the inboxes, measure, print a markdown table."""
    prefix = f"gs-bench-{uuid.uuid4().hex[:10]}:"
    redis_url = os.environ.get("REDIS_URL")
    data_dir = Path(tempfile.mkdtemp(prefix="gs-bench-data-"))
    try:
        async with bench_database() as database_url:
            settings = Settings(
                DATABASE_URL=database_url, REDIS_URL=redis_url, redis_prefix=prefix,
                data_dir=data_dir, secret_key=SIGNING_KEY,
                auto_migrate=False, password_memory_kib=1024, password_time_cost=1,
            )  # fmt: skip
            app = create_app(settings)
            async with lifespan(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                    viewer, headers = await log_in_viewer(c)
                    await fill_inboxes(viewer, args.notifications, args.others, args.each)
                    await analyze()
                    rows = await inbox_figures(c, headers, args.requests)
    finally:
        await forget_redis_prefix(redis_url, prefix)
        shutil.rmtree(data_dir, ignore_errors=True)
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    total = args.notifications + args.others * args.each
    print(f"\nmachine: {machine()}; database: {backend}; {total} notifications in the table\n")
    print(
        "| request | p50 ms | p99 ms | baseline p50 ms | baseline p99 ms "
        "| p50 ratio | p99 ratio |\n| --- | --- | --- | --- | --- | --- | --- |"
    )
    print("\n".join(rows))


def main() -> None:
    """Parse the bounds and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=10_000, help="in the viewer's inbox")
    parser.add_argument("--others", type=int, default=50, help="other players with an inbox")
    parser.add_argument("--each", type=int, default=2_000, help="notifications per other player")
    parser.add_argument("--requests", type=int, default=1_000, help="requests per measured row")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
