"""What a domain gets and gives when a player exports their data or has their account erased.

The privacy domain (app/privacy) asks; every domain that holds something about a player answers
with its own part and erases its own rows, connected in app/domains.py, so no domain reaches into
another's tables. What is kept and why: docs/reliability.md#privacy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from core.media import MediaStore

# The name every erased account gets, with its id: other players' timelines, certificates and
# leaderboards keep their rows and show this instead of a person.
ERASED_DISPLAY_NAME = "Deleted player"


@dataclass(frozen=True)
class ExportRequest:
    """A player asks for everything held about them."""

    user_id: int
    media: MediaStore


@dataclass(frozen=True)
class ExportPart:
    """One domain's part of an export: a named JSON section and files to put beside it."""

    section: str
    data: Any
    files: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Erasure:
    """An account whose grace period is over is being erased, inside one transaction."""

    user_id: int
    at: datetime
    # Where the player's files are: uploaded media, and cached renders under `cache_dir`.
    media: MediaStore
    cache_dir: Path


@dataclass(frozen=True)
class DeletionRequest:
    """A player asked to delete their account; it is erased after `erase_after`."""

    user_id: int
    at: datetime
    erase_after: datetime


# Events name the other player beside their id (`by_user_id` with `by_name`, `from_user_id` with
# `from_name`) so that a client can name a stranger; docs/realtime.md#event-types.
_NAMED_ACTORS = (("by_user_id", "by_name"), ("from_user_id", "from_name"))
# Table and keys are constants of the code; the name and the id are bound parameters.
_RENAME_SQL = {
    "postgres": "UPDATE {table} SET data = jsonb_set(data, '{{{name}}}', to_jsonb($1::text)) "
    "WHERE data->>'{id}' = $2 AND data ? '{name}'",
    "sqlite": "UPDATE {table} SET data = json_set(data, '$.{name}', ?) "
    "WHERE json_extract(data, '$.{id}') = ? AND json_type(data, '$.{name}') IS NOT NULL",
}


async def forget_name_in_events(conn: BaseDBAsyncClient, table: str, user_id: int) -> None:
    """Replace an erased player's name in the `data` of other players' events kept in `table`."""
    dialect = conn.capabilities.dialect
    for id_key, name_key in _NAMED_ACTORS:
        sql = _RENAME_SQL[dialect].format(table=table, id=id_key, name=name_key)
        # PostgreSQL's ->> gives text; SQLite's json_extract gives the number.
        user: str | int = str(user_id) if dialect == "postgres" else user_id
        await conn.execute_query(sql, [ERASED_DISPLAY_NAME, user])
