"""Real `greenspark serve` processes on loopback, for tests of sockets and of several processes."""

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


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One server process; stopped with SIGTERM like a real deployment would."""

    def __init__(self, env: dict[str, str], log: Path | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws_base = f"ws://127.0.0.1:{self.port}"
        self.log = log
        output = log.open("ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(self.port)],
            env=env,
            stdout=output,
            stderr=output,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling a child process start, not standing in for game time
        self.stop()
        pytest.fail("server did not become ready")

    def stop(self) -> None:
        """Stop the process and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def server_env(settings, **extra: str) -> dict[str, str]:
    """Environment for a server sharing the test's database, Redis and signing key."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DATABASE_URL": settings.resolved_database_url,
        "REDIS_URL": str(settings.redis_url),
        "GREENSPARK_REDIS_PREFIX": settings.redis_prefix,
        "GREENSPARK_SECRET_KEY": str(settings.secret_key),
        "GREENSPARK_DATA_DIR": str(settings.data_dir),
        "GREENSPARK_AUTO_MIGRATE": "false",
        "GREENSPARK_PASSWORD_MEMORY_KIB": "1024",
        "GREENSPARK_PASSWORD_TIME_COST": "1",
        "GREENSPARK_LOGIN_ATTEMPTS_PER_ADDRESS": "10000",
    }
    return env | extra


def run_cli(settings, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `greenspark <args>` against the test's database, Redis and data folder."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=server_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
