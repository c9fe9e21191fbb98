"""Leaderboard benchmark: reads, updates, rebuild and memory with a million players.

    .venv/bin/python -m scripts.bench.leaderboards [--players 1000000] [--samples 2000]

Loopback only. Creates a PostgreSQL database of its own (dropped at the end) on the server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and uses one Redis database
index of its own on REDIS_URL's server (default 127.0.0.1:6379, index 13), FLUSHDB before and
after. Every figure comes with a baseline measured in the same run. Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import asyncpg
from redis.asyncio import Redis

from app.auth.passwords import hash_password
from app.db import close_database, migrate_database, open_database
from core.clock import SystemClock
from game.leaderboards.boards import read_around, read_members, read_page
from game.leaderboards.energy import Boards, energy_board
from game.leaderboards.periods import PERIODS, label_of
from game.leaderboards.rebuild import rebuild_boards
from scripts.bench.leaderboard_data import befriend, load_players, set_password_hash
from scripts.bench.leaderboard_load import (
    TABLE,
    endpoint_reads,
    gain_latency,
    row,
    timed,
    updates,
)

PG_SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_SERVER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_DB = 13
PREFIX = "gsbench:"
LOGIN = ("p1", "bench-password-1")
ME = 1
TZ = ZoneInfo("Asia/Shanghai")


def with_path(url: str, path: str) -> str:
    """The URL with another path (database name or Redis index)."""
    return urlunsplit(urlsplit(url)._replace(path=path))


async def redis_reads(boards: Boards, friends: list[int], n: int) -> list[str]:
    """Latency of each board read at the Redis call, against a PING round trip."""
    redis, marker, rng = boards.redis, boards.built_marker, random.Random(9)
    lifetime = energy_board(boards, "all", "all")
    week = energy_board(boards, "week", label_of("week", SystemClock().now(), TZ))
    members = [str(ME), *map(str, friends)]
    base = await timed(redis.ping, n)
    top = await timed(lambda: read_page(redis, lifetime, "1", 0, 100, marker), n)
    around = await timed(
        lambda: read_around(redis, lifetime, str(rng.randint(1, 10**6)), 21, marker), n
    )
    mates = await timed(lambda: read_members(redis, week, members, "1", 0, 100, marker), n)
    return [
        row("PING (baseline)", base, base),
        row("top 100", top, base),
        row("around me (21 rows)", around, base),
        row(f"friends ({len(friends)}), this week", mates, base),
    ]


async def memory(boards: Boards, used_before: int) -> list[str]:
    """Memory of each global board per million members, and of all boards together."""
    rows = ["| board | members | MiB | MiB per million members |", "| --- | --- | --- | --- |"]
    members = 0
    for period in PERIODS:
        board = energy_board(boards, period, label_of(period, SystemClock().now(), TZ))
        card = await boards.redis.zcard(board.key)
        used = await boards.redis.memory_usage(board.key, samples=0) or 0
        per_million = used / max(card, 1) * 1e6 / 2**20
        rows.append(f"| {period}, global | {card:,} | {used / 2**20:.1f} | {per_million:.1f} |")
    async for key in boards.redis.scan_iter(match=f"{PREFIX}lb:*", count=1000):
        members += await boards.redis.zcard(key) if ":{meta}" not in key else 0
    grown = (await boards.redis.info("memory"))["used_memory"] - used_before
    rows.append(
        f"| every board ({members:,} entries) | | {grown / 2**20:.1f} "
        f"| {grown / max(members, 1) * 1e6 / 2**20:.1f} |"
    )
    return rows


async def ledger_scan_seconds(dsn: str) -> float:
    """Baseline: one GROUP BY over the whole ledger, rows fetched to the client."""
    conn = await asyncpg.connect(dsn)
    try:
        began = time.perf_counter()
        await conn.fetch(
            "SELECT user_id, SUM(delta), MAX(created_at) FROM energy_ledger GROUP BY 1"
        )
        return time.perf_counter() - began
    finally:
        await conn.close()


async def prepare(args: argparse.Namespace, url: str, dsn: str) -> tuple[list[str], list[int]]:
    """Migrate, COPY the players in, give player 1 a password and 200 friends."""
    await migrate_database(url)
    began = time.perf_counter()
    rows = await load_players(dsn, args.players)
    took = time.perf_counter() - began
    friends = random.Random(11).sample(range(2, args.players + 1), min(200, args.players - 1))
    await befriend(dsn, ME, friends)
    await set_password_hash(dsn, ME, await hash_password(LOGIN[1], 65_536, 3))
    lines = [
        f"players: {args.players:,}; ledger rows: {rows:,} (COPY took {took:.1f} s); "
        f"samples per read: {args.samples}"
    ]
    return lines, friends


async def rebuild(boards: Boards, dsn: str) -> list[str]:
    """Time a full rebuild against one plain GROUP BY over the ledger."""
    scan = await ledger_scan_seconds(dsn)
    report = await rebuild_boards(boards, SystemClock())
    return [
        f"full rebuild: **{report.seconds:.1f} s** for {report.players:,} players "
        f"({report.scores:,} scores on {report.boards} boards)",
        f"baseline, one GROUP BY user over the ledger fetched to the client: {scan:.1f} s "
        f"(rebuild = {report.seconds / scan:.1f}x)",
    ]


async def run(
    args: argparse.Namespace, url: str, dsn: str, redis: Redis, redis_url: str
) -> list[str]:
    """Load, rebuild, measure; returns the report."""
    out, friends = await prepare(args, url, dsn)
    await open_database(url)
    boards = Boards(redis, PREFIX, timedelta(days=2), TZ)
    used_before = (await redis.info("memory"))["used_memory"]
    out += ["", "### Rebuild from PostgreSQL", *await rebuild(boards, dsn)]
    out += ["", "### Redis memory", *await memory(boards, used_before)]
    out += ["", "### Reads at the Redis call", *TABLE]
    out += await redis_reads(boards, friends, args.samples)
    out += ["", "### Reads through the HTTP endpoint", *TABLE]
    out += await asyncio.to_thread(endpoint_reads, url, redis_url, PREFIX, args, LOGIN)
    out += ["", "### Updates", *await updates(boards, args.updates, REDIS_SERVER, REDIS_DB)]
    out += ["", "### Board update after a collect (ledger totals + Redis)", *TABLE]
    out += await gain_latency(boards, args.players, 1000)
    return out


async def main(args: argparse.Namespace) -> None:
    """Create the database and Redis db of our own, run, and clean both up."""
    name = f"gs_bench_{uuid.uuid4().hex[:8]}"
    admin = PG_SERVER.replace("postgres://", "postgresql://", 1)
    dsn, url = with_path(admin, f"/{name}"), with_path(PG_SERVER, f"/{name}")
    redis_url = with_path(REDIS_SERVER, f"/{REDIS_DB}")
    redis = Redis.from_url(redis_url, decode_responses=True)
    await redis.flushdb()
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        print("\n".join(await run(args, url, dsn, redis, redis_url)))
    finally:
        await close_database()
        await redis.flushdb()
        await redis.aclose()
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Leaderboard benchmark")
    parser.add_argument("--players", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=200_000)
    parser.add_argument("--port", type=int, default=18765)
    began = time.perf_counter()
    asyncio.run(main(parser.parse_args()))
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s ({datetime.now(UTC):%Y-%m-%d})")
