"""Opaque cursors for keyset pagination (`?cursor=&limit=`, docs/api.md)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.errors import Invalid

MAX_LIMIT = 100
Row = TypeVar("Row", bound=Model)


class InvalidCursor(Invalid):
    """The cursor was not issued by this API."""

    code = "invalid-cursor"
    title = "Invalid cursor"


def encode_cursor(last_id: int | None) -> str | None:
    """Wrap the last id of a page so clients treat it as opaque."""
    if last_id is None:
        return None
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor stands for, or InvalidCursor."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = text.partition(":")
        if prefix != "id" or not value.isdigit():
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor("the cursor is not one this API issued") from None


async def keyset_page(
    query: QuerySet[Row],
    cursor_id: int | None,
    limit: int,
    *,
    newest_first: bool,
    related: Sequence[str] = (),
    prefetch: Sequence[str] = (),
) -> tuple[list[Row], int | None]:
    """One page of `query` ordered by id, from just past the cursor, and the next page's cursor."""
    if cursor_id is not None:
        query = query.filter(id__lt=cursor_id) if newest_first else query.filter(id__gt=cursor_id)
    query = query.order_by("-id" if newest_first else "id").limit(limit + 1)
    if related:
        query = query.select_related(*related)
    if prefetch:
        query = query.prefetch_related(*prefetch)
    rows = list(await query)
    next_id = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_id
