"""Realtime benchmark (issue 3): steal-to-socket latency and fan-out with N connected sockets.

Starts one `python -m app serve` process and, in the same run, a bare `websockets` server as the
baseline; the same client code measures both. Loopback only, bounded in time; every process it
starts is stopped, even on failure. The figures go into docs/benchmarks.md.

    python -m scripts.bench.realtime [--sockets 2000] [--steals 200]

With DATABASE_URL / REDIS_URL set, the server runs on a fresh PostgreSQL database (dropped at the
end) and that Redis under a random key prefix; otherwise on its embedded SQLite and Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import orjson
import redis
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

from app.realtime import EventRouter

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
INTRO = "# Benchmarks\n\nFigures measured by the scripts in `scripts/bench/`; each section names its machine and command.\n"  # noqa: E501
SECTION = "## Realtime (issue 3)"
SETUP_CONCURRENCY = 50
CONNECT_CONCURRENCY = 100
PING_EVERY = 45.0  # the server closes a socket that says nothing for 90 s
IDLE_SECONDS = 10.0
FANOUT_PER_SOCKET = 10
PUBLISHERS = 32
EVENT_WAIT = 10.0
FANOUT_QUIET = 10.0
FANOUT_LIMIT = 120.0
STOLEN, DIRECT, FANOUT = "bubble.stolen", "bench.direct", "bench.fanout"
PING = '{"type":"ping"}'


class BenchError(RuntimeError):
    """The benchmark could not measure what it set out to."""


# ---------------------------------------------------------------- processes and cleanup


class Cleanup:
    """Undo steps run once, newest first, on success, on failure, or from the watchdog."""

    def __init__(self) -> None:
        """No steps yet."""
        self.steps: list[Callable[[], object]] = []
        self.logs: list[Path] = []
        self.lock = threading.Lock()

    def add(self, step: Callable[[], object]) -> None:
        """Remember a step to run at the end."""
        self.steps.append(step)

    def run(self) -> None:
        """Run every remembered step; a failing step does not stop the others."""
        with self.lock:
            while self.steps:
                step = self.steps.pop()
                try:
                    step()
                except Exception as exc:
                    print(f"cleanup step failed: {exc!r}", file=sys.stderr)

    def show_logs(self, lines: int = 30) -> None:
        """Print the end of each child process log (on failure)."""
        for log in self.logs:
            if not log.exists():
                continue
            text = log.read_text(errors="replace").splitlines()
            errors = [line for line in text if re.search(r"Error|Exception|WARNING", line)]
            print(f"--- {log.name}: error lines", *errors[-lines:], sep="\n", file=sys.stderr)
            print(f"--- {log.name}: last lines", *text[-lines:], sep="\n", file=sys.stderr)


def arm_watchdog(seconds: float, cleanup: Cleanup) -> threading.Timer:
    """Stop everything and exit if the run overstays its hard limit."""

    def fire() -> None:
        """Clean up and leave at once."""
        print("realtime bench: hard timeout, stopping everything", file=sys.stderr)
        cleanup.run()
        os._exit(2)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


@contextlib.contextmanager
def bench_run(name: str, limit_seconds: float) -> Iterator[tuple[Cleanup, Path]]:
    """One benchmark run: the open-file limit raised, a watchdog at `limit_seconds`, a scratch
    folder; child logs shown if it fails, and every child stopped at the end."""
    raise_fd_limit()
    cleanup = Cleanup()
    watchdog = arm_watchdog(limit_seconds, cleanup)
    folder = Path(tempfile.mkdtemp(prefix=f"gs-{name}-"))
    try:
        yield cleanup, folder
    except Exception:
        cleanup.show_logs(lines=10)
        raise
    finally:
        cleanup.run()
        watchdog.cancel()


def raise_fd_limit() -> None:
    """Allow as many open files as the hard limit (children inherit it)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_process(
    argv: list[str], env: dict[str, str], log: Path, cleanup: Cleanup
) -> subprocess.Popen[bytes]:
    """Start a child in its own process group, output to `log`; cleanup stops it."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    cleanup.logs.append(log)
    cleanup.add(partial(stop_process, process))
    return process


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child, SIGKILL its group if it lingers; then end leftovers of its group."""
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)  # in case it was stopped mid-measure
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)


def rss_kib(pid: int) -> int:
    """Resident memory of one process, in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    if match is None:
        raise BenchError(f"no VmRSS for process {pid}")
    return int(match.group(1))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time one process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on uvloop when installed (as uvicorn does), else on asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


async def bounded(jobs: Iterable[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    """Run jobs at most `limit` at a time; results in job order; one failure cancels the rest."""
    gate = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[T]]) -> T:
        """One job, once a slot is free."""
        async with gate:
            return await job()

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(run(job)) for job in jobs]
    return [task.result() for task in tasks]


# ---------------------------------------------------------------- database and Redis


@dataclass
class Backing:
    """Where the server keeps its data, and how to describe it."""

    env: dict[str, str]
    prefix: str
    redis_url: str | None
    label: str


def without_password(url: str) -> str:
    """The URL with any password masked."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


async def make_database(server_url: str, cleanup: Cleanup) -> tuple[str, str]:
    """A fresh PostgreSQL database with a random name; returns (its URL, a label)."""
    name = f"gs_bench_{uuid.uuid4().hex[:12]}"
    admin = server_url.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin)
    try:
        version = await conn.fetchval("SHOW server_version")
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    cleanup.add(partial(drop_database, admin, name))
    address = urlsplit(server_url).netloc.rsplit("@", 1)[-1]
    label = f"PostgreSQL {version.split()[0]} at {address} (a fresh database)"
    return f"{server_url.rpartition('/')[0]}/{name}", label


def drop_database(admin: str, name: str) -> None:
    """Drop the benchmark's database (run from cleanup, outside any event loop)."""

    async def drop() -> None:
        """Drop it, even with connections left open."""
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(drop())


def forget_keys(url: str, prefix: str) -> None:
    """Delete the benchmark's keys from a shared Redis."""
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    finally:
        client.close()


async def redis_label(url: str) -> str:
    """`Redis <version> at <address>`."""
    client = Redis.from_url(url)
    try:
        version = (await client.info("server"))["redis_version"]
    finally:
        await client.aclose()
    return f"Redis {version} at {urlsplit(url).netloc.rsplit('@', 1)[-1]} (a random key prefix)"


async def prepare_backing(folder: Path, cleanup: Cleanup) -> Backing:
    """The server's environment: our database and Redis prefix, cheap hashing, instant ripening."""
    prefix = f"gs-bench-{uuid.uuid4().hex[:10]}:"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "GREENSPARK_DATA_DIR": str(folder / "data"),
        "GREENSPARK_REDIS_PREFIX": prefix,
        "GREENSPARK_RIPEN_DELAY_SECONDS": "0",
        "GREENSPARK_PASSWORD_MEMORY_KIB": "1024",
        "GREENSPARK_PASSWORD_TIME_COST": "1",
        "GREENSPARK_LOGIN_ATTEMPTS_PER_ADDRESS": "1000000",
        "GREENSPARK_SECRET_KEY": secrets.token_urlsafe(48),
    }
    labels = ["SQLite (embedded default)"]
    if server_url := os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], labels[0] = await make_database(server_url, cleanup)
        env["GREENSPARK_AUTO_MIGRATE"] = "true"
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = redis_url
        cleanup.add(partial(forget_keys, redis_url, prefix))
        labels.append(await redis_label(redis_url))
    else:
        labels.append("the server's embedded Redis (unix socket)")
    return Backing(env=env, prefix=prefix, redis_url=redis_url, label=" + ".join(labels))


# ---------------------------------------------------------------- websocket clients


@dataclass
class FanOut:
    """What a fan-out delivered and how fast."""

    expected: int
    delivered: int
    seconds: float
    publish_seconds: float
    fewest: int
    most: int

    @property
    def rate(self) -> float:
        """Delivered events per second, first publish to last arrival."""
        return self.delivered / self.seconds if self.seconds > 0 else 0.0


class Clients:
    """Websocket clients that read in the background and note when each frame arrives."""

    def __init__(self, deflate: bool) -> None:
        """No sockets yet; `deflate` makes clients offer permessage-deflate."""
        self.compression = "deflate" if deflate else None
        self.sockets: list[ClientConnection | None] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.waiters: dict[tuple[int, str], asyncio.Future[float]] = {}
        self.counts: list[int] = []
        self.expected = self.seen = 0
        self.last_arrival = 0.0
        self.all_arrived = asyncio.Event()
        self.server_closed: dict[int, int] = {}
        self.closing = False

    async def connect_all(self, urls: list[str], tokens: list[str] | None = None) -> None:
        """Open one socket per URL, CONNECT_CONCURRENCY handshakes at a time.

        A token goes in the Authorization header of its handshake, never in the URL.
        """
        self.sockets = [None] * len(urls)
        self.counts = [0] * len(urls)
        given = tokens or [None] * len(urls)
        jobs = [
            partial(self._open, index, url, token)
            for index, (url, token) in enumerate(zip(urls, given, strict=True))
        ]
        await bounded(jobs, CONNECT_CONCURRENCY)

    async def _open(self, index: int, url: str, token: str | None = None) -> None:
        """Connect one client and start its reader and keep-alive."""
        headers = {"Authorization": f"Bearer {token}"} if token else None
        ws = await connect(
            url, open_timeout=60, ping_interval=None, close_timeout=5, proxy=None,
            compression=self.compression, additional_headers=headers,
        )  # fmt: skip
        self.sockets[index] = ws
        self.tasks.append(asyncio.create_task(self._read(index, ws)))
        self.tasks.append(asyncio.create_task(self._keepalive(ws)))

    async def _read(self, index: int, ws: ClientConnection) -> None:
        """Note every frame; count sockets the server closes on us."""
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                arrived = time.perf_counter()
                self._note(index, orjson.loads(raw), arrived)
        if not self.closing:
            code = ws.close_code or 0
            self.server_closed[code] = self.server_closed.get(code, 0) + 1

    async def _keepalive(self, ws: ClientConnection) -> None:
        """Send an app-level ping now and then, as a real client must."""
        await asyncio.sleep(random.uniform(0, PING_EVERY))
        with contextlib.suppress(ConnectionClosed):
            while True:
                await ws.send(PING)
                await asyncio.sleep(PING_EVERY)

    def _note(self, index: int, event: dict[str, Any], arrived: float) -> None:
        """Resolve the waiter this frame answers, or count a fan-out frame."""
        kind = event.get("type")
        if kind == FANOUT:
            self.counts[index] += 1
            self.seen += 1
            self.last_arrival = arrived
            if self.seen >= self.expected:
                self.all_arrived.set()
            return
        key = {STOLEN: "bubble_id", DIRECT: "n"}.get(str(kind))
        if key is not None:
            waiter = self.waiters.pop((index, f"{kind}:{event['data'][key]}"), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(arrived)

    def expect(self, index: int, key: str) -> asyncio.Future[float]:
        """A future resolved with the arrival time of frame `key` on socket `index`."""
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[(index, key)] = waiter
        return waiter

    def expect_fanout(self, per_socket: int) -> None:
        """Start counting fan-out frames."""
        self.counts = [0] * len(self.sockets)
        self.expected, self.seen = per_socket * len(self.sockets), 0
        self.all_arrived.clear()

    async def settle_fanout(self) -> None:
        """Wait until every fan-out frame arrived, or none arrived for FANOUT_QUIET seconds."""
        deadline = time.perf_counter() + FANOUT_LIMIT
        while not self.all_arrived.is_set() and time.perf_counter() < deadline:
            seen = self.seen
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.all_arrived.wait(), FANOUT_QUIET)
            if self.seen == seen:
                return

    def fanout_result(self, started: float, publish_seconds: float) -> FanOut:
        """The fan-out's figures, timed from `started`."""
        return FanOut(
            expected=self.expected, delivered=self.seen,
            seconds=max(self.last_arrival - started, 0.0), publish_seconds=publish_seconds,
            fewest=min(self.counts), most=max(self.counts),
        )  # fmt: skip

    async def close(self) -> None:
        """Stop the background tasks and close every socket."""
        self.closing = True
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        open_sockets = [ws for ws in self.sockets if ws is not None]
        await asyncio.gather(*(ws.close() for ws in open_sockets), return_exceptions=True)


# ---------------------------------------------------------------- measurements


@dataclass
class Measured:
    """One server's figures."""

    name: str
    sockets: int
    latencies: list[float]
    fanout: FanOut
    rss_before_kib: int
    rss_idle_kib: int
    idle_cpu_percent: float
    server_closed: dict[int, int] = field(default_factory=dict)
    responses: list[float] = field(default_factory=list)
    drain: FanOut | None = None

    @property
    def kib_per_1000(self) -> float:
        """Server RSS growth per 1,000 idle connected sockets."""
        return (self.rss_idle_kib - self.rss_before_kib) * 1000 / self.sockets

    def quantile_ms(self, q: int) -> float:
        """The q-th percentile latency, in milliseconds."""
        return percentile_ms(self.latencies, q)


def percentile_ms(seconds: list[float], q: int) -> float:
    """The q-th percentile of durations in seconds, in milliseconds."""
    return statistics.quantiles(seconds, n=100, method="inclusive")[q - 1] * 1000


async def idle_window(pid: int) -> tuple[int, float]:
    """Wait IDLE_SECONDS with every socket quiet; the RSS then (KiB) and CPU % meanwhile."""
    used = cpu_seconds(pid)
    await asyncio.sleep(IDLE_SECONDS)
    return rss_kib(pid), (cpu_seconds(pid) - used) / IDLE_SECONDS * 100


async def settled_rss(pid: int) -> int:
    """RSS after a short pause, before any socket is open."""
    await asyncio.sleep(2)
    return rss_kib(pid)


def progress(message: str) -> None:
    """One progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- Green Spark


@dataclass(frozen=True)
class Player:
    """A registered, logged-in player."""

    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """The bearer header."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Steal:
    """One prepared steal: the owner's socket index, the thief, the ripe bubble."""

    owner_index: int
    thief: Player
    bubble_id: int


async def call(
    http: httpx.AsyncClient, path: str, player: Player | None = None, **kwargs: Any
) -> Any:
    """POST and return the JSON body; anything but 2xx stops the run."""
    response = await http.post(path, headers=player.headers if player else None, **kwargs)
    if not response.is_success:
        raise BenchError(f"POST {path}: {response.status_code} {response.text[:300]}")
    return response.json()


async def register(http: httpx.AsyncClient, username: str, password: str) -> Player:
    """Register and log in one player."""
    credentials = {"username": username, "password": password}
    made = await call(http, "/api/v1/auth/register", json=credentials)
    login = await call(http, "/api/v1/auth/login", json=credentials)
    return Player(id=int(made["id"]), token=login["access_token"])


async def prepare_steal(http: httpx.AsyncClient, index: int, owner: Player, thief: Player) -> Steal:
    """Make owner and thief friends and give the owner one ripe bubble."""
    asked = await call(http, "/api/v1/friends/requests", owner, json={"user_id": thief.id})
    await call(http, f"/api/v1/friends/requests/{asked['request']['id']}/accept", thief)
    action = {"scenario": "reusable_cup", "quantity": "1"}
    reported = await call(http, "/api/v1/actions", owner, json=action)
    return Steal(owner_index=index, thief=thief, bubble_id=int(reported["bubble"]["id"]))


async def make_players(http: httpx.AsyncClient, count: int, steals: int) -> tuple[list, list]:
    """`count` players; owners 0..steals-1 each with a friend and a ripe bubble."""
    password = secrets.token_urlsafe(16)
    jobs = [partial(register, http, f"bench_{i:05d}", password) for i in range(count)]
    players = await bounded(jobs, SETUP_CONCURRENCY)
    progress(f"{count} players registered and logged in")
    pairs = [
        partial(prepare_steal, http, i, players[i], players[steals + i]) for i in range(steals)
    ]
    return players, await bounded(pairs, SETUP_CONCURRENCY)


async def wait_ready(base: str, process: subprocess.Popen[bytes], limit: float = 120) -> None:
    """Poll /ready until the server answers 200."""
    deadline = time.monotonic() + limit
    async with httpx.AsyncClient(trust_env=False, timeout=2) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(f"server exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{base}/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise BenchError("server did not become ready")


def embedded_redis_url(log: Path) -> str:
    """The URL the server printed for its embedded Redis."""
    match = re.search(r"embedded Redis at (\S+)", log.read_text(errors="replace"))
    if match is None:
        raise BenchError("the server did not say where its embedded Redis is")
    return match.group(1)


async def app_latency(
    http: httpx.AsyncClient, clients: Clients, steals: list[Steal]
) -> tuple[list[float], list[float]]:
    """Sequential steals timed from just before the request to the owner's frame (and to the
    HTTP response)."""
    latencies, responses = [], []
    for steal in steals:
        waiter = clients.expect(steal.owner_index, f"{STOLEN}:{steal.bubble_id}")
        started = time.perf_counter()
        await call(http, f"/api/v1/bubbles/{steal.bubble_id}/steal", steal.thief)
        responses.append(time.perf_counter() - started)
        latencies.append(await asyncio.wait_for(waiter, EVENT_WAIT) - started)
    return latencies, responses


class ChannelPublisher:
    """Publishes events straight onto players' live channels, as the outbox relay does.

    Ids start far above any outbox id so that connected sockets treat every one as new.
    """

    def __init__(self, router: EventRouter) -> None:
        self.router = router
        self.ids = itertools.count(10**12)

    async def publish(self, user_id: int, event_type: str, data: dict[str, Any]) -> None:
        """One event to one player's channel."""
        event = {"id": str(next(self.ids)), "type": event_type, "at": "", "data": data}
        await self.router.publish([(user_id, orjson.dumps(event))])


async def publish_jobs(events: ChannelPublisher, jobs: Iterator[tuple[int, int]]) -> None:
    """Publish fan-out events from a shared queue of (sequence, player id)."""
    for seq, user_id in jobs:
        await events.publish(user_id, FANOUT, {"seq": seq})


async def publish_all(events: ChannelPublisher, user_ids: list[int]) -> float:
    """Publish FANOUT_PER_SOCKET events to every player, PUBLISHERS at a time; seconds taken."""
    jobs = iter([(seq, uid) for seq in range(FANOUT_PER_SOCKET) for uid in user_ids])
    started = time.perf_counter()
    await asyncio.gather(*(publish_jobs(events, jobs) for _ in range(PUBLISHERS)))
    return time.perf_counter() - started


async def app_fanout(
    clients: Clients, user_ids: list[int], target: AppTarget, drain: bool
) -> FanOut:
    """Publish into every player's stream and count arrivals: live, or (`drain`) with the
    server stopped while publishing and timed from when it resumes."""
    stream_redis = Redis.from_url(target.redis_url)
    events = ChannelPublisher(EventRouter(stream_redis, stream_redis, target.prefix))
    clients.expect_fanout(FANOUT_PER_SOCKET)
    try:
        if True:
            if drain:
                os.kill(target.pid, signal.SIGSTOP)
            started = time.perf_counter()
            try:
                publishing = await publish_all(events, user_ids)
            finally:
                if drain:
                    started = time.perf_counter()
                    os.kill(target.pid, signal.SIGCONT)
            await clients.settle_fanout()
    finally:
        await stream_redis.aclose()
    return clients.fanout_result(started, publishing)


@dataclass(frozen=True)
class AppTarget:
    """A running Green Spark server and how to reach it."""

    pid: int
    ws_base: str
    redis_url: str
    prefix: str


async def drive_app(
    http: httpx.AsyncClient, target: AppTarget, people: tuple[list, list], deflate: bool
) -> Measured:
    """Connect every player's socket, then measure memory, latency and fan-out."""
    players, steals = people
    pid = target.pid
    before = await settled_rss(pid)
    clients = Clients(deflate)
    try:
        await clients.connect_all(
            [f"{target.ws_base}/api/v1/ws" for _ in players], [p.token for p in players]
        )
        progress(f"{len(players)} sockets connected to Green Spark")
        idle_rss, idle_cpu = await idle_window(pid)
        latencies, responses = await app_latency(http, clients, steals)
        progress(f"{len(steals)} steals timed")
        ids = [p.id for p in players]
        fanout = await app_fanout(clients, ids, target, drain=False)
        progress(f"fan-out: {fanout.delivered}/{fanout.expected} in {fanout.seconds:.2f} s")
        drained = await app_fanout(clients, ids, target, drain=True)
        progress(f"drain: {drained.delivered}/{drained.expected} in {drained.seconds:.2f} s")
    finally:
        await clients.close()
    return Measured(
        "Green Spark", len(players), latencies, fanout, before, idle_rss, idle_cpu,
        dict(clients.server_closed), responses, drained,
    )  # fmt: skip


async def measure_app(
    args: argparse.Namespace, backing: Backing, folder: Path, cleanup: Cleanup
) -> Measured:
    """Run one `app serve` process and measure it; the process is stopped before returning."""
    port, log = free_port(), folder / "server.log"
    argv = [sys.executable, "-m", "app", "serve", "--port", str(port)]
    process = start_process(argv, backing.env, log, cleanup)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, process)
        redis_url = backing.redis_url or embedded_redis_url(log)
        # Idle connections expire before uvicorn's 5 s keep-alive closes them under us.
        limits = httpx.Limits(max_connections=SETUP_CONCURRENCY, keepalive_expiry=2)
        async with httpx.AsyncClient(
            base_url=base, timeout=60, limits=limits, trust_env=False
        ) as http:
            people = await make_players(http, args.sockets, args.steals)
            target = AppTarget(process.pid, f"ws://127.0.0.1:{port}", redis_url, backing.prefix)
            return await drive_app(http, target, people, not args.no_deflate)
    finally:
        await asyncio.to_thread(stop_process, process)


# ---------------------------------------------------------------- bare websockets baseline


def bare_frame(kind: str, data: dict[str, int]) -> str:
    """A frame shaped like a Green Spark event, so both sides move similar bytes."""
    at = datetime.now(UTC).isoformat()
    return orjson.dumps({"id": f"{time.time_ns()}", "type": kind, "at": at, "data": data}).decode()


async def bare_control(ws: ServerConnection, peers: dict[int, ServerConnection]) -> None:
    """Obey the bench: send one frame to one client, or broadcast frames to all."""
    async for raw in ws:
        order = orjson.loads(raw)
        if order["op"] == "send":
            await peers[order["to"]].send(bare_frame(DIRECT, {"n": order["n"]}))
        elif order["op"] == "broadcast":
            for seq in range(order["count"]):
                broadcast(list(peers.values()), bare_frame(FANOUT, {"seq": seq}))
                await asyncio.sleep(0)


async def bare_serve(port: int) -> None:
    """A bare websockets server: /client/<n> sockets and one /control socket."""
    peers: dict[int, ServerConnection] = {}

    async def handler(ws: ServerConnection) -> None:
        """Serve the control socket, or hold a client socket until it closes."""
        path = ws.request.path if ws.request else ""
        if path == "/control":
            await bare_control(ws, peers)
            return
        index = int(path.rsplit("/", 1)[-1])
        peers[index] = ws
        try:
            async for _ in ws:
                pass  # app-level pings; nothing to answer
        finally:
            peers.pop(index, None)

    async with serve(handler, "127.0.0.1", port, backlog=4096) as server:
        await server.serve_forever()


async def wait_port(port: int, process: subprocess.Popen[bytes], limit: float = 30) -> None:
    """Wait until something accepts connections on the port."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"bare server exited with {process.returncode}")
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.1)
    raise BenchError("bare server did not start")


async def bare_latency(control: ClientConnection, clients: Clients, targets: int) -> list[float]:
    """Sequential triggers, each timed from sending it to the target client's frame."""
    latencies = []
    for n in range(targets):
        waiter = clients.expect(n, f"{DIRECT}:{n}")
        started = time.perf_counter()
        await control.send(orjson.dumps({"op": "send", "to": n, "n": n}).decode())
        latencies.append(await asyncio.wait_for(waiter, EVENT_WAIT) - started)
    return latencies


async def bare_fanout(control: ClientConnection, clients: Clients) -> FanOut:
    """Have the server broadcast FANOUT_PER_SOCKET frames to every client; count arrivals."""
    clients.expect_fanout(FANOUT_PER_SOCKET)
    started = time.perf_counter()
    await control.send(orjson.dumps({"op": "broadcast", "count": FANOUT_PER_SOCKET}).decode())
    await clients.settle_fanout()
    return clients.fanout_result(started, 0.0)


async def drive_bare(args: argparse.Namespace, pid: int, base: str) -> Measured:
    """Connect the clients to the bare server and measure it like Green Spark."""
    before = await settled_rss(pid)
    clients = Clients(not args.no_deflate)
    async with connect(f"{base}/control", proxy=None, ping_interval=None) as control:
        try:
            await clients.connect_all([f"{base}/client/{i}" for i in range(args.sockets)])
            progress(f"{args.sockets} sockets connected to the bare server")
            idle_rss, idle_cpu = await idle_window(pid)
            latencies = await bare_latency(control, clients, args.steals)
            fanout = await bare_fanout(control, clients)
            progress(
                f"bare fan-out: {fanout.delivered}/{fanout.expected} in {fanout.seconds:.2f} s"
            )
        finally:
            await clients.close()
    return Measured(
        "bare websockets", args.sockets, latencies, fanout, before, idle_rss, idle_cpu,
        dict(clients.server_closed),
    )  # fmt: skip


async def measure_bare(args: argparse.Namespace, folder: Path, cleanup: Cleanup) -> Measured:
    """Run the bare server in a child process and measure it; stopped before returning."""
    port = free_port()
    argv = [sys.executable, "-m", "scripts.bench.realtime", "--bare-server", str(port)]
    process = start_process(argv, dict(os.environ), folder / "bare.log", cleanup)
    try:
        await wait_port(port, process)
        return await drive_bare(args, process.pid, f"ws://127.0.0.1:{port}")
    finally:
        await asyncio.to_thread(stop_process, process)


# ---------------------------------------------------------------- report


@dataclass
class Run:
    """Everything the report needs."""

    app: Measured
    bare: Measured
    backing: str
    when: datetime
    deflate: bool
    load: tuple[float, float]


def load_average() -> float:
    """The machine's 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine() -> str:
    """Cores, CPU model and memory of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text()
    total = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    gib = int(total.group(1)) / 2**20 if total else 0
    cpu = model.group(1).strip() if model else "unknown CPU"
    return f"{os.cpu_count()} cores ({cpu}), {gib:.0f} GiB RAM, Python {sys.version.split()[0]}"


def command() -> str:
    """The command line of this run, URLs without passwords."""
    names = [k for k in ("DATABASE_URL", "REDIS_URL") if os.environ.get(k)]
    env = [f"{k}={without_password(os.environ[k])}" for k in names]
    return " ".join([*env, ".venv/bin/python", "-m", "scripts.bench.realtime", *sys.argv[1:]])


def ms(seconds_or_ms: float) -> str:
    """A latency in ms with sensible precision."""
    return f"{seconds_or_ms:.1f}" if seconds_or_ms >= 10 else f"{seconds_or_ms:.2f}"


def latency_rows(app: Measured, bare: Measured) -> list[str]:
    """Table rows: steal-to-socket latency against the bare frame."""
    rows = []
    for label, q in (("latency p50 (ms)", 50), ("latency p99 (ms)", 99)):
        a, b = app.quantile_ms(q), bare.quantile_ms(q)
        rows.append(f"| {label} | {ms(a)} | {ms(b)} | {a / b:.1f}x |")
    a_max, b_max = max(app.latencies) * 1000, max(bare.latencies) * 1000
    rows.append(f"| latency max (ms) | {ms(a_max)} | {ms(b_max)} | {a_max / b_max:.1f}x |")
    p50, p99 = percentile_ms(app.responses, 50), percentile_ms(app.responses, 99)
    rows.append(f"| steal HTTP response p50 / p99 (ms) | {ms(p50)} / {ms(p99)} | n/a | |")
    return rows


def fanout_row(label: str, app: FanOut, bare: FanOut) -> str:
    """One fan-out row: rate, share of the bare rate, and what arrived."""
    share = app.rate / bare.rate if bare.rate else 0.0
    return (
        f"| {label} | {app.rate:,.0f} ({app.delivered:,}/{app.expected:,}) "
        f"| {bare.rate:,.0f} ({bare.delivered:,}/{bare.expected:,}) | {share:.2f} of bare |"
    )


def table(run: Run) -> str:
    """The comparison table in Markdown."""
    app, bare = run.app, run.bare
    rows = [
        "| measure | Green Spark | bare websockets | Green Spark vs bare |",
        "|---|---:|---:|---:|",
        *latency_rows(app, bare),
        fanout_row("fan-out, live publish (events/s, delivered)", app.fanout, bare.fanout),
    ]
    if app.drain is not None:
        rows.append(
            fanout_row("fan-out, server drain (events/s, delivered)", app.drain, bare.fanout)
        )
    rows.append(
        f"| server RSS per 1,000 idle sockets | {app.kib_per_1000:,.0f} KiB "
        f"| {bare.kib_per_1000:,.0f} KiB | {app.kib_per_1000 / bare.kib_per_1000:.1f}x |"
    )
    rows.append(
        f"| server CPU with all sockets idle | {app.idle_cpu_percent:.0f} % "
        f"| {bare.idle_cpu_percent:.0f} % | |"
    )
    return "\n".join(rows)


def closures(measured: Measured) -> str:
    """Sockets the server closed during the run, by close code."""
    if not measured.server_closed:
        return "none"
    return ", ".join(f"{n} with code {code}" for code, n in sorted(measured.server_closed.items()))


def reading_latency(app: Measured, bare: Measured) -> str:
    """Sentences on where a steal's latency goes."""
    ratio = app.quantile_ms(50) / bare.quantile_ms(50)
    after = [lat - resp for lat, resp in zip(app.latencies, app.responses, strict=True)]
    lag = percentile_ms(after, 50)
    leg = (
        f"arrived a median {ms(lag)} ms after it: the stream-to-socket leg"
        if lag > 0
        else f"usually arrived before it (median {ms(-lag)} ms earlier), so nearly all of the "
        "latency is the request and its transaction, not the stream-to-socket leg"
    )
    return (
        f"A steal reaches the owner's socket {ratio:.0f}x later than a bare frame at the median "
        "because it crosses every hop of the real path: the HTTP request (token and session "
        "check), one database transaction (bubble row lock, friendship and prop checks, steal, "
        "ledger and timeline rows, commit), an XADD into the owner's Redis stream, the channels "
        f"plugin's single XREAD loop over all {app.sockets:,} subscribed streams, the player's "
        "subscriber queue and the per-socket JSON check before the send; the bare server moves "
        "one frame in and one out. The event is published before the steal's response is "
        f"written; the response took a median {ms(percentile_ms(app.responses, 50))} ms and the "
        f"owner's frame {leg}."
    )


def reading_fanout(app: Measured, bare: Measured) -> str:
    """Sentences on the fan-out figures."""
    live = app.fanout
    tail = max(live.seconds - live.publish_seconds, 0.0) * 1000
    text = (
        "The fan-out figures skip HTTP and the database (events go straight into the streams). "
        f"Live, publishing took {live.publish_seconds:.2f} s of the {live.seconds:.2f} s and the "
        f"last event reached its socket {tail:,.0f} ms after the last publish"
    )
    if live.publish_seconds >= 0.8 * live.seconds:
        text += (
            ", so the live rate is the pace of the publisher (one Python process, one Lua XADD "
            "per event, sharing its loop with the receiving clients) more than the server's."
        )
    else:
        text += ", so the server's delivery path, not the publisher, set the live rate."
    if app.drain is not None:
        share = app.drain.rate / bare.fanout.rate if bare.fanout.rate else 0.0
        text += (
            " The drain figure is the server's own push rate: it was stopped (SIGSTOP) while all "
            "events were published and timed from SIGCONT to the last arrival, "
            f"{share:.2f} of the bare broadcast."
        )
    return text + (
        " Green Spark sends each player a distinct event (its own id, decoded per socket for "
        "de-duplication) where `websockets.broadcast` writes one shared frame, so the bare rate "
        "is a ceiling rather than a like-for-like target."
    )


def interpretation(run: Run) -> str:
    """One paragraph that reads the numbers."""
    app, bare = run.app, run.bare
    return " ".join([
        reading_latency(app, bare),
        reading_fanout(app, bare),
        f"With every socket idle the server used {app.idle_cpu_percent:.0f} % of a core "
        f"(bare: {bare.idle_cpu_percent:.0f} %): the XREAD over every subscribed stream is "
        "reissued each time its 100 ms block expires and each socket runs its own heartbeat "
        "task. Clients, servers, Redis and the database share the machine's cores, so the "
        "figures include contention with the bench's own clients; they come from one run.",
    ])  # fmt: skip


def method(run: Run) -> str:
    """What was measured, and how."""
    deflate = "offered" if run.deflate else "off"
    return (
        f"N = {run.app.sockets:,} connected sockets (one per registered player, "
        f"permessage-deflate {deflate}, an app-level ping every {PING_EVERY:.0f} s), "
        f"S = {len(run.app.latencies)} sequential steals. Latency: from just before "
        "`POST /api/v1/bubbles/{id}/steal` (bare: before the trigger frame) to the "
        "`bubble.stolen` frame on the owner's socket. Fan-out: "
        f"{FANOUT_PER_SOCKET} events to each of the N players published into their Redis streams "
        "as the relay sends them "
        f"({PUBLISHERS} concurrent publishers in the bench "
        "process; bare: `websockets.broadcast` of the same count), delivered events per second "
        "from the first publish to the last arrival (drain: from the server's resumption). "
        "Memory: the server process's RSS "
        f"after {IDLE_SECONDS:.0f} s with all N sockets idle, minus its RSS before the first "
        "socket"
        + ("; `--no-deflate` shows how much of it is compression state." if run.deflate else ".")
    )


def render(run: Run) -> str:
    """The docs/benchmarks.md section."""
    app, bare = run.app, run.bare
    return "\n".join([
        SECTION, "",
        f"Measured {run.when:%Y-%m-%d %H:%M} UTC on {machine()}. One `greenspark serve` process "
        f"(uvicorn, one worker, uvloop) on {run.backing}; the baseline is a bare "
        "`websockets.asyncio.server` on uvloop in its own process, measured in the same run "
        f"with the same client code. 1-minute load average {run.load[0]:.1f} at the start and "
        f"{run.load[1]:.1f} at the end"
        + (" (other work was running on the machine)." if run.load[0] > 0.5 else "."), "",
        "```sh", command(), "```", "",
        method(run), "",
        table(run), "",
        f"Sockets closed by the server during the run: Green Spark {closures(app)}; bare "
        f"{closures(bare)}. Fewest/most fan-out events on one socket: Green Spark "
        f"{app.fanout.fewest}/{app.fanout.most}, bare {bare.fanout.fewest}/{bare.fanout.most}.",
        "",
        interpretation(run), "",
    ])  # fmt: skip


def write_doc(section: str) -> None:
    """Put the section into docs/benchmarks.md, replacing an earlier version of it."""
    text = DOC.read_text() if DOC.exists() else INTRO
    start = text.find(SECTION)
    if start < 0:
        text = f"{text.rstrip()}\n\n{section}"
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("" if end < 0 else "\n" + text[end + 1 :])
    DOC.write_text(text)


# ---------------------------------------------------------------- entry point


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=2000, help="connected sockets (N)")
    parser.add_argument("--steals", type=int, default=200, help="timed steals (S)")
    parser.add_argument("--timeout", type=float, default=480, help="hard limit, seconds")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the docs")
    parser.add_argument("--no-deflate", action="store_true", help="clients offer no compression")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 2 <= 2 * args.steals <= args.sockets:
        parser.error("need 1 <= steals and 2 * steals <= sockets (each owner has a friend)")
    return args


async def bench(args: argparse.Namespace, cleanup: Cleanup) -> Run:
    """Measure Green Spark, then the bare baseline, within the time limit."""
    load_before = load_average()
    async with asyncio.timeout(args.timeout):
        folder = Path(tempfile.mkdtemp(prefix="gs-bench-"))
        cleanup.add(partial(shutil.rmtree, folder, ignore_errors=True))
        backing = await prepare_backing(folder, cleanup)
        progress(f"Green Spark on {backing.label}")
        app = await measure_app(args, backing, folder, cleanup)
        bare = await measure_bare(args, folder, cleanup)
    when, load = datetime.now(UTC), (load_before, load_average())
    return Run(app, bare, backing.label, when, deflate=not args.no_deflate, load=load)


def main() -> None:
    """Run the benchmark (or, with --bare-server, be the baseline server)."""
    args = parse_args()
    if args.bare_server:
        run_loop(bare_serve(args.bare_server))
        return
    raise_fd_limit()
    cleanup = Cleanup()
    watchdog = arm_watchdog(args.timeout + 90, cleanup)
    try:
        run = run_loop(bench(args, cleanup))
    except BaseException:
        cleanup.show_logs()
        raise
    finally:
        cleanup.run()
        watchdog.cancel()
    section = render(run)
    print(section)
    if not args.no_doc:
        write_doc(section)
        print(f"written to {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
