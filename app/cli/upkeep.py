"""Commands that check and repair: reconcile, expire-bubbles, rebuild-leaderboards."""

from __future__ import annotations

import click

from app.cli.base import main, run_rule, with_database
from app.domains import reconcile
from app.embedded_redis import redis_url_for
from app.redis_clients import redis_client
from core.clock import SystemClock
from core.settings import Settings
from game.energy.bubbles import expire_bubbles


@main.command("reconcile")
def reconcile_command() -> None:
    """Check that every gram is accounted for; exit 1 on any mismatch."""
    mismatches = with_database(Settings(), reconcile)
    if not mismatches:
        click.echo("reconcile: every check passed")
        return
    for mismatch in mismatches:
        click.echo(f"MISMATCH {mismatch.check}: {mismatch.detail}", err=True)
    raise SystemExit(1)


@main.command("expire-bubbles")
def expire_bubbles_command() -> None:
    """Write off energy left in bubbles past their expiry."""
    changed = with_database(Settings(), lambda: expire_bubbles(SystemClock()))
    click.echo(f"expired {changed} bubble(s)")


@main.command("rebuild-leaderboards")
def rebuild_leaderboards_command() -> None:
    """Rebuild every leaderboard from the database (Redis may have lost them)."""
    from app.domains import campaign_boards_for
    from game.campaigns.progress.boards import rebuild_live_campaign_boards
    from game.leaderboards.energy import Boards
    from game.leaderboards.rebuild import RebuildReport, rebuild_boards

    settings = Settings()
    with redis_url_for(settings) as redis_url:

        async def work() -> tuple[RebuildReport, int]:
            redis = redis_client(settings, redis_url)
            try:
                boards = Boards.from_settings(settings, redis)
                report = await rebuild_boards(boards, SystemClock())
                now = SystemClock().now()
                return report, await rebuild_live_campaign_boards(campaign_boards_for(boards), now)
            finally:
                await redis.aclose()

        report, campaigns = run_rule(settings, work)
    click.echo(
        f"rebuilt {report.boards} board(s): {report.scores} score(s) of {report.players} "
        f"player(s) in {report.seconds:.2f} s; the boards of {campaigns} campaign(s)"
    )
