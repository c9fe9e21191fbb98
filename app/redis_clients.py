"""Redis clients that fail fast and heal: bounded waits, health-checked pooled connections.

Every Redis client of the server, the worker and the commands is made here, so that they all
behave alike when Redis stops, freezes or restarts (docs/reliability.md):

- a call waits at most `GREENSPARK_REDIS_TIMEOUT_SECONDS` (a frozen Redis cannot hang a request);
- a pooled connection idle for `GREENSPARK_REDIS_HEALTH_CHECK_SECONDS` is pinged before use, and
  a call that fails on a broken connection (Redis restarted under it) is retried once on a fresh
  one, so the first request after Redis comes back does not fail;
- a timeout is not retried: it would only double the wait.

With `GREENSPARK_REDIS_CLUSTER=true` the URL names one node of a Redis Cluster: commands go
through redis-py's cluster client, which learns the slot map from that node and follows MOVED
redirections; subscriptions go to that one node, since a cluster broadcasts every PUBLISH to all
its nodes (docs/scaling.md#redis-cluster).
"""

from __future__ import annotations

from typing import cast

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from core.settings import Settings


def redis_client(settings: Settings, url: str, *, decode_responses: bool = True) -> Redis:
    """A client for `url` with the timeouts, health checks and single retry above."""
    if not settings.redis_cluster:
        return node_client(settings, url, decode_responses=decode_responses)
    # The cluster client speaks the same commands; the rules are typed against `Redis`.
    return cast(
        Redis,
        RedisCluster.from_url(
            url,
            decode_responses=decode_responses,
            socket_timeout=settings.redis_timeout_seconds,
            socket_connect_timeout=settings.redis_timeout_seconds,
            health_check_interval=settings.redis_health_check_seconds,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        ),
    )


def listener_client(settings: Settings, url: str) -> Redis:
    """A client for long-lived subscriptions: no read timeout (a quiet channel is not a fault).

    On a cluster this is a client of the one node the URL names: a cluster delivers every
    PUBLISH to the subscribers of all its nodes, so one node hears every channel.
    """
    return Redis.from_url(
        url,
        socket_timeout=None,
        socket_connect_timeout=settings.redis_timeout_seconds,
        health_check_interval=settings.redis_health_check_seconds,
    )


def node_client(settings: Settings, url: str, *, decode_responses: bool = True) -> Redis:
    """A plain client of the node the URL names, even on a cluster: for publishing, since a
    cluster broadcasts a PUBLISH from any node and redis-py's cluster pipelines refuse it."""
    return Redis.from_url(
        url,
        decode_responses=decode_responses,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        health_check_interval=settings.redis_health_check_seconds,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        retry_on_timeout=False,
    )
