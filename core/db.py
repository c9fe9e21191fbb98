"""Transactions with work that must wait for the commit (waking the event relay, say).

Tortoise's `in_transaction` has no after-commit hook. Rules open their transactions through
`in_transaction()` here instead; anything registered with `after_commit()` (or, for a
coroutine, `after_commit_await()`) inside it runs once the outermost transaction has committed,
and never when it rolls back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import structlog
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction as tortoise_transaction

log = structlog.get_logger("greenspark.db")


@dataclass
class _Pending:
    """What the outermost transaction runs once it has committed."""

    calls: list[Callable[[], None]] = field(default_factory=list)
    awaits: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


_after_commit: ContextVar[_Pending | None] = ContextVar("greenspark_after_commit", default=None)


@asynccontextmanager
async def in_transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """A database transaction; nested ones join the outermost's after-commit work."""
    outer = _after_commit.get()
    if outer is not None:
        async with tortoise_transaction() as conn:
            yield conn
        return
    pending = _Pending()
    token = _after_commit.set(pending)
    try:
        async with tortoise_transaction() as conn:
            yield conn
    finally:
        _after_commit.reset(token)
    for callback in pending.calls:
        callback()
    for work in pending.awaits:
        try:
            await work()
        except Exception as exc:
            # The change has committed: what follows it may fail, the request must not.
            log.error("after-commit work failed", exc_info=exc)


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` when the current transaction commits (at once when there is none)."""
    pending = _after_commit.get()
    if pending is None:
        callback()
    else:
        pending.calls.append(callback)


def after_commit_await(work: Callable[[], Awaitable[None]]) -> bool:
    """Await `work()` once the current transaction commits, before `in_transaction` returns.

    Returns False, doing nothing, outside a transaction opened by `in_transaction()`: the
    caller then has no commit to wait for and decides itself.
    """
    pending = _after_commit.get()
    if pending is None:
        return False
    pending.awaits.append(work)
    return True
