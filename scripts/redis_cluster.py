"""A local Redis Cluster of three masters for tests: `python -m scripts.redis_cluster [-- CMD]`.

Starts three `redis-server` processes (the system's, found on PATH) with `cluster-enabled yes`
on free loopback ports in a temporary folder, joins them (CLUSTER MEET), gives each a third of
the 16,384 slots (CLUSTER ADDSLOTS), waits for `cluster_state:ok` on every node and prints the
URL of the first node. With a command after `--`, runs it with `REDIS_URL` set to that URL and
`GREENSPARK_REDIS_CLUSTER=true`, then stops the cluster and exits with the command's status;
without one, waits until interrupted. Everything is removed on exit. See docs/scaling.md.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import redis

SLOTS = 16_384
MASTERS = 3


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port(taken: list[int]) -> int:
    """A port whose cluster bus port (+10,000) is free too, so below the ephemeral range."""
    while True:
        port = random.randint(20_000, 29_999)
        if port not in taken and _free(port) and _free(port + 10_000):
            return port


def _wait(check: object, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except (redis.RedisError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"Redis Cluster: {what} not reached within {timeout} s")


@contextmanager
def local_cluster(masters: int = MASTERS, timeout: float = 20.0) -> Iterator[str]:
    """A running cluster of `masters` nodes for the block; yields `redis://127.0.0.1:<port>`."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server is not on PATH (Debian: apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="gs-cluster-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        ports: list[int] = []
        for _ in range(masters):
            ports.append(_free_port(ports))
        for port in ports:
            node = folder / str(port)
            node.mkdir()
            args = [
                server,
                "--port", str(port),
                "--bind", "127.0.0.1",
                "--dir", str(node),
                "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000",
                "--appendonly", "no",
                "--save", "",
                "--daemonize", "no",
                "--loglevel", "warning",
                "--logfile", str(node / "redis.log"),
            ]  # fmt: skip
            processes.append(subprocess.Popen(args, stdin=subprocess.DEVNULL))
        clients = [redis.Redis(host="127.0.0.1", port=p, socket_timeout=2) for p in ports]
        for client in clients:
            _wait(client.ping, "every node answering", timeout)
        share = SLOTS // masters
        for i, client in enumerate(clients):
            last = SLOTS - 1 if i == masters - 1 else (i + 1) * share - 1
            client.execute_command("CLUSTER ADDSLOTS", *range(i * share, last + 1))
        for port in ports[1:]:
            clients[0].execute_command("CLUSTER MEET", "127.0.0.1", port)

        def healthy() -> bool:
            for client in clients:
                info = client.cluster("info")
                if info["cluster_state"] != "ok" or int(info["cluster_known_nodes"]) != masters:
                    return False
            return True

        _wait(healthy, "cluster_state:ok", timeout)
        for client in clients:
            client.close()
        yield f"redis://127.0.0.1:{ports[0]}/0"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    """Start the cluster, print its URL, run the command after `--` (or wait), tear down."""
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    with local_cluster() as url:
        print(url, flush=True)
        if not command:
            with suppress(KeyboardInterrupt):
                signal.pause()
            return 0
        env = {**os.environ, "REDIS_URL": url, "GREENSPARK_REDIS_CLUSTER": "true"}
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
