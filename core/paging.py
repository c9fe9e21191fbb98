"""Opaque cursors for keyset pagination (`?cursor=&limit=`, docs/api.md)."""

from __future__ import annotations

import base64
import binascii

from core.errors import Invalid

MAX_LIMIT = 100


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
