"""Direct access to the tests' stores, for checks that look past the API."""

from __future__ import annotations

from redis.asyncio import Redis

from app.redis_clients import redis_client
from core.settings import Settings


def direct_redis(settings: Settings) -> Redis:
    """A client of the tests' Redis for direct checks (a cluster client on a cluster)."""
    return redis_client(settings, str(settings.redis_url))
