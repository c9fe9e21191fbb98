"""Password hashing with argon2id, off the event loop."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=4)
def _hasher(memory_kib: int, time_cost: int) -> PasswordHasher:
    return PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, type=Type.ID)


async def hash_password(password: str, memory_kib: int, time_cost: int) -> str:
    """Hash a password with argon2id in a worker thread (it is deliberately slow)."""
    return await asyncio.to_thread(_hasher(memory_kib, time_cost).hash, password)


async def verify_password(stored_hash: str, password: str, memory_kib: int, time_cost: int) -> bool:
    """Check a password against its stored hash without blocking the event loop."""
    hasher = _hasher(memory_kib, time_cost)
    try:
        return await asyncio.to_thread(hasher.verify, stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the username is unknown, so that timing does not tell.
_DUMMY_HASHES: dict[tuple[int, int], str] = {}


async def verify_against_nothing(password: str, memory_kib: int, time_cost: int) -> None:
    """Spend the same time as a real verification for an unknown user."""
    key = (memory_kib, time_cost)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = await hash_password("not-a-real-password", memory_kib, time_cost)
    await verify_password(_DUMMY_HASHES[key], password, memory_kib, time_cost)
