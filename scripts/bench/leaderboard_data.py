"""Synthetic players and ledgers for the leaderboard benchmark, loaded with PostgreSQL COPY."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg

TIMEZONES = ["Asia/Shanghai"] * 7 + ["Europe/Berlin", "America/New_York", "Asia/Tokyo"]
REGIONS = [f"CN-{n}" for n in range(11, 45)]
# Three gathering rows per player: one long ago, one this month, one this week (mostly).
AGES_DAYS = ((40.0, 400.0), (0.0, 30.0), (0.0, 7.0))
USER_COLUMNS = [
    "id", "username", "display_name", "password_hash", "role", "timezone", "region", "created_at",
]  # fmt: skip
LEDGER_COLUMNS = [
    "id", "user_id", "delta", "balance_after", "kind", "key", "bubble_id", "reason", "created_at",
]  # fmt: skip


def _users(count: int, now: datetime, rng: random.Random) -> Iterator[tuple[object, ...]]:
    for i in range(1, count + 1):
        name = f"p{i}"
        tz, region = rng.choice(TIMEZONES), rng.choice(REGIONS)
        yield (i, name, name, "!", "player", tz, region, now - timedelta(days=400))


def _ledger(
    count: int, now: datetime, rng: random.Random, balances: list[int]
) -> Iterator[tuple[object, ...]]:
    row = 0
    for user in range(1, count + 1):
        balance = 0
        for low, high in AGES_DAYS:
            row += 1
            delta = rng.randint(1, 500)
            balance += delta
            at = now - timedelta(days=rng.uniform(low, high))
            yield (row, user, delta, balance, "collect", f"collect:{row}", None, "", at)
        balances[user] = balance


async def load_players(dsn: str, count: int, seed: int = 7) -> int:
    """COPY `count` players with their accounts and ledgers; returns ledger rows written."""
    rng, now = random.Random(seed), datetime.now(UTC)
    balances = [0] * (count + 1)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "users", records=_users(count, now, rng), columns=USER_COLUMNS
        )
        await conn.copy_records_to_table(
            "energy_ledger", records=_ledger(count, now, rng, balances), columns=LEDGER_COLUMNS
        )
        accounts = ((u, balances[u], balances[u]) for u in range(1, count + 1))
        await conn.copy_records_to_table(
            "energy_accounts",
            records=accounts,
            columns=["user_id", "balance", "lifetime_collected"],
        )
        rows = count * len(AGES_DAYS)
        await conn.execute(f"SELECT setval('users_id_seq', {count})")
        await conn.execute(f"SELECT setval('energy_ledger_id_seq', {rows})")
        await conn.execute("ANALYZE users; ANALYZE energy_ledger")
    finally:
        await conn.close()
    return rows


async def befriend(dsn: str, user_id: int, friends: list[int]) -> None:
    """Make `user_id` friends with each of `friends` (both directions)."""
    now = datetime.now(UTC)
    pairs = [(user_id, f, now) for f in friends] + [(f, user_id, now) for f in friends]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "friendships", records=pairs, columns=["user_id", "friend_id", "created_at"]
        )
    finally:
        await conn.close()


async def set_password_hash(dsn: str, user_id: int, password_hash: str) -> None:
    """Give one synthetic player a real password so the benchmark can log in as them."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "UPDATE users SET password_hash = $1 WHERE id = $2", password_hash, user_id
        )
    finally:
        await conn.close()
