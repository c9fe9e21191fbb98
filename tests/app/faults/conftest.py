"""The fault suite's world: our own PostgreSQL cluster and Redis, two `greenspark serve`
processes and a `greenspark worker` on them, players with energy, a welfare project with a
matching pool and a protected area with square metres to sell. Never the shared servers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest

from app.db import close_database, migrate_database, open_database
from core.clock import SystemClock
from core.users import Role, User
from game.energy.ledger import adjust_energy
from tests.faults import BreakablePostgres, BreakableRedis
from tests.players import PASSWORD
from tests.servers import Server

PLAYERS = 12
GRANT = 100_000


@dataclass
class World:
    """Everything a fault test acts on."""

    pg: BreakablePostgres
    redis: BreakableRedis
    env: dict[str, str]
    folder: Path
    servers: list[Server]
    worker: subprocess.Popen[bytes] | None = None
    tokens: dict[int, str] = field(default_factory=dict)
    welfare_id: int = 0
    area_id: int = 0

    def start_worker(self) -> None:
        """Run `greenspark worker` as a supervisor would."""
        log = (self.folder / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "app", "worker"], env=self.env, stdout=log, stderr=log
        )

    def kill_worker(self) -> None:
        """kill -9 the worker."""
        assert self.worker is not None
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def headers(self, user_id: int, key: str | None = None) -> dict[str, str]:
        """A player's auth header, with an Idempotency-Key when given."""
        headers = {"Authorization": f"Bearer {self.tokens[user_id]}"}
        return headers | ({"Idempotency-Key": key} if key else {})


def _env(pg_url: str, redis_url: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return env | {
        "DATABASE_URL": pg_url,
        "REDIS_URL": redis_url,
        "GREENSPARK_DATA_DIR": str(folder / "data"),
        "GREENSPARK_SECRET_KEY": "fault-suite-signing-key-long-enough-for-hs256-" + "x" * 8,
        "GREENSPARK_AUTO_MIGRATE": "false",
        "GREENSPARK_PASSWORD_MEMORY_KIB": "1024",
        "GREENSPARK_PASSWORD_TIME_COST": "1",
        "GREENSPARK_LOGIN_ATTEMPTS_PER_ADDRESS": "100000",
        "GREENSPARK_WATER_TIMES_PER_DAY": "100000",
        "GREENSPARK_REDIS_TIMEOUT_SECONDS": "1",
    }


async def _prepare(world: World, http: httpx.AsyncClient) -> None:
    """Players with energy, all friends of player 0; a manager opens a pool and an area."""
    ids = []
    for n in range(PLAYERS + 1):
        name = f"fault{n}"
        made = await http.post(
            "/api/v1/auth/register", json={"username": name, "password": PASSWORD}
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    manager_id = ids.pop()
    await User.filter(id=manager_id).update(role=Role.CAMPAIGN_MANAGER)
    for user_id in ids:
        await adjust_energy(SystemClock(), user_id, GRANT, "fault suite", f"grant-{user_id}")
    for n, user_id in enumerate([*ids, manager_id]):
        login = await http.post(
            "/api/v1/auth/login", json={"username": f"fault{n if n < PLAYERS else PLAYERS}",
                                        "password": PASSWORD},
        )  # fmt: skip
        world.tokens[user_id] = login.json()["access_token"]
    hub = ids[0]
    for user_id in ids[1:]:
        asked = await http.post(
            "/api/v1/friends/requests", json={"user_id": hub}, headers=world.headers(user_id)
        )
        accepted = await http.post(
            f"/api/v1/friends/requests/{asked.json()['request']['id']}/accept",
            headers=world.headers(hub),
        )
        assert accepted.status_code == 200, accepted.text
    welfare = await http.post(
        "/api/v1/welfare-projects",
        json={
            "name": "Wells",
            "beneficiary": "Villages",
            "sponsor": "Sponsor",
            "match_budget": 150,
        },
        headers=world.headers(manager_id),
    )
    assert welfare.status_code == 201, welfare.text
    area = await http.post(
        "/api/v1/protected-areas",
        json={"name": "Wetland", "place": "Poyang Lake", "steward": "Reserve",
              "price_grams_per_m2": 5, "total_m2": 60},
        headers=world.headers(manager_id),
    )  # fmt: skip
    assert area.status_code == 201, area.text
    world.welfare_id, world.area_id = welfare.json()["id"], area.json()["id"]
    world.tokens.pop(manager_id)


@pytest.fixture(scope="module")
async def world() -> AsyncIterator[World]:
    """The fault suite's servers, started once for the module and torn down after it."""
    folder = Path(tempfile.mkdtemp(prefix="gs-faults-"))
    pg = BreakablePostgres()
    redis = BreakableRedis()
    servers: list[Server] = []
    world: World | None = None
    try:
        name = f"gs_fault_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(pg.url.replace("postgres://", "postgresql://", 1))
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = pg.url.rsplit("/", 1)[0] + f"/{name}"
        await migrate_database(url)
        env = _env(url, redis.url, folder)
        servers = [Server(env, folder / f"app{i}.log") for i in range(2)]
        world = World(pg, redis, env, folder, servers)
        world.start_worker()
        await open_database(url)
        async with httpx.AsyncClient(base_url=servers[0].base, timeout=30) as http:
            await _prepare(world, http)
        yield world
    finally:
        if world is not None and world.worker is not None and world.worker.poll() is None:
            world.worker.terminate()
            world.worker.wait(timeout=30)
        for server in servers:
            if server.process.poll() is None:
                server.stop()
        await close_database()
        redis.close()
        pg.close()
        await asyncio.sleep(0)
