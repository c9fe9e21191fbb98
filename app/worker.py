"""`greenspark worker`: scheduled jobs on a Redis-backed queue (SAQ) outside the web processes.

Jobs: bubble notices (bubble.ripe, bubble.expiring) every few seconds, the expiry sweep every
five minutes, the purge of old sent events and of notifications past their retention every ten
and of old partner call audit rows hourly, pushes every few seconds, weekly results every five
minutes, the erasure of deleted accounts whose grace period is over
(GREENSPARK_ERASURE_CRON), and the campaigns job (announcing starts, rewarding teams and
regions that reached a cooperative goal, settling campaigns) on `GREENSPARK_CAMPAIGN_CRON`, and
the closing of power-saving events (households still waiting for their window's readings after
GREENSPARK_POWER_EVENT_READINGS_GRACE_DAYS settle as missing-readings) every half hour. The
worker also relays the events its jobs record (app/relay.py). The jobs read the database, so
losing the queue in Redis loses nothing. Each job takes SAQ's context (`settings`, `clock`,
`events`, `gateway`, …), so a test can call it with a ManualClock.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from saq import CronJob, Worker
from saq.queue.redis import RedisQueue

from app.db import close_database, open_database
from app.domains import (
    bind_live_reactions,
    campaign_announcing,
    campaign_boards_for,
    campaign_settle_after,
    connect_hooks,
)
from app.privacy.erasure import erase_due_accounts
from app.realtime import EventRouter
from app.redis_clients import node_client, redis_client
from app.relay import OutboxRelay, purge_sent_events
from core.clock import Clock, SystemClock
from core.events import OutboxEvents
from core.media import FileMediaStore
from core.settings import Settings
from game.campaigns.progress.settlement import run_campaign_jobs
from game.energy.bubbles import expire_bubbles
from game.energy.notices import send_bubble_notices
from game.leaderboards.energy import Boards
from game.leaderboards.weekly import record_weekly_results
from game.partners.gate.audit import purge_old_calls
from game.saving.events.settling import Closing, close_overdue_entries
from social.notifications.delivery import PushRules, send_due_pushes
from social.notifications.gateway import WebhookGateway
from social.notifications.inbox import purge_notifications


async def notices_job(ctx: dict[str, Any]) -> int:
    """Send due bubble notices; returns how many."""
    settings: Settings = ctx["settings"]
    run = await send_bubble_notices(
        ctx["clock"], ctx["events"], timedelta(seconds=settings.expiring_notice_seconds)
    )
    return run.ripe + run.expiring


async def expiry_job(ctx: dict[str, Any]) -> int:
    """Write off energy left in expired bubbles; returns how many bubbles changed."""
    return await expire_bubbles(ctx["clock"])


async def purge_events_job(ctx: dict[str, Any]) -> int:
    """Forget events no reconnecting client will ask for, and notifications past retention."""
    settings: Settings = ctx["settings"]
    events = await purge_sent_events(
        ctx["clock"], timedelta(seconds=settings.event_history_seconds)
    )
    notes = await purge_notifications(
        ctx["clock"], timedelta(seconds=settings.notification_retention_seconds)
    )
    return events + notes


async def push_job(ctx: dict[str, Any]) -> int:
    """Send the pushes that are due (retries and the end of quiet hours included)."""
    settings: Settings = ctx["settings"]
    outcomes = await send_due_pushes(
        ctx["clock"], ctx.get("gateway"), PushRules.from_settings(settings)
    )
    return sum(outcomes.values())


async def weekly_results_job(ctx: dict[str, Any]) -> int:
    """Record the weeks that have ended on players' calendars; returns how many results."""
    settings: Settings = ctx["settings"]
    return await record_weekly_results(ctx["clock"], ctx["events"], settings.tz)


async def erasure_job(ctx: dict[str, Any]) -> int:
    """Erase accounts whose deletion grace period is over; returns how many."""
    return await erase_due_accounts(ctx["clock"], ctx["media"], ctx["settings"])


async def campaigns_job(ctx: dict[str, Any]) -> int:
    """Announce starts, reward teams and regions that reached their goal, settle campaigns;
    returns how many players were told or rewarded and campaigns settled."""
    settings = ctx["settings"]
    run = await run_campaign_jobs(
        ctx["clock"], ctx["events"], ctx["campaign_boards"], campaign_settle_after(settings),
        campaign_announcing(settings),
    )  # fmt: skip
    return run.players_told_of_starts + run.members_rewarded + len(run.settled)


async def purge_partner_calls_job(ctx: dict[str, Any]) -> int:
    """Forget partner call audit rows older than GREENSPARK_PARTNER_CALL_HISTORY_DAYS."""
    settings: Settings = ctx["settings"]
    return await purge_old_calls(ctx["clock"], timedelta(days=settings.partner_call_history_days))


async def power_events_job(ctx: dict[str, Any]) -> int:
    """Close power-saving households whose readings never came; returns how many."""
    settings: Settings = ctx["settings"]
    grace = timedelta(days=settings.power_event_readings_grace_days)
    return await close_overdue_entries(Closing(ctx["clock"], ctx["events"], grace))


class QueueNeedsPlainRedis(RuntimeError):
    """The job queue cannot run on a Redis Cluster (docs/scaling.md#the-job-queue)."""


def queue_name(settings: Settings) -> str:
    """The queue's name; SAQ puts it in its keys (`saq:<name>:queued`, …)."""
    return f"{settings.redis_prefix}jobs"


def queue_redis_url(settings: Settings, redis_url: str) -> str:
    """`GREENSPARK_QUEUE_REDIS_URL`, else `redis_url` unless that is a cluster."""
    if settings.queue_redis_url:
        return settings.queue_redis_url
    if settings.redis_cluster:
        # SAQ's enqueue script also touches `saq:abort:<job key>`, and cron jobs' keys
        # (`cron:<function>`) cannot carry the queue's hash tag: a cross-slot script.
        raise QueueNeedsPlainRedis(
            "the job queue needs a plain Redis beside the cluster: set GREENSPARK_QUEUE_REDIS_URL"
        )
    return redis_url


def job_queue(settings: Settings, redis_url: str) -> RedisQueue:
    """The SAQ queue on its own Redis (`queue_redis_url`)."""
    return RedisQueue(
        Redis.from_url(queue_redis_url(settings, redis_url)), name=queue_name(settings)
    )


def build_worker(settings: Settings, redis_url: str, clock: Clock | None = None) -> Worker[Any]:
    """A SAQ worker with the game's cron jobs, its own database and event connections."""
    queue = job_queue(settings, redis_url)
    stream_redis = node_client(settings, redis_url, decode_responses=False)
    board_redis = redis_client(settings, redis_url)
    # The worker only publishes events: a router that never subscribes.
    router = EventRouter(stream_redis, stream_redis, settings.redis_prefix)

    worker_clock = clock or SystemClock()
    relay = OutboxRelay(worker_clock, router.publish)

    async def startup(ctx: dict[str, Any]) -> None:
        connect_hooks()
        await open_database(settings.resolved_database_url)
        relay.start()
        ctx["settings"] = settings
        ctx["clock"] = worker_clock
        ctx["events"] = OutboxEvents(worker_clock, relay.wake)
        ctx["media"] = FileMediaStore(settings.data_dir / "media")
        boards = Boards.from_settings(settings, board_redis)
        ctx["campaign_boards"] = campaign_boards_for(boards)
        bind_live_reactions(worker_clock, ctx["events"], boards, settings)
        ctx["gateway"] = WebhookGateway.from_settings(settings)

    async def shutdown(ctx: dict[str, Any]) -> None:
        if ctx.get("gateway") is not None:
            await ctx["gateway"].close()
        await relay.stop()
        await stream_redis.aclose()
        await board_redis.aclose()
        await close_database()

    return Worker(
        queue,
        functions=[
            notices_job,
            expiry_job,
            purge_events_job,
            erasure_job,
            campaigns_job,
            purge_partner_calls_job,
            power_events_job,
            push_job,
            weekly_results_job,
        ],
        cron_jobs=[
            CronJob(notices_job, cron=settings.notice_cron, timeout=60),
            CronJob(expiry_job, cron="*/5 * * * *", timeout=300),
            CronJob(purge_events_job, cron="*/10 * * * *", timeout=300),
            CronJob(erasure_job, cron=settings.erasure_cron, timeout=300),
            CronJob(campaigns_job, cron=settings.campaign_cron, timeout=300),
            CronJob(purge_partner_calls_job, cron="17 * * * *", timeout=300),
            CronJob(power_events_job, cron="*/30 * * * *", timeout=300),
            CronJob(push_job, cron=settings.push_cron, timeout=300),
            CronJob(weekly_results_job, cron=settings.weekly_results_cron, timeout=600),
        ],
        startup=startup,
        shutdown=shutdown,
        concurrency=4,
        # Jobs are short database queries; do not hold a shutdown for long.
        shutdown_grace_period_s=2,
    )


async def run_worker(settings: Settings, redis_url: str) -> None:
    """Run the worker until SIGTERM or SIGINT (SAQ installs the handlers and drains jobs)."""
    await build_worker(settings, redis_url).start()
