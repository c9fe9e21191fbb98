"""Sockets at the peak: memory per idle socket, idle CPU, and event latency during a burst.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
      .venv/bin/python -m scripts.bench.sockets [--sockets 10000] [--seconds 8]

Loopback only, about two minutes. The world and servers of scripts/bench/hotpath.py (one app
process); every player opens one websocket with their access token in the Authorization header.
Then, in order: the app's resident memory before and after the sockets (KiB per socket); its CPU
over a quiet window with every socket open; and a burst: 64 keep-alive connections stealing
from friends' ripe bubbles (and as many collecting) while every owner's socket listens, each
`bubble.stolen` timed from the moment its steal was sent to the moment the owner's socket
received it (outbox, relay, Redis, the process's one subscription, the socket).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from websockets.asyncio.client import ClientConnection, connect

from scripts.bench.hotpath import Sources, Stage, cpu_of, descendants, setup
from scripts.bench.loadgen import http_request, run_load
from scripts.bench.realtime import (
    Cleanup,
    bench_run,
    load_average,
    machine,
    rss_kib,
    run_loop,
)


def app_rss_kib(pid: int) -> int:
    """Resident memory of the app's processes."""
    return sum(rss_kib(p) for p in descendants(pid))


def app_cpu(pid: int) -> float:
    """CPU seconds the app's processes have used."""
    return sum(cpu_of(descendants(pid)).values())


class Listeners:
    """Every player's socket, and when each stolen bubble's event arrived."""

    def __init__(self) -> None:
        self.sockets: list[ClientConnection] = []
        self.arrived: dict[int, float] = {}
        self.frames = 0
        self.tasks: list[asyncio.Task[None]] = []

    async def open(self, port: int, tokens: list[str], parallel: int = 100) -> None:
        """One socket per token, `parallel` handshakes at a time."""
        gate = asyncio.Semaphore(parallel)

        async def one(token: str) -> None:
            async with gate:
                ws = await connect(
                    f"ws://127.0.0.1:{port}/api/v1/ws",
                    additional_headers={"Authorization": f"Bearer {token}"},
                    ping_interval=None, max_queue=64, open_timeout=60,
                )  # fmt: skip
                self.sockets.append(ws)
                self.tasks.append(asyncio.create_task(self.read(ws)))

        self.tasks.append(asyncio.create_task(self.ping_every(30.0)))
        await asyncio.gather(*(one(t) for t in tokens))

    async def ping_every(self, seconds: float) -> None:
        """What a client does to stay open: a ping well within the server's idle limit."""
        while True:
            await asyncio.sleep(seconds)
            for ws in list(self.sockets):
                with contextlib.suppress(Exception):
                    await ws.send('{"type":"ping"}')

    async def read(self, ws: ClientConnection) -> None:
        """Note the arrival time of every bubble.stolen."""
        try:
            async for frame in ws:
                self.frames += 1
                now = time.perf_counter()
                if isinstance(frame, str) and '"bubble.stolen"' in frame:
                    self.arrived[int(orjson.loads(frame)["data"]["bubble_id"])] = now
        except Exception:
            return

    async def close(self) -> None:
        """Close every socket."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def timed_steals(stage: Stage, sent: dict[int, float]) -> Iterator[bytes]:
    """Steal requests, each noting when it was handed to the load generator."""
    for thief, bubble_id in stage.world.steals:
        sent[bubble_id] = time.perf_counter()
        yield http_request("POST", f"/api/v1/bubbles/{bubble_id}/steal", stage.world.tokens[thief])


async def bench(args: argparse.Namespace, folder: Path, cleanup: Cleanup) -> str:
    """Run every measurement; returns the report."""
    stage = await setup(args, cleanup, folder)
    pid = stage.probe.app_pid
    await run_load("127.0.0.1", stage.app_port, Sources(stage.world).requests("forest"),
                   seconds=1.0)  # fmt: skip
    await asyncio.sleep(2)
    before = app_rss_kib(pid)
    listeners = Listeners()
    started = time.perf_counter()
    await listeners.open(stage.app_port, stage.world.tokens[: args.sockets])
    opened = time.perf_counter() - started
    await asyncio.sleep(3)
    after = app_rss_kib(pid)
    cpu0, t0 = app_cpu(pid), time.perf_counter()
    await asyncio.sleep(args.idle)
    idle_cpu = (app_cpu(pid) - cpu0) / (time.perf_counter() - t0)
    sent: dict[int, float] = {}
    cpu1 = app_cpu(pid)
    steals, collects = await asyncio.gather(
        run_load("127.0.0.1", stage.app_port, timed_steals(stage, sent), seconds=args.seconds,
                 connections=args.connections),
        run_load("127.0.0.1", stage.app_port, Sources(stage.world).requests("collect"),
                 seconds=args.seconds, connections=args.connections),
    )  # fmt: skip
    burst_cpu = app_cpu(pid) - cpu1
    await asyncio.sleep(3)
    latencies = sorted(listeners.arrived[b] - t for b, t in sent.items() if b in listeners.arrived)
    await listeners.close()
    expected = steals.statuses.get(200, 0)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q / 100 * len(latencies)))] * 1000

    per_socket = (after - before) / max(1, len(listeners.sockets))
    return "\n".join([
        f"Machine: {machine()}; load average {load_average():.1f} at the end (busy machine: "
        "other engineers' test runs share the two cores; the load generator and every client "
        "socket run in one Python process on the same cores).",
        f"Command: `.venv/bin/python -m scripts.bench.sockets --sockets {args.sockets} "
        f"--seconds {args.seconds} --connections {args.connections}`",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| sockets open in one app process | {len(listeners.sockets):,} "
        f"(opened in {opened:.1f} s) |",
        f"| app resident memory before / after | {before / 1024:.0f} MiB / "
        f"{after / 1024:.0f} MiB |",
        f"| memory per idle socket | **{per_socket:.1f} KiB** |",
        f"| app CPU with every socket idle | {idle_cpu * 100:.2f} % of one core "
        f"(over {args.idle:.0f} s) |",
        f"| burst: steals / collects answered | {steals.count:,} ({steals.rate:.0f}/s, p99 "
        f"{steals.pct(99):.0f} ms) / {collects.count:,} ({collects.rate:.0f}/s, p99 "
        f"{collects.pct(99):.0f} ms) |",
        f"| burst: app CPU | {burst_cpu / args.seconds * 100:.0f} % of one core |",
        f"| `bubble.stolen` delivered / steals answered 200 | {len(latencies):,} / "
        f"{expected:,} |",
        f"| event latency, steal sent → owner's frame: p50 / p99 / max | "
        f"{pct(50):.1f} / **{pct(99):.1f}** / {latencies[-1] * 1000:.1f} ms |"
        if latencies else "| event latency | no events arrived |",
        f"| the steal request itself: p50 / p99 | {steals.pct(50):.1f} / {steals.pct(99):.1f} ms |",
    ])  # fmt: skip


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument(
        "--connections", type=int, default=16, help="keep-alive connections per kind in the burst"
    )
    args = parser.parse_args()
    args.players = args.sockets
    args.bubbles = 1
    args.workers = 1
    return args


def main() -> None:
    """Run the socket benchmark and print its table."""
    args = parse_args()
    with bench_run("sockets", 600) as (cleanup, folder):
        print(run_loop(bench(args, folder, cleanup)))


if __name__ == "__main__":
    sys.exit(main())
