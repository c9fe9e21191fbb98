"""Transactions with work that must wait for the commit (waking the event relay, say).

Tortoise's `in_transaction` has no after-commit hook. Rules open their transactions through
`in_transaction()` here instead; anything registered with `after_commit()` (a quick call) or
`run_after_commit()` (async work, such as putting gains on the Redis leaderboards) inside it runs
once the outermost transaction has committed, and never when it rolls back. A transaction opened
inside another (a rule run inside an idempotent request's transaction, app/idempotency.py)
becomes a savepoint, and its after-commit work waits for the outermost commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import structlog
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction as tortoise_transaction

log = structlog.get_logger("greenspark.db")

AfterCommitWork = Callable[[], Awaitable[None]]


@dataclass
class _Pending:
    callbacks: list[Callable[[], None]] = field(default_factory=list)
    work: list[AfterCommitWork] = field(default_factory=list)
    batches: dict[str, list[Any]] = field(default_factory=dict)


_pending: ContextVar[_Pending | None] = ContextVar("greenspark_after_commit", default=None)


@asynccontextmanager
async def in_transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """A database transaction; nested ones join the outermost's after-commit work."""
    outer = _pending.get()
    if outer is not None:
        # A savepoint: what it added to the outer batches goes if it rolls back.
        marks = {name: len(items) for name, items in outer.batches.items()}
        try:
            async with tortoise_transaction() as conn:
                yield conn
        except BaseException:
            for name, items in outer.batches.items():
                del items[marks.get(name, 0) :]
            raise
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        async with tortoise_transaction() as conn:
            yield conn
    finally:
        _pending.reset(token)
    for callback in pending.callbacks:
        callback()
    for work in pending.work:
        await _run_quietly(work)


def in_outer_transaction() -> bool:
    """True inside a transaction opened through `in_transaction()`."""
    return _pending.get() is not None


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` when the current transaction commits (at once when there is none)."""
    pending = _pending.get()
    if pending is None:
        callback()
    else:
        pending.callbacks.append(callback)


async def run_after_commit(work: AfterCommitWork) -> None:
    """Await `work` once the current transaction commits (now when there is none).

    The change has committed by then, so a failure here is logged, never raised: it must not
    turn a committed request into an error (docs/reliability.md).
    """
    pending = _pending.get()
    if pending is None:
        await _run_quietly(work)
    else:
        pending.work.append(work)


async def run_after_commit_together(
    name: str, item: Any, work: Callable[[list[Any]], Awaitable[None]]
) -> None:
    """Add `item` to the transaction's batch called `name`; `work` gets the whole batch once,
    after the commit (at once, alone, when there is no transaction). Failures are logged."""
    pending = _pending.get()
    if pending is None:
        await _run_quietly(lambda: work([item]))
        return
    items = pending.batches.get(name)
    if items is None:
        items = pending.batches[name] = []
        batch = items
        pending.work.append(lambda: work(batch))
    items.append(item)


async def _run_quietly(work: AfterCommitWork) -> None:
    try:
        await work()
    except Exception as exc:  # anything after a commit is best effort by design
        log.warning("after-commit work failed; the change stands", error=repr(exc))
