"""Websocket tickets: a short-lived, single-use pass for the handshake, so that no access token
ever travels in a URL (URLs end up in logs and browser history). See docs/realtime.md.

A ticket is a random string handed to a logged-in player; Redis keeps only its hash, with the
player's session and a TTL of `GREENSPARK_WS_TICKET_SECONDS`. The handshake trades it with
GETDEL, so it works once. Losing Redis loses only unused tickets: clients ask for another.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from redis.asyncio import Redis

from core.clock import Clock
from core.settings import Settings


@dataclass(frozen=True)
class Ticket:
    """What the player presents at the handshake, and until when."""

    ticket: str
    expires_at: datetime


def _key(settings: Settings, ticket: str) -> str:
    digest = hashlib.sha256(ticket.encode()).hexdigest()
    return f"{settings.redis_prefix}ws-ticket:{digest}"


async def issue_ws_ticket(
    redis: Redis, settings: Settings, clock: Clock, user_id: int, session_id: str
) -> Ticket:
    """A new single-use ticket for this player's session."""
    ticket = secrets.token_urlsafe(32)
    await redis.set(
        _key(settings, ticket), f"{user_id}:{session_id}", ex=settings.ws_ticket_seconds
    )
    return Ticket(ticket, clock.now() + timedelta(seconds=settings.ws_ticket_seconds))


async def redeem_ws_ticket(redis: Redis, settings: Settings, ticket: str) -> tuple[int, str] | None:
    """The (user id, session id) a ticket was issued for, once; None when unknown or used."""
    if not 20 <= len(ticket) <= 100:
        return None
    value = await redis.getdel(_key(settings, ticket))
    if not value:
        return None
    user_id, _, session_id = str(value).partition(":")
    return int(user_id), session_id
