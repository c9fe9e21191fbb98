"""Commands that check and repair: reconcile, expire-bubbles, rebuild-leaderboards, dead letters."""

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
    from game.leaderboards.counts import COUNT_BOARDS, rebuild_count_board
    from game.leaderboards.energy import Boards
    from game.leaderboards.rebuild import RebuildReport, rebuild_boards

    settings = Settings()
    with redis_url_for(settings) as redis_url:

        async def work() -> tuple[RebuildReport, dict[str, int], int]:
            redis = redis_client(settings, redis_url)
            boards, clock = Boards.from_settings(settings, redis), SystemClock()
            try:
                report = await rebuild_boards(boards, clock)
                counts = {n: await rebuild_count_board(boards, clock, n) for n in COUNT_BOARDS}
                campaigns = await rebuild_live_campaign_boards(
                    campaign_boards_for(boards), clock.now()
                )
                return report, counts, campaigns
            finally:
                await redis.aclose()

        report, counts, campaigns = run_rule(settings, work)
    click.echo(
        f"rebuilt {report.boards} board(s): {report.scores} score(s) of {report.players} "
        f"player(s) in {report.seconds:.2f} s; the boards of {campaigns} campaign(s)"
    )
    for name, players in counts.items():
        click.echo(f"rebuilt the {name} board: {players} player(s)")


@main.command("dead-letters")
@click.option("--retry", is_flag=True, help="Put them back in the push queue.")
@click.option("--id", "ids", multiple=True, type=int, help="Only these (repeatable).")
def dead_letters_command(retry: bool, ids: tuple[int, ...]) -> None:
    """List the pushes given up on (newest 100), or queue them again with --retry."""
    from social.notifications.delivery import dead_letters, retry_dead_letters

    if retry:
        queued = with_database(
            Settings(), lambda: retry_dead_letters(SystemClock(), list(ids) if ids else None)
        )
        click.echo(f"queued {queued} push(es) again")
        return
    for row in with_database(Settings(), dead_letters):
        if ids and row.id not in ids:
            continue
        click.echo(
            f"{row.id}\tuser {row.user_id}\t{row.kind}\t{row.attempts} attempt(s)\t"
            f"{row.finished_at.isoformat() if row.finished_at else ''}\t{row.last_error}"
        )
