"""The SQLite engine of the embedded default: writers wait their turn instead of failing.

Tortoise's SQLite client starts transactions with a plain (deferred) `BEGIN`: a transaction that
reads first and writes later must upgrade its lock, and SQLite refuses that upgrade at once with
"database is locked" when another process (the worker, a `greenspark` command) wrote in between,
whatever the busy timeout. `BEGIN IMMEDIATE` takes the write lock at the start, where the busy
timeout applies, so concurrent writers queue. Within one process Tortoise already serialises
transactions on its single connection. See docs/reliability.md.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

# How long a writer waits for another process's write transaction before giving up.
BUSY_TIMEOUT_MS = 30_000


class _ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    """Tortoise's SQLite client whose transactions take the write lock when they begin."""

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(_ImmediateTransaction(self), self._lock)


client_class = ImmediateSqliteClient


def sqlite_connection(url: str) -> dict[str, object]:
    """The Tortoise connection settings for a `sqlite://` URL: WAL, busy timeout, this engine."""
    path = url.removeprefix("sqlite://").split("?", 1)[0]
    return {
        "engine": __name__,
        "credentials": {
            "file_path": path,
            "journal_mode": "WAL",
            "busy_timeout": BUSY_TIMEOUT_MS,
            "foreign_keys": "ON",
        },
    }
