"""Commands that run the service: serve, worker, migrate, seed-demo."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import subprocess
import sys

import click

from app.cli.base import main, with_database
from app.db import migrate_database
from app.embedded_redis import redis_url_for
from app.logs import uvicorn_log_config
from core.clock import SystemClock
from core.settings import Settings


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", is_flag=True, help="Load demo players and bubbles first (once).")
@click.option(
    "--with-worker/--no-worker",
    default=None,
    help="Also run `greenspark worker` as a child (default: on for the embedded default).",
)
def serve(host: str, port: int, workers: int, demo: bool, with_worker: bool | None) -> None:
    """Run the HTTP/websocket server (embedded SQLite and Redis when no URLs are set)."""
    import uvicorn

    settings = Settings()
    worker_process: subprocess.Popen[bytes] | None = None
    # uvicorn re-raises SIGTERM after its shutdown; turning it into SystemExit lets the
    # `finally` blocks below stop the worker and the embedded Redis.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    # One Redis for every worker process: the embedded one is owned by this parent process.
    with redis_url_for(settings) as redis_url:
        os.environ["REDIS_URL"] = redis_url
        if settings.uses_embedded_redis:
            click.echo(f"embedded Redis at {redis_url}")
        try:
            if settings.migrates_on_start:
                asyncio.run(migrate_database(settings.resolved_database_url))
            if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
                # Each worker process writes its metrics to files there; /metrics sums them.
                metrics_dir = settings.data_dir / "metrics"
                shutil.rmtree(metrics_dir, ignore_errors=True)
                metrics_dir.mkdir(parents=True)
                os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
            # Workers must not race each other over migrations the parent has done.
            os.environ["GREENSPARK_AUTO_MIGRATE"] = "false"
            if demo:
                _seed_demo(Settings())
            if with_worker if with_worker is not None else settings.uses_embedded_redis:
                worker_process = subprocess.Popen([sys.executable, "-m", "app", "worker"])
            uvicorn.run(
                "app.main:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, forwarded_allow_ips=settings.trusted_proxies or "",
                log_level="info", access_log=False, log_config=uvicorn_log_config(),
                ws_max_size=settings.ws_max_message_bytes, ws_ping_interval=20,
                ws_ping_timeout=20,
                # Sans-I/O websockets (protocol pings on timers, not a task per socket) and no
                # per-message compression: its zlib state was half of an idle socket's memory
                # for events of a few hundred bytes (docs/realtime.md#limits).
                ws="websockets-sansio", ws_per_message_deflate=False,
            )  # fmt: skip
        finally:
            if worker_process is not None:
                worker_process.terminate()
                worker_process.wait(timeout=30)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@main.command()
def worker() -> None:
    """Run scheduled jobs (bubble notices, expiry sweep) on the Redis job queue."""
    from app.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings()
    with redis_url_for(settings) as redis_url:
        if settings.migrates_on_start:
            asyncio.run(migrate_database(settings.resolved_database_url))
        click.echo(f"worker on {redis_url}")
        asyncio.run(run_worker(settings, redis_url))


@main.command()
def migrate() -> None:
    """Apply pending database migrations."""
    settings = Settings()
    asyncio.run(migrate_database(settings.resolved_database_url))
    click.echo("migrations applied")


@main.command("seed-demo")
def seed_demo_command() -> None:
    """Create demo players with actions and bubbles in every state (once)."""
    _seed_demo(Settings())


def _seed_demo(settings: Settings) -> None:
    from app.demo.seed import seed_demo

    for line in with_database(settings, lambda: seed_demo(settings, SystemClock().now())):
        click.echo(line)
