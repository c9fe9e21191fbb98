"""The application factory: wires settings, stores, auth, errors and the domains' controllers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging.config import StructLoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.logging import LoggingMiddlewareConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.plugins.structlog import StructlogConfig, StructlogPlugin

from app.auth.api import AuthController, MeController, TicketController
from app.auth.cache import SESSIONS, SESSIONS_CHANNEL
from app.auth.middleware import PUBLIC_PATHS, TokenAuthMiddleware
from app.db import close_database, migrate_database, open_database
from app.domains import (
    DOMAIN_CONTROLLERS,
    DOMAIN_DEPENDENCIES,
    bind_live_reactions,
    connect_hooks,
    domain_state,
)
from app.embedded_redis import redis_url_for
from app.errors import EXCEPTION_HANDLERS
from app.idempotency import IdempotencyMiddleware
from app.logs import redact_secrets
from app.openapi import document_problems
from app.ops import OpsController
from app.realtime import EventRouter
from app.redis_clients import listener_client, node_client, redis_client
from app.relay import OutboxRelay
from app.screens import screens_router
from app.ws import close_ended_sessions, player_events, send_heartbeats
from core.clock import Clock, SystemClock
from core.events import OutboxEvents
from core.media import FileMediaStore
from core.settings import Settings
from game.carbon.catalog import load_catalog
from game.leaderboards.energy import Boards
from game.leaderboards.gains import GainBatcher
from social.checkins.api import checkin_upload_router

CONTROLLERS = [
    OpsController,
    AuthController,
    MeController,
    TicketController,
    *DOMAIN_CONTROLLERS,
]


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    """Redis (embedded if no URL), migrations if asked, the database, the event relay."""
    settings: Settings = app.state.settings
    clock: Clock = app.state.clock
    with ExitStack() as stack:
        redis_url = await asyncio.to_thread(stack.enter_context, redis_url_for(settings))
        redis = redis_client(settings, redis_url)
        listener = listener_client(settings, redis_url)
        # Events travel as bytes, so they get a client of their own; a plain one of one node
        # even on a cluster, which broadcasts a PUBLISH (docs/scaling.md#redis-cluster).
        stream_redis = node_client(settings, redis_url, decode_responses=False)
        router = EventRouter(stream_redis, listener, settings.redis_prefix)
        relay = OutboxRelay(clock, router.publish)
        app.state.redis = redis
        app.state.router = router
        app.state.relay = relay
        app.state.events = OutboxEvents(clock, relay.wake, relay.deliver_now)
        app.state.boards = Boards.from_settings(settings, redis)
        gains = GainBatcher(app.state.boards, clock, app.state.events, settings.board_batch_seconds)
        app.state.gains = gains
        bind_live_reactions(clock, app.state.events, app.state.boards, settings)
        try:
            if settings.migrates_on_start:
                await migrate_database(settings.resolved_database_url)
            await open_database(settings.resolved_database_url)
            try:
                router.start()
                heartbeats = asyncio.create_task(
                    send_heartbeats(router, settings.ws_heartbeat_seconds), name="heartbeats"
                )
                relay.start()
                gains.start()
                # Bound even with the cache off (0 s keeps nothing): endings heard from other
                # processes also close this process's websockets of the ended sessions.
                channel = SESSIONS_CHANNEL.format(settings.redis_prefix)
                SESSIONS.bind(listener, channel, settings.session_cache_seconds)
                closing = functools.partial(close_ended_sessions, router)
                SESSIONS.listeners.append(closing)
                try:
                    yield
                finally:
                    SESSIONS.listeners.remove(closing)
                    await SESSIONS.stop()
                    await gains.stop()
                    await relay.stop()
                    heartbeats.cancel()
                    await router.stop()
            finally:
                await close_database()
        finally:
            await redis.aclose()
            await listener.aclose()
            await stream_redis.aclose()
            await asyncio.to_thread(stack.close)


# Built by the lifespan, once Redis is known.
LIFESPAN_STATE = ("redis", "router", "events", "boards", "gains")


def _from_state(name: str) -> Provide:
    def provide(state: State) -> Any:
        return state[name]

    return Provide(provide, sync_to_thread=False)


def _logging(settings: Settings) -> StructlogPlugin:
    logs = StructLoggingConfig(pretty_print_tty=not settings.log_json, log_exceptions="debug")
    # Tokens and websocket tickets in a query string never reach a log line (app/logs.py).
    logs.processors = [redact_secrets, *(logs.processors or [])]
    return StructlogPlugin(
        StructlogConfig(
            structlog_logging_config=logs,
            middleware_logging_config=LoggingMiddlewareConfig(
                request_log_fields=["path", "method", "query"],
                response_log_fields=["status_code"],
                # The 07:00 peak's routes (opt={"hot_path": True}) write no two log lines per
                # request; their outcomes are counted by the metrics (docs/benchmarks.md).
                exclude_opt_key="hot_path",
            ),
        )
    )


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Litestar:
    """Build the Litestar application; tests pass their own settings and clock."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    connect_hooks()
    metrics = PrometheusConfig(app_name="greenspark", prefix="greenspark", group_path=True)
    state = State(
        {
            "settings": settings,
            "clock": clock,
            "catalog": load_catalog(),
            "media": FileMediaStore(settings.data_dir / "media"),
            **domain_state(settings, clock),
        }
    )
    app = Litestar(
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
            **{name: _from_state(name) for name in (*state.keys(), *LIFESPAN_STATE)},
            **DOMAIN_DEPENDENCIES,
        },
        middleware=[
            metrics.middleware,
            DefineMiddleware(TokenAuthMiddleware, exclude=PUBLIC_PATHS),
            IdempotencyMiddleware(),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        # Cross-origin callers only when origins are listed; preflights never need a token.
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            expose_headers=["Retry-After", "Idempotent-Replayed", "X-Render-Cache"],
        )
        if settings.cors_origins
        else None,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Green Spark",
            version="1.0.0",
            description="Green energy, bubbles, friends, trees and challenges.",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                    # Partner calls carry three headers; the signature one names the scheme.
                    "partner_signature": SecurityScheme(
                        type="apiKey",
                        name="Greenspark-Signature",
                        security_scheme_in="header",
                        description=(
                            "HMAC-SHA256 with Greenspark-Key-Id and Greenspark-Timestamp; "
                            "see docs/partners.md"
                        ),
                    ),
                }
            ),
            security=[{"bearer": []}],
        ),
        plugins=[_logging(settings)],
    )
    document_problems(app, PUBLIC_PATHS)
    return app
