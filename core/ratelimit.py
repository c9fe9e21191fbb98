"""Fixed-window counters in Redis for limits keyed by something other than the client.

Litestar's RateLimitMiddleware keys limits by client and route; login needs a limit keyed by the
account named in the body as well, so this small counter does both for the login path.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis


@dataclass(frozen=True)
class Window:
    """A count in the current window and how long until it resets."""

    count: int
    retry_after: int


async def count_hit(redis: Redis, key: str, window_seconds: int) -> Window:
    """Add one to a window counter and return its new value."""
    async with redis.pipeline(transaction=True) as pipe:
        # SET NX EX starts the window (works on Redis 6.2, which has no EXPIRE NX).
        pipe.set(key, 0, ex=window_seconds, nx=True)
        pipe.incr(key)
        pipe.ttl(key)
        _, count, ttl = await pipe.execute()
    return Window(count=int(count), retry_after=max(int(ttl), 1))


async def peek(redis: Redis, key: str) -> Window:
    """Read a window counter without adding to it."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.get(key)
        pipe.ttl(key)
        count, ttl = await pipe.execute()
    return Window(count=int(count or 0), retry_after=max(int(ttl), 1))


async def forget(redis: Redis, key: str) -> None:
    """Reset a counter (after a successful login, say)."""
    await redis.delete(key)
