"""The `greenspark` command line: serve, migrate, users, support adjustments, checks, demo."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from app.auth.models import Role, User
from app.auth.rules import create_user
from app.db import close_database, migrate_database, open_database
from app.embedded_redis import EmbeddedRedis
from app.settings import Settings
from game.clock import SystemClock
from game.energy.bubbles import expire_bubbles
from game.energy.ledger import adjust_energy
from game.energy.reconcile import reconcile
from game.errors import DomainError
from game.props.rules import PropKind, grant_prop
from game.trees.projects import (
    PartnerNotFound,
    attach_partner_user,
    create_partner,
    partner_by_name,
)

T = TypeVar("T")


def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` with the database open (migrated first when the server would be)."""

    async def run() -> T:
        if settings.migrates_on_start:
            await migrate_database(settings.resolved_database_url)
        await open_database(settings.resolved_database_url)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


@click.group()
def main() -> None:
    """Green Spark: green energy, bubbles, friends, trees and challenges."""


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
    embedded = None
    worker_process: subprocess.Popen[bytes] | None = None
    # uvicorn re-raises SIGTERM after its shutdown; turning it into SystemExit lets the
    # `finally` below stop the embedded Redis.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    if settings.uses_embedded_redis:
        # One Redis for every worker process, owned by this parent process.
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        os.environ["REDIS_URL"] = embedded.start()
        click.echo(f"embedded Redis at {os.environ['REDIS_URL']}")
    try:
        if settings.migrates_on_start:
            asyncio.run(migrate_database(settings.resolved_database_url))
        # Workers must not race each other over migrations the parent has done.
        os.environ["GREENSPARK_AUTO_MIGRATE"] = "false"
        if demo:
            _seed_demo(Settings())
        if with_worker if with_worker is not None else settings.uses_embedded_redis:
            worker_process = subprocess.Popen([sys.executable, "-m", "app", "worker"])
        uvicorn.run(
            "app.main:create_app", factory=True, host=host, port=port, workers=workers,
            proxy_headers=True, log_level="info", access_log=False,
            ws_max_size=settings.ws_max_message_bytes, ws_ping_interval=20, ws_ping_timeout=20,
        )  # fmt: skip
    finally:
        if worker_process is not None:
            worker_process.terminate()
            worker_process.wait(timeout=30)
        if embedded is not None:
            embedded.stop()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@main.command()
def worker() -> None:
    """Run scheduled jobs (bubble notices, expiry sweep) on the Redis job queue."""
    from app.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings()
    embedded = None
    redis_url = settings.redis_url or _running_embedded_redis(settings)
    if redis_url is None:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        redis_url = embedded.start()
    try:
        if settings.migrates_on_start:
            asyncio.run(migrate_database(settings.resolved_database_url))
        click.echo(f"worker on {redis_url}")
        asyncio.run(run_worker(settings, redis_url))
    finally:
        if embedded is not None:
            embedded.stop()


def _running_embedded_redis(settings: Settings) -> str | None:
    """The embedded Redis of a server already running on this data folder, if it answers."""
    import redis

    sock = (settings.data_dir / "redis" / "redis.sock").resolve()
    if not sock.exists():
        return None
    url = f"unix://{sock}"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except (redis.ConnectionError, OSError):
        return None
    return url


@main.command()
def migrate() -> None:
    """Apply pending database migrations."""
    settings = Settings()
    asyncio.run(migrate_database(settings.resolved_database_url))
    click.echo("migrations applied")


@main.command("create-user")
@click.option("--username", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.PLAYER.value)
@click.option("--timezone", default=None, help="IANA time zone; the default one if omitted.")
@click.option("--region", default="")
def create_user_command(
    username: str, password: str, role: str, timezone: str | None, region: str
) -> None:
    """Create an account with a role (see --role; planting_partner for partner staff)."""
    settings = Settings()

    async def work() -> User:
        return await create_user(
            settings,
            SystemClock(),
            username=username,
            password=password,
            role=Role(role),
            timezone=timezone,
            region=region,
        )

    user = _run_rule(settings, work)
    click.echo(f"created {user.username} (id {user.id}, role {user.role})")


@main.command("attach-partner")
@click.option("--username", required=True, help="A user created with --role planting_partner.")
@click.option("--partner", required=True, help="Organisation name; created if it does not exist.")
@click.option("--region", default="", help="Region of a new organisation.")
def attach_partner_command(username: str, partner: str, region: str) -> None:
    """Let a planting_partner user report plantings for an organisation."""
    settings = Settings()

    async def work() -> str:
        user = await User.get_or_none(username=username.lower())
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        clock = SystemClock()
        try:
            organisation = await partner_by_name(partner)
        except PartnerNotFound:
            organisation = await create_partner(clock, partner, region)
        await attach_partner_user(clock, organisation.id, user.id)
        return f"{user.username} reports for {organisation.name} (id {organisation.id})"

    click.echo(_run_rule(settings, work))


@main.command("adjust-energy")
@click.option("--username", required=True)
@click.option("--grams", required=True, type=int, help="Positive to add, negative to remove.")
@click.option("--reason", required=True, help="Why; kept on the ledger row.")
@click.option("--key", default=None, help="Idempotency key; a retry with it changes nothing.")
def adjust_energy_command(username: str, grams: int, reason: str, key: str | None) -> None:
    """Support correction: writes one `adjustment` ledger row with its reason."""
    settings = Settings()

    async def work() -> int:
        user = await User.get_or_none(username=username.lower())
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        return await adjust_energy(SystemClock(), user.id, grams, reason, key or uuid.uuid4().hex)

    balance = _run_rule(settings, work)
    click.echo(f"adjusted {username} by {grams} g; balance now {balance} g")


@main.command("grant-prop")
@click.option("--username", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in PropKind]))
@click.option("--quantity", default=1, show_default=True, type=click.IntRange(1, 1000))
@click.option("--reason", required=True, help="Why; kept on the prop ledger row.")
@click.option("--key", default=None, help="Idempotency key; a retry with it changes nothing.")
def grant_prop_command(
    username: str, kind: str, quantity: int, reason: str, key: str | None
) -> None:
    """Give a player props (protection_cover, double_collect)."""
    settings = Settings()

    async def work() -> int:
        user = await User.get_or_none(username=username.lower())
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        return await grant_prop(
            SystemClock(), user.id, PropKind(kind), quantity, reason, key or uuid.uuid4().hex
        )

    held = _run_rule(settings, work)
    click.echo(f"granted {quantity} {kind} to {username}; they hold {held}")


@main.command("reconcile")
def reconcile_command() -> None:
    """Check that every gram is accounted for; exit 1 on any mismatch."""
    mismatches = _with_database(Settings(), reconcile)
    if not mismatches:
        click.echo("reconcile: every check passed")
        return
    for mismatch in mismatches:
        click.echo(f"MISMATCH {mismatch.check}: {mismatch.detail}", err=True)
    raise SystemExit(1)


@main.command("expire-bubbles")
def expire_bubbles_command() -> None:
    """Write off energy left in bubbles past their expiry."""
    changed = _with_database(Settings(), lambda: expire_bubbles(SystemClock()))
    click.echo(f"expired {changed} bubble(s)")


@main.command("rebuild-leaderboards")
def rebuild_leaderboards_command() -> None:
    """Rebuild every leaderboard from the energy ledger (Redis may have lost them)."""
    from redis.asyncio import Redis

    from app.main import leaderboard_store
    from game.leaderboards.rebuild import RebuildReport, rebuild_boards

    settings = Settings()
    embedded = None
    redis_url = settings.redis_url
    if not redis_url:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        redis_url = embedded.start()

    async def work() -> RebuildReport:
        redis = Redis.from_url(redis_url, decode_responses=True)
        try:
            return await rebuild_boards(leaderboard_store(settings, redis), SystemClock())
        finally:
            await redis.aclose()

    try:
        report = _run_rule(settings, work)
    finally:
        if embedded is not None:
            embedded.stop()
    click.echo(
        f"rebuilt {report.boards} board(s): {report.scores} score(s) of {report.players} "
        f"player(s) in {report.seconds:.2f} s"
    )


@main.command("seed-demo")
def seed_demo_command() -> None:
    """Create demo players with actions and bubbles in every state (once)."""
    _seed_demo(Settings())


def _seed_demo(settings: Settings) -> None:
    from scripts.seed_demo import seed_demo

    for line in _with_database(settings, lambda: seed_demo(settings, SystemClock().now())):
        click.echo(line)


def _run_rule(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    try:
        return _with_database(settings, work)
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.detail}") from None
