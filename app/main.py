"""The application factory: wires settings, stores, auth, errors and the domains' controllers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging.config import StructLoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.logging import LoggingMiddlewareConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.plugins.structlog import StructlogConfig, StructlogPlugin
from redis.asyncio import Redis

from app.auth.api import AuthController, MeController
from app.auth.middleware import PUBLIC_PATHS, TokenAuthMiddleware
from app.db import close_database, migrate_database, open_database
from app.embedded_redis import EmbeddedRedis
from app.errors import EXCEPTION_HANDLERS
from app.idempotency import IdempotencyMiddleware
from app.media import FileMediaStore
from app.ops import OpsController
from app.realtime import ChannelEvents, make_channels
from app.screens import screens_router
from app.settings import Settings
from app.ws import player_events
from game.carbon.api import CarbonController
from game.carbon.catalog import Catalog, load_catalog
from game.clock import Clock, SystemClock
from game.energy.api import EnergyController
from game.energy.bubbles import BubbleTiming
from game.energy.stealing import StealRules
from game.energy.visits_api import VisitsController
from game.energy.watering import WaterRules
from game.leaderboards.api import LeaderboardsController
from game.leaderboards.energy import Boards
from game.props.api import PropsController
from game.trees.api import TreesController
from game.trees.api_admin import TreesAdminController
from game.trees.api_coplanting import CoPlantingController
from game.trees.api_partner import PlantingPartnerController
from game.trees.api_welfare import ProtectedAreasController, WelfareController
from social.checkins.api import CheckinsController, MediaController, checkin_upload_router
from social.friends.api import FriendsController
from social.moderation.api import ModerationController, ReportsController
from social.timeline.api import TimelineController

CONTROLLERS = [
    OpsController,
    AuthController,
    MeController,
    CarbonController,
    EnergyController,
    FriendsController,
    VisitsController,
    PropsController,
    TimelineController,
    TreesController,
    TreesAdminController,
    PlantingPartnerController,
    CoPlantingController,
    ProtectedAreasController,
    WelfareController,
    CheckinsController,
    MediaController,
    ReportsController,
    ModerationController,
    LeaderboardsController,
]


def bubble_timing(settings: Settings) -> BubbleTiming:
    """The bubble rules' timing, from settings."""
    return BubbleTiming(
        ripen_delay=timedelta(seconds=settings.ripen_delay_seconds),
        daily_ripen_hour=settings.daily_ripen_hour,
        lifetime=timedelta(seconds=settings.bubble_lifetime_seconds),
    )


def leaderboard_store(settings: Settings, redis: Redis) -> Boards:
    """Where the leaderboards live, from settings."""
    return Boards(
        redis=redis,
        prefix=settings.redis_prefix,
        grace=timedelta(seconds=settings.leaderboard_grace_seconds),
        default_tz=settings.tz,
    )


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    """Start Redis (embedded if no URL), migrate if asked, open the database; undo on exit."""
    settings: Settings = app.state.settings
    embedded: EmbeddedRedis | None = None
    redis_url = settings.redis_url
    if not redis_url:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        redis_url = await asyncio.to_thread(embedded.start)
    redis = Redis.from_url(redis_url, decode_responses=True)
    # The channels backend reads raw stream entries, so it gets a client of its own.
    stream_redis = Redis.from_url(redis_url)
    app.state.redis = redis
    channels, backend = make_channels(stream_redis, settings.redis_prefix)
    app.state.channels = channels
    app.state.channel_history = backend
    app.state.events = ChannelEvents(channels, app.state.clock)
    app.state.boards = leaderboard_store(settings, redis)
    try:
        if settings.migrates_on_start:
            await migrate_database(settings.resolved_database_url)
        await open_database(settings.resolved_database_url)
        try:
            async with channels:
                yield
        finally:
            await close_database()
    finally:
        await redis.aclose()
        await stream_redis.aclose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


def _from_state(name: str) -> Provide:
    def provide(state: State) -> Any:
        return state[name]

    return Provide(provide, sync_to_thread=False)


def _logging(settings: Settings) -> StructlogPlugin:
    return StructlogPlugin(
        StructlogConfig(
            structlog_logging_config=StructLoggingConfig(
                pretty_print_tty=not settings.log_json, log_exceptions="debug"
            ),
            middleware_logging_config=LoggingMiddlewareConfig(
                request_log_fields=["path", "method", "query"],
                response_log_fields=["status_code"],
            ),
        )
    )


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Litestar:
    """Build the Litestar application; tests pass their own settings and clock."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    catalog: Catalog = load_catalog()
    metrics = PrometheusConfig(app_name="greenspark", prefix="greenspark", group_path=True)
    state = State(
        {
            "settings": settings,
            "clock": clock,
            "catalog": catalog,
            "timing": bubble_timing(settings),
            "steal_rules": StealRules(
                settings.steal_share_percent, settings.steal_owner_floor_percent
            ),
            "water_rules": WaterRules(settings.water_amounts, settings.water_times_per_day),
            "media": FileMediaStore(settings.data_dir / "media"),
        }
    )
    return Litestar(
        route_handlers=[
            *CONTROLLERS,
            player_events,
            checkin_upload_router(settings),
            PrometheusController,
            screens_router(),
        ],
        lifespan=[lifespan],
        state=state,
        dependencies={
            name: _from_state(name)
            for name in (
                "settings",
                "clock",
                "catalog",
                "timing",
                "redis",
                "channels",
                "events",
                "steal_rules",
                "water_rules",
                "channel_history",
                "media",
                "boards",
            )
        },
        middleware=[
            metrics.middleware,
            DefineMiddleware(TokenAuthMiddleware, exclude=PUBLIC_PATHS),
            IdempotencyMiddleware(),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Green Spark",
            version="1.0.0",
            description="Green energy, bubbles, friends, trees and challenges.",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
            security=[{"bearer": []}],
        ),
        plugins=[_logging(settings)],
    )
