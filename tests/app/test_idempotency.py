"""Idempotency keys that survive crashes and races: the record commits with its effect or not at
all, so there is no "in progress" state to get stuck (docs/reliability.md#idempotency)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from datetime import UTC, datetime

import asyncpg
import httpx
import pytest

from app.domains import reconcile
from game.trees.welfare.models import Donation
from tests.game.trees.welfare.test_welfare import open_welfare
from tests.servers import Server, server_env


async def test_concurrent_retries_wait_and_replay_the_first_outcome(client, players):
    ada = await players.new()
    await players.grant(ada, 5_000)
    _, welfare = await open_welfare(client, players)
    headers = {**ada.headers, "Idempotency-Key": "donate-once"}
    path = f"/api/v1/welfare-projects/{welfare['id']}/donate"
    answers = await asyncio.gather(
        *(client.post(path, json={"grams": 100}, headers=headers) for _ in range(20))
    )
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 19
    assert await Donation.filter(user_id=ada.id).count() == 1
    assert await players.balance(ada) == 4_900
    assert await reconcile() == []


async def test_a_refusal_is_replayed_too_and_a_new_key_runs_again(client, players):
    ada = await players.new()
    _, welfare = await open_welfare(client, players)
    path = f"/api/v1/welfare-projects/{welfare['id']}/donate"
    headers = {**ada.headers, "Idempotency-Key": "too-much"}
    first = await client.post(path, json={"grams": 100}, headers=headers)
    assert first.status_code == 409, first.text
    await players.grant(ada, 100)
    again = await client.post(path, json={"grams": 100}, headers=headers)
    assert (again.status_code, again.headers["idempotent-replayed"]) == (409, "true")
    fresh = await client.post(
        path, json={"grams": 100}, headers={**ada.headers, "Idempotency-Key": "enough"}
    )
    assert fresh.status_code == 201, fresh.text
    reused = await client.post(path, json={"grams": 99}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["type"] == "/problems/idempotency-key-reused"


class _WriteBlocker:
    """Holds the lock the donation needs, from outside the server, so a request waits inside."""

    def __init__(self, settings, user_id: int) -> None:
        self.url = settings.resolved_database_url
        self.user_id = user_id
        self.pg: asyncpg.Connection | None = None
        self.sqlite: sqlite3.Connection | None = None

    async def hold(self) -> None:
        if self.url.startswith("postgres"):
            self.pg = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
            await self.pg.execute("BEGIN")
            await self.pg.execute(
                "SELECT * FROM energy_accounts WHERE user_id = $1 FOR UPDATE", self.user_id
            )
        else:
            self.sqlite = sqlite3.connect(self.url.removeprefix("sqlite://"), timeout=1)
            self.sqlite.execute("BEGIN IMMEDIATE")

    async def someone_waits(self) -> bool:
        if self.pg is not None:
            waiting = await self.pg.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            return bool(waiting)
        return True  # SQLite cannot tell; the request had time to reach BEGIN IMMEDIATE

    async def release(self) -> None:
        if self.pg is not None:
            await self.pg.execute("ROLLBACK")
            await self.pg.close()
        if self.sqlite is not None:
            self.sqlite.rollback()
            self.sqlite.close()


async def test_a_process_killed_mid_request_leaves_no_stuck_key(
    client, players, settings, tmp_path
):
    players.clock.set(datetime.now(UTC))  # the server processes keep the wall clock
    ada = await players.new()
    await players.grant(ada, 1_000)
    _, welfare = await open_welfare(client, players)
    path = f"/api/v1/welfare-projects/{welfare['id']}/donate"
    headers = {**ada.headers, "Idempotency-Key": "killed-mid-way"}
    env = server_env(settings)
    first = Server(env, tmp_path / "first.log")
    blocker = _WriteBlocker(settings, ada.id)
    await blocker.hold()
    try:
        async with httpx.AsyncClient(base_url=first.base, timeout=60) as http:
            request = asyncio.create_task(http.post(path, json={"grams": 300}, headers=headers))
            for _ in range(100):
                await asyncio.sleep(0.1)  # a real process reaching the lock, not game time
                if await blocker.someone_waits():
                    break
            await asyncio.sleep(0.5)
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait()
            with pytest.raises(httpx.HTTPError):
                await request
    finally:
        await blocker.release()
    assert await Donation.filter(user_id=ada.id).count() == 0

    second = Server(env, tmp_path / "second.log")
    try:
        async with httpx.AsyncClient(base_url=second.base, timeout=30) as http:
            retry = await http.post(path, json={"grams": 300}, headers=headers)
            assert retry.status_code == 201, retry.text
            replay = await http.post(path, json={"grams": 300}, headers=headers)
            assert replay.headers["idempotent-replayed"] == "true"
    finally:
        second.stop()
    assert await Donation.filter(user_id=ada.id).count() == 1
    assert await players.balance(ada) == 700
    assert await reconcile() == []
