"""The real server on the embedded default: starts, persists across restarts, stops its Redis."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx

from tests.players import PASSWORD
from tests.servers import Server


def _embedded_env(data_dir: Path) -> dict[str, str]:
    """No URLs: the server runs on its own SQLite file and Redis in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return env | {"GREENSPARK_DATA_DIR": str(data_dir), "GREENSPARK_PASSWORD_MEMORY_KIB": "1024"}


def _redis_children(data_dir: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-f", str(data_dir / "redis")], capture_output=True, text=True)
    return found.stdout.split()


def test_embedded_server_keeps_data_across_restarts(tmp_path):
    data_dir = tmp_path / "var"
    server = Server(_embedded_env(data_dir))
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

    again = Server(_embedded_env(data_dir))
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
