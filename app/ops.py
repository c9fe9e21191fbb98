"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Response, get
from tortoise import connections

from app.errors import PROBLEM_MEDIA_TYPE, problem_body
from core.params import RedisClient


class OpsController(Controller):
    """Probes for load balancers and orchestrators."""

    tags = ["ops"]
    include_in_schema = True

    @get("/health", summary="Liveness")
    async def health(self) -> dict[str, str]:
        """The process is up and serving."""
        return {"status": "ok"}

    @get("/ready", summary="Readiness: database and Redis reachable")
    async def ready(self, redis: RedisClient) -> Response[Any]:
        """200 when the database and Redis both answer within a second, else 503."""
        checks = {"database": await _probe(_ping_database()), "redis": await _probe(redis.ping())}
        if all(v == "ok" for v in checks.values()):
            return Response({"status": "ready", "checks": checks})
        body = problem_body(
            503, "not-ready", "Not ready", "a dependency is unreachable", "/ready", checks=checks
        )
        return Response(body, status_code=503, media_type=PROBLEM_MEDIA_TYPE)


async def _ping_database() -> None:
    await connections.get("default").execute_query("SELECT 1")


async def _probe(check: Any) -> str:
    try:
        await asyncio.wait_for(check, timeout=1.0)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"
