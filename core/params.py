"""Shared parameter types: ids that fit the database, cursors and page sizes (docs/api.md)."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import Parameter, SkipValidation
from redis.asyncio import Redis

from core.paging import MAX_LIMIT

# A path id that fits a BIGINT; anything else is refused before it reaches the database.
RowId = Annotated[int, Parameter(ge=1, le=2**63 - 1)]
# The same for tables with 32-bit keys (users, and others with IntField ids).
IntId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]
Cursor = Annotated[
    str | None, Parameter(max_length=64, description="Opaque cursor from next_cursor")
]
Limit = Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description="Page size, at most 100")]

# The Redis dependency of a handler: a plain client, or a cluster client that Litestar must not
# check against `Redis` (docs/scaling.md#redis-cluster).
RedisClient = NamedDependency[SkipValidation[Redis]]
