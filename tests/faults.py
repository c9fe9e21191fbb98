"""Servers of our own to break: a redis-server and a PostgreSQL cluster on loopback, never the
shared ones. Tests stop, freeze (SIGSTOP), flush and restart them to see what the app does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from app.embedded_redis import find_redis_server
from tests.servers import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class BreakableRedis:
    """A redis-server on a loopback port of its own, which a test can stop and start again."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gs-fault-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        """Start (or restart) the server on the same port and wait until it answers."""
        self.process = subprocess.Popen(
            [find_redis_server(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--save", "", "--appendonly", "no",
             "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
                return
            except (redis.RedisError, OSError):
                time.sleep(0.05)  # waiting for a child process to listen
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop the server (its data goes with it: it keeps nothing on disk)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def freeze(self) -> None:
        """SIGSTOP: the port stays open and nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT after a freeze."""
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def flushall(self) -> None:
        """Lose everything, as an operator's FLUSHALL would."""
        redis.Redis.from_url(self.url).flushall()

    def close(self) -> None:
        """Stop for good and remove the folder."""
        if self.process is not None:
            self.thaw()
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class BreakablePostgres:
    """A PostgreSQL cluster of our own (initdb in a temp dir, run as the postgres user)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gs-fault-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        os.chmod(self.folder, 0o777)  # noqa: S103  (the postgres user writes its cluster here)
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        self.start()

    def _as_postgres(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"),
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200",
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def restart(self) -> None:
        """Stop fast (every connection dropped) and start again."""
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                          "-w", "stop")  # fmt: skip
        self.start()

    def close(self) -> None:
        """Stop immediately and remove the cluster."""
        try:
            self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                              "-w", "stop")  # fmt: skip
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
