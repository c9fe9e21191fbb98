"""A synthetic game world for the hot-path and peak benchmarks, loaded with PostgreSQL COPY.

Players on a ring of friendships (each befriends the `friends` nearest ids, both ways), an open
session and a signed access token each, and ripe bubbles: some for their owners to collect and
some for friends to steal from, every request of a run on a bubble of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

from app.auth.tokens import issue_access_token
from core.clock import SystemClock

TIMEZONE = "Asia/Shanghai"
BUBBLE_GRAMS = 100


@dataclass
class World:
    """What a benchmark needs to drive the world: tokens, friends and bubbles by player."""

    players: int
    tokens: list[str] = field(default_factory=list)
    session_ids: list[str] = field(default_factory=list)
    # (owner index, bubble id) for owners to collect, and (thief index, bubble id) to steal.
    collects: list[tuple[int, int]] = field(default_factory=list)
    steals: list[tuple[int, int]] = field(default_factory=list)
    friends: int = 0

    def user_id(self, index: int) -> int:
        """Players are users 1..N."""
        return index + 1


def ring_friends(index: int, players: int, friends: int) -> list[int]:
    """The indexes of a player's friends on the ring."""
    half = max(1, friends // 2)
    return [(index + d) % players for d in range(-half, half + 1) if d and players > 1]


async def load_world(
    dsn: str,
    secret_key: str,
    *,
    players: int,
    friends: int = 20,
    collects_per_player: int = 4,
    steals_per_player: int = 4,
    ripens_at: datetime | None = None,
    token_seconds: int = 3600,
) -> World:
    """COPY players, accounts, friendships, sessions and ripe bubbles; sign their tokens."""
    now = datetime.now(UTC)
    ripe = ripens_at or now - timedelta(minutes=1)
    world = World(players=players, friends=friends)
    clock = SystemClock()
    users, accounts, sessions = [], [], []
    for i in range(players):
        uid = world.user_id(i)
        users.append((uid, f"p{uid}", f"Player {uid}", "!", "player", TIMEZONE, "CN-31", now))
        accounts.append((uid, 0, 0))
        sid = uuid.uuid4()
        sessions.append((sid, uid, now, now + timedelta(days=30), "", None))
        token, _ = issue_access_token(
            secret_key, clock, timedelta(seconds=token_seconds), uid, str(sid)
        )
        world.tokens.append(token)
        world.session_ids.append(str(sid))
    pairs = [
        (world.user_id(i), world.user_id(f), now)
        for i in range(players)
        for f in ring_friends(i, players, friends)
    ]
    bubbles, actions = [], []
    next_id = 1
    day = (now + timedelta(hours=8)).date()
    for i in range(players):
        for kind, count in (("collect", collects_per_player), ("steal", steals_per_player)):
            for _ in range(count):
                bubbles.append(
                    (next_id, world.user_id(i), "walking", "daily", BUBBLE_GRAMS, BUBBLE_GRAMS,
                     0, 0, 0, 0, day, ripe - timedelta(hours=20), ripe, ripe + timedelta(days=3))
                )  # fmt: skip
                # Every bubble's energy was credited by an action (reconcile checks it).
                actions.append(
                    (next_id, world.user_id(i), "walking", "bench", f"bench-{next_id}",
                     Decimal(1000), Decimal(1000), BUBBLE_GRAMS, ripe - timedelta(hours=20), day,
                     next_id, ripe - timedelta(hours=20))
                )  # fmt: skip
                if kind == "collect":
                    world.collects.append((i, next_id))
                else:
                    thief = ring_friends(i, players, friends)[0] if players > 1 else i
                    world.steals.append((thief, next_id))
                next_id += 1
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "users", records=users,
            columns=["id", "username", "display_name", "password_hash", "role", "timezone",
                     "region", "created_at"],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "energy_accounts", records=accounts,
            columns=["user_id", "balance", "lifetime_collected"],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "auth_sessions", records=sessions,
            columns=["id", "user_id", "created_at", "expires_at", "revoked_reason", "revoked_at"],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "friendships", records=pairs, columns=["user_id", "friend_id", "created_at"]
        )
        await conn.copy_records_to_table(
            "bubbles", records=bubbles,
            columns=["id", "owner_id", "scenario", "rule", "amount", "remaining", "collected",
                     "stolen", "expired", "revived", "local_date", "created_at", "ripens_at",
                     "expires_at"],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "carbon_actions", records=actions,
            columns=["id", "user_id", "scenario", "source", "external_id", "quantity",
                     "credited_quantity", "grams", "occurred_at", "local_date", "bubble_id",
                     "created_at"],
        )  # fmt: skip
        await conn.execute(f"SELECT setval('carbon_actions_id_seq', {next_id})")
        await conn.execute(f"SELECT setval('users_id_seq', {players + 1})")
        await conn.execute(f"SELECT setval('bubbles_id_seq', {next_id})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return world
