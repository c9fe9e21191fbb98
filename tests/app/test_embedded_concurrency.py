"""The embedded default (SQLite + embedded Redis) under concurrent writers and beside commands."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx

from tests.app.test_server import _embedded_env
from tests.players import PASSWORD
from tests.servers import Server


def _cli(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        env=_embedded_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _player(http: httpx.AsyncClient, name: str) -> tuple[int, dict[str, str]]:
    made = await http.post("/api/v1/auth/register", json={"username": name, "password": PASSWORD})
    assert made.status_code == 201, made.text
    login = await http.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return made.json()["id"], {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_concurrent_writes_wait_their_turn_instead_of_failing(tmp_path):
    """Eight friend requests at once, three `adjust-energy` beside the server: no 500, no lock."""
    data_dir = tmp_path / "var"
    server = Server(_embedded_env(data_dir), tmp_path / "server.log")
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=60) as http:
            target_id, target = await _player(http, "target")
            askers = [await _player(http, f"asker{i}") for i in range(8)]
            commands = [
                _cli(data_dir, "adjust-energy", "--username", "target", "--grams", "10",
                     "--reason", f"support ticket {i}")
                for i in range(3)
            ]  # fmt: skip
            rounds = 0
            while rounds < 3 or any(c.poll() is None for c in commands):
                rounds += 1
                answers = await asyncio.gather(
                    *(
                        http.post(
                            "/api/v1/friends/requests", json={"user_id": target_id}, headers=h
                        )
                        for _, h in askers
                    ),
                    *(http.post(
                        "/api/v1/actions", json={"scenario": "reusable_cup", "quantity": "0.1"},
                        headers=h) for _, h in askers),
                )  # fmt: skip
                assert all(a.status_code < 500 for a in answers), [a.text for a in answers]
            outcomes = [c.communicate(timeout=120) for c in commands]
            assert [c.returncode for c in commands] == [0, 0, 0], outcomes
            pending = await http.get(
                "/api/v1/friends/requests", params={"direction": "incoming"}, headers=target
            )
            body = pending.json()
            assert len(body if isinstance(body, list) else body["items"]) == 8
            forest = (await http.get("/api/v1/forest/me", headers=target)).json()
            assert forest["balance"] == 30
        reconciled = _cli(data_dir, "reconcile")
        out, err = reconciled.communicate(timeout=120)
        assert reconciled.returncode == 0, (out, err)
    finally:
        server.stop()


async def test_rebuild_leaderboards_beside_a_running_server_uses_its_redis(tmp_path):
    data_dir = tmp_path / "var"
    server = Server(_embedded_env(data_dir), tmp_path / "server.log")
    try:
        url_file = data_dir / "redis" / "redis.url"
        server_redis = url_file.read_text()
        async with httpx.AsyncClient(base_url=server.base, timeout=60) as http:
            _, ada = await _player(http, "ada")
            rebuild = _cli(data_dir, "rebuild-leaderboards")
            out, err = rebuild.communicate(timeout=120)
            assert rebuild.returncode == 0, (out, err)
            assert url_file.read_text() == server_redis, "a second Redis took the data folder"
            board = await http.get("/api/v1/leaderboards/energy", headers=ada)
            assert board.status_code == 200, board.text
            assert (await http.get("/ready")).status_code == 200
            # New connections from the server still reach its Redis: a fresh login uses one.
            again = await http.post(
                "/api/v1/auth/login", json={"username": "ada", "password": PASSWORD}
            )
            assert again.status_code == 200, again.text
    finally:
        server.stop()
