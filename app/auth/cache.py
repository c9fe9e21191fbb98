"""Open sessions remembered by each process, so a request's token costs no database round trip.

A verified access token still needs an open session (logout revokes access tokens at once,
docs/rules.md#accounts-and-sessions). Reading the session on every request was the largest
fixed cost of a request; each process now remembers the sessions it has checked, and forgets
them:

- at once in the process that revokes a session or changes a player (logout, a reused refresh
  token, a deletion request, an erasure, a suspension or its lifting), after the commit;
- within milliseconds in every other process: the revoking process publishes the session or
  player on one Redis channel, which every process listens to with one subscription;
- whenever the listener is not connected (Redis down, reconnecting) the cache is emptied and
  not used: sessions are read from the database until the subscription is back;
- and at the latest `GREENSPARK_SESSION_CACHE_SECONDS` after an entry was read, the bound when a
  revocation could not be published at all (docs/rules.md#sessions).

Tokens themselves are kept once verified (signature and claims), by their exact text, so the
HMAC and the JSON decoding also happen once per token and process; expiry is checked each time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from tortoise.backends.base.client import BaseDBAsyncClient

from app.auth.tokens import AccessClaims
from core.db import after_commit, run_after_commit
from core.users import User

log = structlog.get_logger("greenspark.auth")

MAX_ENTRIES = 200_000
# Revocations for every process, under the Redis prefix: `s:<session id>` (one session ended),
# `e:<player id>` (every session of the player ended) or `u:<player id>` (the player changed).
SESSIONS_CHANNEL = "{}auth:revoked"
ONE_SESSION_ENDED, EVERY_SESSION_ENDED, PLAYER_CHANGED = "s", "e", "u"


@dataclass
class _Entry:
    user: User
    session_expires_at: datetime
    read_at: datetime


class SessionCache:
    """Sessions and verified tokens this process has seen, forgotten on revocation."""

    def __init__(self) -> None:
        self.ttl = timedelta(seconds=30)
        self.sessions: dict[str, _Entry] = {}
        self.tokens: dict[str, AccessClaims] = {}
        self.redis: Redis | None = None
        self.channel = ""
        self.listening = False
        # Raised by every forgetting: a session read before one must not be remembered after it.
        self.generation = 0
        # Told of every ending, here and from other processes (open websockets close on it).
        self.listeners: list[Callable[[str, str], None]] = []
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ lookups

    def claims(self, token: str) -> AccessClaims | None:
        """The claims of a token verified before (its expiry is the caller's to check)."""
        return self.tokens.get(token)

    def remember_claims(self, token: str, claims: AccessClaims) -> None:
        """Keep a verified token's claims."""
        if len(self.tokens) >= MAX_ENTRIES:
            self.tokens.clear()
        self.tokens[token] = claims

    def user(self, session_id: str, user_id: int, now: datetime) -> User | None:
        """The session's user if it was read recently and nothing revoked it since."""
        if not self.listening:
            return None
        entry = self.sessions.get(session_id)
        if entry is None or entry.user.id != user_id:
            return None
        if (
            entry.session_expires_at <= now
            or now - entry.read_at >= self.ttl
            or now < entry.read_at
        ):
            self.sessions.pop(session_id, None)
            return None
        return entry.user

    def remember(
        self, session_id: str, user: User, expires_at: datetime, now: datetime, generation: int
    ) -> None:
        """Keep an open session read from the database when the read began at `generation`."""
        if not self.listening or generation != self.generation or not self.ttl:
            return
        if len(self.sessions) >= MAX_ENTRIES:
            self.sessions.clear()
        self.sessions[session_id] = _Entry(user, expires_at, now)

    # ------------------------------------------------------------------ forgetting

    def forget_locally(self, kind: str, ident: str) -> None:
        """Drop a session ("s") or every session of a player ("e", "u") from this process."""
        self.generation += 1
        if kind == ONE_SESSION_ENDED:
            self.sessions.pop(ident, None)
        elif kind in (EVERY_SESSION_ENDED, PLAYER_CHANGED):
            for sid in [s for s, e in self.sessions.items() if str(e.user.id) == ident]:
                self.sessions.pop(sid, None)
        else:
            self.sessions.clear()
        for listener in self.listeners:
            try:
                listener(kind, ident)
            except Exception as exc:  # one listener's failure must not stop the forgetting
                log.error("session listener failed", exc_info=exc)

    async def forget_everywhere(self, kind: str, ident: str) -> None:
        """Drop it here after the commit, and tell every other process through Redis."""
        after_commit(lambda: self.forget_locally(kind, ident))
        await run_after_commit(lambda: self._publish(f"{kind}:{ident}"))

    async def _publish(self, message: str) -> None:
        if self.redis is not None:
            await self.redis.publish(self.channel, message)

    # ------------------------------------------------------------------ the listener

    def bind(self, redis: Redis, channel: str, ttl_seconds: float) -> None:
        """Use this Redis (a client without a read timeout) and channel; start listening."""
        self.redis, self.channel = redis, channel
        self.ttl = timedelta(seconds=ttl_seconds)
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="session-revocations")

    async def stop(self) -> None:
        """Stop listening; the cache is off until bound again."""
        self.listening = False
        self.generation += 1
        self.sessions.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        while True:
            redis = self.redis
            if redis is None:
                return
            try:
                async with redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    # Whatever was revoked while nobody listened is forgotten with the rest.
                    self.generation += 1
                    self.sessions.clear()
                    self.listening = True
                    async for message in pubsub.listen():
                        data = message.get("data")
                        text = data.decode() if isinstance(data, bytes) else str(data)
                        kind, _, ident = text.partition(":")
                        self.forget_locally(kind, ident)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning("session revocations unheard; sessions read from the database",
                            error=str(exc))  # fmt: skip
            except (
                Exception
            ) as exc:  # the listener must outlive anything; the cache is off meanwhile
                log.error("session revocation listener failed", exc_info=exc)
            finally:
                self.listening = False
                self.generation += 1
                self.sessions.clear()
            await asyncio.sleep(1.0)


# One per process: rules that revoke reach it without being handed it.
SESSIONS = SessionCache()


async def forget_player_sessions(_conn: BaseDBAsyncClient, user_id: int) -> None:
    """A player changed (suspended, say): every process reads their sessions afresh."""
    await SESSIONS.forget_everywhere(PLAYER_CHANGED, str(user_id))
