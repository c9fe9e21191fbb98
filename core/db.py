"""Transactions with work that must wait for the commit (waking the event relay, say).

Tortoise's `in_transaction` has no after-commit hook. Rules open their transactions through
`in_transaction()` here instead; anything registered with `after_commit()` inside it runs once
the outermost transaction has committed, and never when it rolls back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction as tortoise_transaction

_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "greenspark_after_commit", default=None
)


@asynccontextmanager
async def in_transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """A database transaction; nested ones join the outermost's after-commit work."""
    outer = _after_commit.get()
    if outer is not None:
        async with tortoise_transaction() as conn:
            yield conn
        return
    callbacks: list[Callable[[], None]] = []
    token = _after_commit.set(callbacks)
    try:
        async with tortoise_transaction() as conn:
            yield conn
    finally:
        _after_commit.reset(token)
    for callback in callbacks:
        callback()


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` when the current transaction commits (at once when there is none)."""
    pending = _after_commit.get()
    if pending is None:
        callback()
    else:
        pending.append(callback)
