"""Test fixtures: a real database and a real Redis for every run, never mocks.

With DATABASE_URL set, a fresh PostgreSQL database with a random name is created on that server
and dropped at the end; otherwise a SQLite file in a temporary folder. With REDIS_URL set, that
Redis is used under a random key prefix; otherwise an embedded redis-server on a unix socket.
With GREENSPARK_REDIS_CLUSTER=true as well, REDIS_URL is a Redis Cluster
(`python -m scripts.redis_cluster -- pytest …` starts one; docs/scaling.md#redis-cluster).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar
from redis.asyncio import Redis
from tortoise import Tortoise, connections

from app.db import close_database, migrate_database, open_database
from app.embedded_redis import EmbeddedRedis
from app.main import create_app, lifespan
from core.clock import ManualClock
from core.settings import Settings
from tests.partners import Partners
from tests.players import Players
from tests.stores import direct_redis

# A Wednesday; 11:00 in Asia/Shanghai, the default player time zone.
START = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)


def _postgres_urls(server_url: str) -> tuple[str, str, str]:
    """(admin DSN, test database URL, test database name) on the given server."""
    name = f"gs_test_{uuid.uuid4().hex[:12]}"
    base, _, _ = server_url.rpartition("/")
    return server_url.replace("postgres://", "postgresql://", 1), f"{base}/{name}", name


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A migrated, empty database of our own for the whole run."""

    server_url = os.environ.get("DATABASE_URL")
    folder = Path(tempfile.mkdtemp(prefix="gs-db-"))
    if not server_url:
        url = f"sqlite://{folder / 'test.sqlite3'}"
        asyncio.run(migrate_database(url))
        yield url
        shutil.rmtree(folder, ignore_errors=True)
        return
    admin, url, name = _postgres_urls(server_url)

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        await migrate_database(url)

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(create())
    try:
        yield url
    finally:
        asyncio.run(drop())
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The configured Redis, or an embedded one on a unix socket (never port 6379)."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    folder = Path(tempfile.mkdtemp(prefix="gs-redis-"))
    server = EmbeddedRedis(folder)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_prefix(redis_url: str) -> Iterator[str]:
    """Keys of this run live under their own prefix on a shared Redis, removed at the end."""
    prefix = f"gs-test-{uuid.uuid4().hex[:10]}:"
    yield prefix
    import redis

    client: Any = (
        redis.RedisCluster.from_url(redis_url)
        if Settings().redis_cluster
        else redis.Redis.from_url(redis_url)
    )
    # The job queue names its keys `saq:…:<queue name>…`, and the queue is named by prefix.
    for pattern in (f"{prefix}*", f"saq:*{prefix}*"):
        for key in client.scan_iter(match=pattern, count=1000):
            client.delete(key)
    client.close()


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when a test moves it."""
    return ManualClock(START)


@pytest.fixture
def settings(database_url: str, redis_url: str, redis_prefix: str, tmp_path: Path) -> Settings:
    """Settings for one test: our database and Redis, cheap password hashing."""
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "redis_prefix": redis_prefix,
        "data_dir": tmp_path / "data",
        "secret_key": "test-signing-key-that-is-long-enough-for-hs256",
        "auto_migrate": False,
        "password_memory_kib": 1024,
        "password_time_cost": 1,
        # Many players log in from one test address; the per-address test counts to this.
        "login_attempts_per_address": 300,
        # Tests read Redis right after a gain: gains go to the boards at the commit here; the
        # batching itself has its own tests (tests/game/leaderboards/test_batched_gains.py).
        "board_batch_seconds": 0,
    }
    return Settings(**values)


async def _empty_database() -> None:
    conn = connections.get("default")
    tables = [m._meta.db_table for m in Tortoise.apps["models"].values()]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        for table in tables:
            await conn.execute_script(f"DELETE FROM {table}")  # noqa: S608  (our own table names)
        await conn.execute_script("DELETE FROM sqlite_sequence")


async def _empty_redis(redis: Redis, prefix: str) -> None:
    async for key in redis.scan_iter(match=f"{prefix}*", count=500):
        await redis.delete(key)


@pytest.fixture
async def app(settings: Settings, clock: ManualClock) -> AsyncIterator[Litestar]:
    """The real application on an emptied database and Redis prefix."""
    await open_database(settings.resolved_database_url)
    await _empty_database()
    await close_database()
    redis = direct_redis(settings)
    await _empty_redis(redis, settings.redis_prefix)
    await redis.aclose()
    yield create_app(settings, clock)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client speaking to the real app in-process, lifespan included.

    The lifespan runs in the test's own event loop (Litestar's test client would run it in a
    portal thread), so database connections and the tests' direct checks share one loop.
    """
    # Our lifespan itself, not Litestar's wrapper: the wrapper opens an anyio task group,
    # which pytest would enter and exit in different tasks.
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.fixture
def players(client: httpx.AsyncClient, clock: ManualClock) -> Players:
    """Registers and logs in players through the API."""
    return Players(client, clock)


@pytest.fixture
def partners(client: httpx.AsyncClient, clock: ManualClock, players: Players) -> Partners:
    """Registers partner platforms and sends their signed calls through the API."""
    return Partners(client, clock, players)
