"""The hot path under load: the five requests of the 07:00 peak against the bare framework.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
      .venv/bin/python -m scripts.bench.hotpath [--workers 1] [--rounds 3] [--seconds 4]

Loopback only, bounded (about two minutes with the defaults). It creates a PostgreSQL database
of its own (dropped at the end) and keeps its Redis keys under a random prefix, COPYs a world
(scripts/bench/world.py: players with 20 friends, sessions, ripe bubbles), starts
`greenspark serve` and a bare Litestar app (scripts/bench/bare.py) under the same uvicorn, and
drives each request with 64 keep-alive connections (scripts/bench/loadgen.py, a Python load
generator on the same machine), the kinds interleaved round by round. Every collect and steal
takes a ripe bubble of its own. It reports medians over rounds of throughput, p50 and p99, and
CPU per request of the app, of the database's backends and of Redis; then runs
`greenspark reconcile` and fails unless it exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import statistics
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import asyncpg
from redis.asyncio import Redis

from scripts.bench.loadgen import Result, http_request, run_load
from scripts.bench.realtime import (
    BenchError,
    Cleanup,
    bench_run,
    cpu_seconds,
    forget_keys,
    free_port,
    load_average,
    machine,
    make_database,
    run_loop,
    start_process,
    wait_ready,
)
from scripts.bench.world import World, load_world

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
KINDS = ("bare", "top100", "collect", "steal", "forest")
LABELS = {
    "bare": "bare Litestar + uvicorn JSON hello",
    "top100": "`GET /api/v1/leaderboards/energy?limit=100`",
    "collect": "`POST /api/v1/bubbles/{id}/collect`",
    "steal": "`POST /api/v1/bubbles/{id}/steal`",
    "forest": "`GET /api/v1/forest/me`",
}


def descendants(pid: int) -> list[int]:
    """A process and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def cpu_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds used so far by each live process."""
    used = {}
    for pid in pids:
        try:
            used[pid] = cpu_seconds(pid)
        except (OSError, IndexError, ValueError):
            continue
    return used


@dataclass
class Probe:
    """Where CPU goes: the app's processes, the database's backends for our database, Redis."""

    app_pid: int
    dsn: str
    redis_pid: int

    async def pg_pids(self) -> list[int]:
        """Backends connected to our database."""
        conn = await asyncpg.connect(self.dsn)
        try:
            rows = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        finally:
            await conn.close()
        return [int(r["pid"]) for r in rows]

    async def snapshot(self) -> dict[str, dict[int, float]]:
        """CPU seconds so far, by part."""
        return {
            "app": cpu_of(descendants(self.app_pid)),
            "db": cpu_of(await self.pg_pids()),
            "redis": cpu_of([self.redis_pid]),
            "loadgen": {0: resource.getrusage(resource.RUSAGE_SELF).ru_utime
                        + resource.getrusage(resource.RUSAGE_SELF).ru_stime},
        }  # fmt: skip


def spent(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
) -> dict[str, float]:
    """CPU seconds each part used between two snapshots."""
    return {
        part: sum(v - before[part].get(pid, 0.0) for pid, v in after[part].items())
        for part in after
    }


@dataclass
class Sample:
    """One kind's run in one round."""

    result: Result
    cpu: dict[str, float]


@dataclass
class Samples:
    """Every round of one request kind."""

    kind: str
    runs: list[Sample] = field(default_factory=list)

    def median(self, pick: Callable[[Sample], float]) -> float:
        """The median over rounds."""
        return statistics.median(pick(s) for s in self.runs) if self.runs else 0.0

    def cpu_ms(self, part: str) -> float:
        """Median CPU milliseconds per request of one part."""
        return self.median(lambda s: s.cpu[part] / max(1, s.result.count) * 1000)


class Sources:
    """Pre-encoded requests per kind; collects and steals each take an unused bubble."""

    def __init__(self, world: World, per_player: int = 6) -> None:
        self.world = world
        self.per_player = per_player
        self.collects = iter(world.collects)
        self.steals = iter(world.steals)

    def requests(self, kind: str) -> Iterator[bytes]:
        """An endless (or, for bubbles, exhaustible) stream of requests of one kind."""
        tokens, n = self.world.tokens, self.world.players
        if kind == "bare":
            request = http_request("GET", "/hello")
            while True:
                yield request
        i = 0
        while True:
            if kind == "collect":
                step = next(self.collects, None)
                if step is None:
                    return
                yield http_request("POST", f"/api/v1/bubbles/{step[1]}/collect", tokens[step[0]])
            elif kind == "steal":
                step = next(self.steals, None)
                if step is None:
                    return
                yield http_request("POST", f"/api/v1/bubbles/{step[1]}/steal", tokens[step[0]])
            elif kind == "top100":
                player = tokens[i // self.per_player % n]
                yield http_request("GET", "/api/v1/leaderboards/energy?limit=100", player)
            else:
                yield http_request("GET", "/api/v1/forest/me", tokens[i // self.per_player % n])
            i += 1


def server_env(db_url: str, redis_url: str, prefix: str, folder: Path, key: str) -> dict[str, str]:
    """The app's environment for a benchmark run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENSPARK_")}
    env |= {
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "GREENSPARK_REDIS_PREFIX": prefix,
        "GREENSPARK_DATA_DIR": str(folder),
        "GREENSPARK_SECRET_KEY": key,
        "GREENSPARK_AUTO_MIGRATE": "false",
        "GREENSPARK_LOG_JSON": "true",
    }
    return env


async def redis_pid(url: str) -> int:
    """The Redis server's process id (from INFO)."""
    client = Redis.from_url(url)
    try:
        return int((await client.info("server"))["process_id"])
    finally:
        await client.aclose()


@dataclass
class Stage:
    """A running benchmark: servers, world and probes."""

    world: World
    app_port: int
    bare_port: int
    probe: Probe
    bare_probe: Probe
    env: dict[str, str]


async def setup(
    args: argparse.Namespace, cleanup: Cleanup, folder: Path, serve: list[str] | None = None
) -> Stage:
    """Database, migrations, world, the app (`serve` starts it) and the bare server, ready."""
    db_server = os.environ.get("DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    db_url, _ = await make_database(db_server, cleanup)
    dsn = db_url.replace("postgres://", "postgresql://", 1)
    prefix = f"gs-hot-{uuid.uuid4().hex[:8]}:"
    cleanup.add(partial(forget_keys, redis_url, prefix))
    key = secrets.token_urlsafe(48)
    env = server_env(db_url, redis_url, prefix, folder / "data", key)
    await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "app", "migrate"], env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    per = args.bubbles
    world = await load_world(dsn, key, players=args.players, collects_per_player=per,
                             steals_per_player=per)  # fmt: skip
    # Boards built once, as an operator does after loading data; else the first read rebuilds.
    await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "app", "rebuild-leaderboards"], env=env,
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    app_port, bare_port = free_port(), free_port()
    serve = serve or [sys.executable, "-m", "app", "serve", "--workers", str(args.workers),
                      "--no-worker"]  # fmt: skip
    app = start_process([*serve, "--port", str(app_port)], env, folder / "app.log", cleanup)
    bare = start_process(
        [sys.executable, "-m", "uvicorn", "scripts.bench.bare:app", "--port", str(bare_port),
         "--workers", str(args.workers), "--log-level", "warning", "--no-access-log"],
        env, folder / "bare.log", cleanup,
    )  # fmt: skip
    await wait_ready(f"http://127.0.0.1:{app_port}", app)
    rpid = await redis_pid(redis_url)
    return Stage(world, app_port, bare_port, Probe(app.pid, dsn, rpid),
                 Probe(bare.pid, dsn, rpid), env)  # fmt: skip


async def measure(args: argparse.Namespace, stage: Stage) -> dict[str, Samples]:
    """Interleaved rounds of every kind; the first warms up and is dropped."""
    sources = Sources(stage.world, args.per_player)
    samples = {kind: Samples(kind) for kind in KINDS}
    warm = Sources(stage.world)
    await run_load("127.0.0.1", stage.app_port, warm.requests("forest"), seconds=1.0)
    await run_load("127.0.0.1", stage.app_port, warm.requests("top100"), seconds=1.0)
    await run_load("127.0.0.1", stage.bare_port, warm.requests("bare"), seconds=1.0)
    for round_no in range(args.rounds):
        for kind in KINDS:
            port = stage.bare_port if kind == "bare" else stage.app_port
            probe = stage.bare_probe if kind == "bare" else stage.probe
            before = await probe.snapshot()
            result = await run_load(
                "127.0.0.1", port, sources.requests(kind), connections=args.connections,
                seconds=args.seconds,
            )  # fmt: skip
            cpu = spent(before, await probe.snapshot())
            samples[kind].runs.append(Sample(result, cpu))
            print(
                f"round {round_no + 1} {kind:8} {result.rate:8.0f} req/s  p50 "
                f"{result.pct(50):6.1f} ms  p99 {result.pct(99):6.1f} ms  errors {result.errors}"
                f" {dict(result.statuses)}  load {load_average():.1f}",
                file=sys.stderr,
            )
            # Let the relay and the board batches settle before the next kind.
            await asyncio.sleep(0.5)
    return samples


def report(args: argparse.Namespace, samples: dict[str, Samples], reconcile_rc: int) -> str:
    """The Markdown table."""
    bare = samples["bare"].median(lambda s: s.result.rate) or 1.0
    lines = [
        f"Machine: {machine()}; load average at the end {load_average():.1f} (busy machine: "
        "other engineers' test runs share the two cores).",
        f"Command: `.venv/bin/python -m scripts.bench.hotpath --workers {args.workers} "
        f"--rounds {args.rounds} --seconds {args.seconds} --players {args.players} "
        f"--per-player {args.per_player}`; {args.connections} keep-alive connections, medians "
        f"of {args.rounds} interleaved rounds; reads by each player {args.per_player} in a row, "
        f"{args.bubbles} collects and {args.bubbles} steals by each in a row.",
        "",
        "| request | req/s | p50 ms | p99 ms | errors | app CPU ms/req | PostgreSQL CPU ms/req "
        "| Redis CPU ms/req | load generator CPU ms/req | req/s / bare |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        s = samples[kind]
        rate = s.median(lambda x: x.result.rate)
        lines.append(
            f"| {LABELS[kind]} | {rate:,.0f} | {s.median(lambda x: x.result.pct(50)):.1f} | "
            f"{s.median(lambda x: x.result.pct(99)):.1f} | "
            f"{sum(x.result.errors for x in s.runs)} | {s.cpu_ms('app'):.3f} | "
            f"{s.cpu_ms('db'):.3f} | {s.cpu_ms('redis'):.3f} | {s.cpu_ms('loadgen'):.3f} | "
            f"{rate / bare:.3f} |"
        )
    lines.append("")
    lines.append(f"`greenspark reconcile` afterwards: exit {reconcile_rc}.")
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--players", type=int, default=5000)
    parser.add_argument("--bubbles", type=int, default=3, help="ripe bubbles per player per kind")
    parser.add_argument(
        "--per-player", type=int, default=6,
        help="consecutive reads by one player (a player's burst: forest, collect, visit, steal, "
        "boards); collects and steals take each player's bubbles in turn",
    )  # fmt: skip
    return parser.parse_args()


def main() -> None:
    """Run the benchmark and print its table."""
    args = parse_args()
    with bench_run("hotpath", 600) as (cleanup, folder):
        stage = run_loop(setup(args, cleanup, folder))
        samples = run_loop(measure(args, stage))
        done = subprocess.run([sys.executable, "-m", "app", "reconcile"], env=stage.env,
                              capture_output=True, text=True)  # fmt: skip
        print(report(args, samples, done.returncode))
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
            raise BenchError("reconcile found mismatches")


if __name__ == "__main__":
    main()
