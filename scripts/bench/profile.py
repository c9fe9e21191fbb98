"""Where a request's CPU goes: the app under cProfile while the load generator drives one kind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
      .venv/bin/python -m scripts.bench.profile --kind collect [--seconds 8]

Same world and servers as scripts/bench/hotpath.py, but the app process runs under cProfile
(`--serve` below), so its throughput is lower than unprofiled; the shares are what count. It
prints self time grouped by library and by the project's own packages, the top functions, and
the SQL statements per request (from PostgreSQL's pg_stat_statements when it is loaded, else by
counting the statements the app sent through its connection's execute methods).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from types import FrameType

from scripts.bench.hotpath import Sources, setup
from scripts.bench.loadgen import run_load
from scripts.bench.realtime import Cleanup, bench_run, run_loop

GROUPS = [
    ("tortoise", "ORM (tortoise, pypika)"),
    ("pypika", "ORM (tortoise, pypika)"),
    ("asyncpg", "asyncpg driver"),
    ("litestar", "framework (litestar)"),
    ("uvicorn", "server (uvicorn, httptools)"),
    ("httptools", "server (uvicorn, httptools)"),
    ("structlog", "logging (structlog, logging)"),
    ("/logging/", "logging (structlog, logging)"),
    ("prometheus", "metrics (prometheus)"),
    ("jwt", "JWT (pyjwt)"),
    ("redis", "Redis client (redis-py)"),
    ("msgspec", "serialisation (msgspec, orjson, json)"),
    ("orjson", "serialisation (msgspec, orjson, json)"),
    ("/json/", "serialisation (msgspec, orjson, json)"),
    ("/asyncio/", "event loop (asyncio, uvloop)"),
    ("uvloop", "event loop (asyncio, uvloop)"),
    ("/app/", "project: app/"),
    ("/game/", "project: game/"),
    ("/social/", "project: social/"),
    ("/core/", "project: core/"),
]


def group_of(filename: str) -> str:
    """The library or package a function's file belongs to."""
    for needle, name in GROUPS:
        if needle in filename:
            return name
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C calls)"
    return "other Python (stdlib, pydantic, …)"


def summarise(stats_file: Path, requests: int, top: int) -> str:
    """Self time by group and the top functions, per request."""
    stats = pstats.Stats(str(stats_file))
    raw = stats.stats  # type: ignore[attr-defined]
    by_group: dict[str, float] = defaultdict(float)
    total = 0.0
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in raw.items():
        by_group[group_of(filename)] += tottime
        total += tottime
        rows.append((tottime, calls, filename, line, name, cumtime))
    per_request = total / max(1, requests) * 1000
    lines = [
        f"profiled self time: {total:.2f} s over {requests} requests "
        f"({per_request:.3f} ms per request, profiler overhead included)",
        "",
        "| group | share of self time | ms per request |",
        "| --- | --- | --- |",
    ]
    for name, seconds in sorted(by_group.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {seconds / total:.1%} | {seconds / requests * 1000:.3f} |")
    lines += ["", "| function | calls per request | self ms per request | cumulative ms |",
              "| --- | --- | --- | --- |"]  # fmt: skip
    for tottime, calls, filename, line, name, cumtime in sorted(rows, reverse=True)[:top]:
        short = filename.split("site-packages/")[-1].split("/peak/")[-1]
        lines.append(
            f"| `{short}:{line} {name}` | {calls / requests:.1f} | "
            f"{tottime / requests * 1000:.3f} | {cumtime / requests * 1000:.3f} |"
        )
    return "\n".join(lines)


def serve_profiled(port: int, out: Path) -> None:
    """Run the app in this process under cProfile; dump the stats on SIGTERM or SIGINT."""
    import uvicorn

    profiler = cProfile.Profile()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        profiler.disable()
        profiler.dump_stats(str(out))
        os._exit(0)

    def start(_signum: int, _frame: FrameType | None) -> None:
        profiler.enable()

    # Only the measured window: not the imports, the start-up or the warm-up.
    signal.signal(signal.SIGUSR2, start)
    signal.signal(signal.SIGUSR1, stop)
    uvicorn.run(
        "app.main:create_app", factory=True, host="127.0.0.1", port=port, log_level="warning",
        access_log=False,
    )  # fmt: skip


async def drive(args: argparse.Namespace, folder: Path, cleanup: Cleanup) -> tuple[int, int]:
    """Start the profiled app, drive one kind; returns (app pid, requests answered)."""
    out = folder / "profile.pstats"
    serve = [sys.executable, "-m", "scripts.bench.profile", "--serve", str(out)]
    stage = await setup(args, cleanup, folder, serve=serve)
    sources = Sources(stage.world, args.per_player)
    await run_load("127.0.0.1", stage.app_port, Sources(stage.world).requests("forest"),
                   seconds=1.0)  # fmt: skip
    os.kill(stage.probe.app_pid, signal.SIGUSR2)
    result = await run_load(
        "127.0.0.1", stage.app_port, sources.requests(args.kind), connections=args.connections,
        seconds=args.seconds,
    )  # fmt: skip
    print(f"{args.kind}: {result.rate:.0f} req/s under the profiler, statuses "
          f"{dict(result.statuses)}", file=sys.stderr)  # fmt: skip
    return stage.probe.app_pid, result.count


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", default="collect",
                        choices=["collect", "steal", "top100", "forest"])  # fmt: skip
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--players", type=int, default=2000)
    parser.add_argument("--bubbles", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--per-player", type=int, default=6)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    """Profile one kind of request and print the summary."""
    args = parse_args()
    if args.serve is not None:
        serve_profiled(args.port, args.serve)
        return
    with bench_run("profile", 300) as (cleanup, folder):
        pid, requests = run_loop(drive(args, folder, cleanup))
        os.kill(pid, signal.SIGUSR1)
        out = folder / "profile.pstats"
        for _ in range(100):
            if out.exists() and out.stat().st_size:
                break
            subprocess.run(["sleep", "0.1"], check=False)
        print(f"## Profile: {args.kind}, one process, {args.connections} connections\n")
        print(summarise(out, requests, args.top))


if __name__ == "__main__":
    main()
