"""Benchmark: feed pages over 100,000 check-ins with 200 friends, and the photo pipeline.

Run: `.venv/bin/python -m scripts.bench.feed` (SQLite + embedded Redis in a temporary folder),
or with DATABASE_URL=postgres://… and REDIS_URL=redis://… to use those servers: the script
creates its own database there and drops it afterwards, and keeps its Redis keys under a random
prefix that it deletes. Requests go to the real app in-process (no network beyond loopback).

Each figure is given with a baseline measured in the same run:
- feed pages against `GET /api/v1/me` (an authenticated request doing one indexed lookup);
- the photo pipeline against a plain full decode of the same 12-megapixel JPEG;
- event-loop lag while photos are processed against the lag of an idle loop.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from PIL import Image, ImageDraw, ImageFilter
from redis.asyncio import Redis

from app.db import migrate_database
from app.main import create_app, lifespan
from core.settings import Settings
from core.users import User
from social.checkins.models import CheckIn, Like, Photo
from social.checkins.photos import PhotoLimits, process_photo
from social.checkins.topics import load_topics
from social.friends.models import Block, Friendship

PASSWORD = "bench-password"  # noqa: S105  (a throwaway account in a throwaway database)
SIGNING_KEY = "bench-signing-key-long-enough-for-hs256"
START = datetime(2026, 1, 1, tzinfo=UTC)


@asynccontextmanager
async def bench_database() -> AsyncIterator[str]:
    """A fresh migrated database: on the configured PostgreSQL server, else a SQLite file."""
    server = os.environ.get("DATABASE_URL")
    folder = Path(tempfile.mkdtemp(prefix="gs-bench-db-"))
    if not server:
        url = f"sqlite://{folder / 'bench.sqlite3'}"
        await migrate_database(url)
        try:
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"gs_bench_{uuid.uuid4().hex[:12]}"
    base, _, _ = server.rpartition("/")
    admin = server.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        await migrate_database(f"{base}/{name}")
        yield f"{base}/{name}"
    finally:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
        shutil.rmtree(folder, ignore_errors=True)


async def forget_redis_prefix(url: str | None, prefix: str) -> None:
    """Delete the run's keys from a shared Redis (an embedded one goes with its folder)."""
    if not url:
        return
    redis = Redis.from_url(url)
    async for key in redis.scan_iter(match=f"{prefix}*", count=1000):
        await redis.delete(key)
    await redis.aclose()


async def build_world(viewer_id: int, checkins: int, friends: int, others: int) -> None:
    """Players, friendships, a few blocks, check-ins with photos and likes, in bulk."""
    rng = random.Random(7)
    authors = [
        User(
            username=f"author{i}",
            display_name=f"Author {i}",
            password_hash="-",  # noqa: S106  (cannot log in: not an argon2 hash)
            timezone="Asia/Shanghai",
            created_at=START,
        )
        for i in range(friends + others)
    ]
    await User.bulk_create(authors, batch_size=1000)
    ids = [u.id for u in await User.filter(username__startswith="author").order_by("id")]
    friend_ids, other_ids = ids[:friends], ids[friends:]
    pairs = [(viewer_id, f) for f in friend_ids] + [(f, viewer_id) for f in friend_ids]
    await Friendship.bulk_create(
        [Friendship(user_id=a, friend_id=b, created_at=START) for a, b in pairs], batch_size=1000
    )
    await Block.bulk_create(
        [Block(blocker_id=viewer_id, blocked_id=b, created_at=START) for b in other_ids[:5]]
    )
    topics = list(load_topics())
    everyone = [viewer_id, *ids]
    for first in range(0, checkins, 5000):
        rows = [
            CheckIn(
                author_id=rng.choice(everyone),
                topic=rng.choice(topics),
                text=f"check-in {n}: walked instead of driving",
                state="visible" if rng.random() > 0.02 else "hidden",
                created_at=START + timedelta(seconds=n),
                like_count=0,
                comment_count=0,
            )
            for n in range(first, min(first + 5000, checkins))
        ]
        await CheckIn.bulk_create(rows, batch_size=5000)
    await _photos_and_likes(viewer_id, rng)


async def _photos_and_likes(viewer_id: int, rng: random.Random) -> None:
    rows = await CheckIn.all().values_list("id", "author_id")
    photos = [
        Photo(
            checkin_id=cid, author_id=aid, position=0, media_key=uuid.uuid4().hex, width=1280,
            height=960, thumb_width=320, thumb_height=240,
            dhash=rng.getrandbits(63), created_at=START,
        )
        for cid, aid in rows
        if cid % 3 == 0
    ]  # fmt: skip
    await Photo.bulk_create(photos, batch_size=5000)
    likes = [Like(checkin_id=cid, user_id=viewer_id, created_at=START) for cid, _ in rows[::10]]
    await Like.bulk_create(likes, batch_size=5000)


async def log_in_viewer(client: httpx.AsyncClient) -> tuple[int, dict[str, str]]:
    """Register and log in the player whose feeds are measured."""
    account = {"username": "viewer", "password": PASSWORD}
    await client.post("/api/v1/auth/register", json=account)
    login = await client.post("/api/v1/auth/login", json=account)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    viewer = (await client.get("/api/v1/me", headers=headers)).json()["id"]
    return int(viewer), headers


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) of samples, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


async def timed(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], n: int, params: Any = None
) -> list[float]:
    """n sequential GETs; their durations in seconds (each must succeed)."""
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        response = await client.get(path, params=params, headers=headers)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, response.text
    return samples


async def deep_cursor(client: httpx.AsyncClient, headers: dict[str, str], pages: int) -> str:
    """The cursor of the friends feed after `pages` pages."""
    cursor = None
    for _ in range(pages):
        params = {"scope": "friends", "limit": 20, **({"cursor": cursor} if cursor else {})}
        cursor = (await client.get("/api/v1/feed", params=params, headers=headers)).json()[
            "next_cursor"
        ]
    assert cursor
    return str(cursor)


async def feed_figures(
    client: httpx.AsyncClient, headers: dict[str, str], n: int, deep_page: int
) -> list[str]:
    """Rows of the feed table: p50/p99 of each page kind, and their ratio to the baseline."""
    await timed(client, "/api/v1/feed", headers, 20, {"scope": "friends"})  # warm up
    baseline = await timed(client, "/api/v1/me", headers, n)
    cursor = await deep_cursor(client, headers, deep_page - 1)
    cases = {
        "friends, first page": {"scope": "friends", "limit": 20},
        f"friends, page {deep_page}": {"scope": "friends", "limit": 20, "cursor": cursor},
        "global, first page": {"scope": "global", "limit": 20},
        "topic, first page": {"scope": "topic", "topic": "recycling", "limit": 20},
    }
    b50, b99 = percentile(baseline, 50), percentile(baseline, 99)
    rows = [f"| baseline `GET /me` | {b50:.2f} | {b99:.2f} | 1.0 |"]
    for name, params in cases.items():
        samples = await timed(client, "/api/v1/feed", headers, n, params)
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        rows.append(f"| feed: {name} | {p50:.2f} | {p99:.2f} | {p50 / b50:.1f} |")
    return rows


def twelve_megapixel_jpeg() -> bytes:
    """A 4000x3000 photo-like JPEG: gradients, shapes and grain, with EXIF."""
    rng = random.Random(3)
    image = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((4000, 3000)),
            Image.radial_gradient("L").resize((4000, 3000)),
            Image.linear_gradient("L").rotate(90).resize((4000, 3000)),
        ],
    )
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(4000), rng.randrange(3000)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(20, 400), y + rng.randrange(20, 400)), fill=colour)
    grain = Image.effect_noise((4000, 3000), 40).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), grain, 0.15)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def full_decode(data: bytes) -> None:
    """Baseline: decode every pixel of the JPEG, nothing else."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def photo_figures(data: bytes, n: int) -> list[str]:
    """Rows of the photo table: pipeline vs full decode of the same file."""
    limits = PhotoLimits(max_bytes=len(data) + 1, max_pixels=50_000_000)
    decode, pipeline = [], []
    for _ in range(n):
        began = time.perf_counter()
        full_decode(data)
        decode.append(time.perf_counter() - began)
        began = time.perf_counter()
        process_photo(data, limits)
        pipeline.append(time.perf_counter() - began)
    d, p = statistics.median(decode) * 1000, statistics.median(pipeline) * 1000
    return [
        f"| baseline: full decode of the 12 MP JPEG ({len(data) / 1e6:.1f} MB) | {d:.0f} | 1.0 |",
        f"| photo pipeline (check, decode, upright, strip, display + thumbnail, dHash) "
        f"| {p:.0f} | {p / d:.2f} |",
    ]


async def _on_the_loop(data: bytes, limits: PhotoLimits, count: int) -> None:
    await asyncio.sleep(0.05)
    for _ in range(count):
        process_photo(data, limits)  # deliberately blocking: what to_thread avoids


async def loop_lag(seconds: float, photo: bytes | None, *, in_threads: bool = True) -> float:
    """Worst delay of a 5 ms ticker while 4 photos are processed (or, without one, idle)."""
    limits = PhotoLimits(max_bytes=50_000_000, max_pixels=50_000_000)
    if photo is None:
        work: Any = asyncio.sleep(seconds)
    elif in_threads:
        work = asyncio.gather(*(asyncio.to_thread(process_photo, photo, limits) for _ in range(4)))
    else:
        work = _on_the_loop(photo, limits, 4)
    task = asyncio.ensure_future(work)
    worst = 0.0
    while not task.done():
        began = time.perf_counter()
        await asyncio.sleep(0.005)
        worst = max(worst, time.perf_counter() - began - 0.005)
    await task
    return worst * 1000


def machine() -> str:
    """nproc, CPU model and RAM of this machine."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} CPUs ({model}), {kib / 1024 / 1024:.0f} GiB RAM"


async def run(args: argparse.Namespace) -> None:
    """Build the world, measure, print markdown tables."""
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
                    began = time.perf_counter()
                    viewer, headers = await log_in_viewer(c)
                    await build_world(viewer, args.checkins, args.friends, args.others)
                    print(f"built {args.checkins} check-ins in {time.perf_counter() - began:.1f} s")
                    feed_rows = await feed_figures(c, headers, args.requests, args.deep_page)
    finally:
        await forget_redis_prefix(redis_url, prefix)
        shutil.rmtree(data_dir, ignore_errors=True)
    photo = twelve_megapixel_jpeg()
    photo_rows = photo_figures(photo, args.photos)
    idle, threads = await loop_lag(1.0, None), await loop_lag(1.0, photo)
    blocking = await loop_lag(1.0, photo, in_threads=False)
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"\nmachine: {machine()}; database: {backend}\n")
    print("| request | p50 ms | p99 ms | p50 / baseline |\n| --- | --- | --- | --- |")
    print("\n".join(feed_rows))
    print("\n| photo work | median ms | / baseline |\n| --- | --- | --- |")
    print("\n".join(photo_rows))
    print("\n| event loop | worst tick delay ms |\n| --- | --- |")
    print(f"| idle | {idle:.1f} |")
    print(f"| 4 photos processed on the loop itself (baseline) | {blocking:.0f} |")
    print(f"| 4 photos processed in threads (as the app does) | {threads:.0f} |")


def main() -> None:
    """Parse the bounds and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--friends", type=int, default=200)
    parser.add_argument("--others", type=int, default=800)
    parser.add_argument("--requests", type=int, default=300, help="requests per measured page")
    parser.add_argument("--photos", type=int, default=5, help="runs of the photo pipeline")
    parser.add_argument("--deep-page", type=int, default=51, help="a friends page far back")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
