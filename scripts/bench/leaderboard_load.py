"""Timing helpers and the load-driving parts of the leaderboard benchmark."""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import httpx

from core.clock import SystemClock
from core.events import OutboxEvents
from game.energy.models import LedgerEntry
from game.leaderboards.boards import Write, write_scores
from game.leaderboards.energy import Boards, energy_board
from game.leaderboards.gains import record_gains
from game.leaderboards.periods import PERIODS, label_of

TABLE = [
    "| what | p50 ms | p99 ms | p50 / baseline | p99 / baseline |",
    "| --- | --- | --- | --- | --- |",
]
BOARD = "/api/v1/leaderboards/energy"
READS = [
    ("top 100", "?limit=100"),
    ("around me (21 rows)", "?around=me&limit=21"),
    ("friends (200), this week", "?scope=friends&period=week&limit=100"),
]


def pct(samples: list[float], q: float) -> float:
    """The q-th percentile of samples (seconds), in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


def row(name: str, samples: list[float], base: list[float]) -> str:
    """A Markdown row: p50 and p99 and their ratios to the baseline's."""
    p50, p99, b50, b99 = pct(samples, 50), pct(samples, 99), pct(base, 50), pct(base, 99)
    return f"| {name} | {p50:.3f} | {p99:.3f} | {p50 / b50:.1f}x | {p99 / b99:.1f}x |"


async def timed(work: Callable[[], Awaitable[object]], n: int) -> list[float]:
    """Seconds each of n sequential runs took, after a short warm-up."""
    for _ in range(min(50, n)):
        await work()
    out = []
    for _ in range(n):
        began = time.perf_counter()
        await work()
        out.append(time.perf_counter() - began)
    return out


def _serve(
    url: str, redis_url: str, prefix: str, port: int, folder: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "GREENSPARK_REDIS_PREFIX": prefix,
        "GREENSPARK_DATA_DIR": folder,
        "GREENSPARK_AUTO_MIGRATE": "false",
        "GREENSPARK_LOG_JSON": "true",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _get(http: httpx.Client, path: str, headers: dict[str, str], n: int) -> list[float]:
    for _ in range(min(100, n)):
        http.get(path, headers=headers).raise_for_status()
    out = []
    for _ in range(n):
        began = time.perf_counter()
        http.get(path, headers=headers).raise_for_status()
        out.append(time.perf_counter() - began)
    return out


def _wait_ready(http: httpx.Client) -> None:
    for _ in range(300):
        try:
            if http.get("/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the benchmark server did not become ready")


def endpoint_reads(
    url: str, redis_url: str, prefix: str, args: argparse.Namespace, login: tuple[str, str]
) -> list[str]:
    """Latency through HTTP (one server process), against GET /api/v1/me."""
    with tempfile.TemporaryDirectory() as folder:
        server = _serve(url, redis_url, prefix, args.port, folder)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=10) as http:
                _wait_ready(http)
                body = {"username": login[0], "password": login[1]}
                token = http.post("/api/v1/auth/login", json=body).raise_for_status().json()
                headers = {"Authorization": f"Bearer {token['access_token']}"}
                base = _get(http, "/api/v1/me", headers, args.samples)
                lines = [row("GET /api/v1/me (baseline)", base, base)]
                for name, query in READS:
                    lines.append(row(name, _get(http, BOARD + query, headers, args.samples), base))
                return lines
        finally:
            server.terminate()
            server.wait(timeout=30)


def zincrby_rate(redis_server: str, db: int, key: str, count: int) -> float:
    """redis-benchmark's pipelined (-P 16) ZINCRBY rate on the same server and db."""
    parts = urlsplit(redis_server)
    command = [
        "redis-benchmark", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379),
        "--dbnum", str(db), "-n", str(count), "-P", "16", "-r", "1000000", "-q",
        "ZINCRBY", key, "1", "__rand_int__",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    return float(re.findall(r"([\d.]+) requests per second", out.stdout)[-1])


async def update_rate(boards: Boards, count: int, batch: int) -> float:
    """Board writes per second through write_scores, `batch` writes per round trip."""
    now = SystemClock().now()
    tz = boards.default_tz
    targets = [energy_board(boards, p, label_of(p, now, tz)) for p in PERIODS]
    stamp, rng = int(now.timestamp()), random.Random(3)
    writes = [
        Write(targets[i % 3], str(rng.randint(1, 10**6)), rng.randint(1, 10**5), stamp)
        for i in range(count)
    ]
    began = time.perf_counter()
    for start in range(0, count, batch):
        await write_scores(boards.redis, writes[start : start + batch], now)
    return count / (time.perf_counter() - began)


async def updates(boards: Boards, count: int, redis_server: str, db: int) -> list[str]:
    """Our pipelined board writes as a ratio to redis-benchmark's pipelined ZINCRBY."""
    key = f"{boards.prefix}zincrby"
    raw = zincrby_rate(redis_server, db, key, count)
    await boards.redis.delete(key)
    out = [f"- baseline, `redis-benchmark -P 16 ZINCRBY`: {raw:,.0f} updates/s"]
    for batch in (16, 1000):
        rate = await update_rate(boards, count, batch)
        out.append(
            f"- `write_scores`, {batch} writes per round trip: {rate:,.0f} updates/s "
            f"(**{rate / raw:.2f}x** ZINCRBY)"
        )
    return out


async def gain_latency(boards: Boards, players: int, n: int) -> list[str]:
    """record_gains for one collect (totals read back from the ledger, boards written)."""
    from core.users import User

    clock, events, rng = SystemClock(), OutboxEvents(SystemClock()), random.Random(5)

    async def gain() -> None:
        user_id = rng.randint(2, players)
        entry = LedgerEntry(user_id=user_id, delta=1, kind="collect", created_at=clock.now())
        await record_gains(boards, clock, events, [entry])

    base = await timed(lambda: User.get(id=rng.randint(1, players)), n)
    return [
        row("one user by primary key (baseline)", base, base),
        row("record_gains, one collect", await timed(gain, n), base),
    ]
