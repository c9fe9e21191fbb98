"""The real server on the embedded default: starts, persists across restarts, stops its Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.players import PASSWORD


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`greenspark serve` in a child process on a free loopback port."""

    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env |= {"GREENSPARK_DATA_DIR": str(data_dir), "GREENSPARK_PASSWORD_MEMORY_KIB": "1024"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling a child process, not standing in for game time
        self.stop()
        pytest.fail("server did not become ready")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def _redis_children(data_dir: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-f", str(data_dir / "redis")], capture_output=True, text=True)
    return found.stdout.split()


def test_embedded_server_keeps_data_across_restarts(tmp_path):
    data_dir = tmp_path / "var"
    server = Server(data_dir)
    try:
        registered = httpx.post(
            f"{server.base}/api/v1/auth/register", json={"username": "rin", "password": PASSWORD}
        )
        assert registered.status_code == 201
        assert _redis_children(data_dir)
    finally:
        server.stop()
    assert not _redis_children(data_dir), "the embedded Redis outlived the server"
    assert (data_dir / "greenspark.sqlite3").exists()

    again = Server(data_dir)
    try:
        login = httpx.post(
            f"{again.base}/api/v1/auth/login", json={"username": "rin", "password": PASSWORD}
        )
        assert login.status_code == 200
        token = login.json()["access_token"]
        cup = httpx.post(
            f"{again.base}/api/v1/actions",
            json={"scenario": "reusable_cup", "quantity": "1"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert cup.status_code == 201
        schema = httpx.get(f"{again.base}/schema/openapi.json").json()
        assert "/api/v1/bubbles/{bubble_id}/collect" in schema["paths"]
        metrics = httpx.get(f"{again.base}/metrics").text
        assert "greenspark_requests_total" in metrics
    finally:
        again.stop()
