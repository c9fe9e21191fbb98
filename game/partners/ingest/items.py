"""The wire shapes of partner batches and their decoding: the envelope must be sound, each
item is judged on its own (docs/partners.md#reporting-actions)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, TypeVar

import msgspec

from core.errors import DomainError, Invalid, Malformed

Printable = r"^[\x21-\x7e]+$"
ExternalId = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=Printable)]
UserRef = Annotated[str, msgspec.Meta(min_length=1, max_length=128, pattern=Printable)]
MeterRef = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=Printable)]
ScenarioCode = Annotated[str, msgspec.Meta(min_length=1, max_length=48)]
Moment = Annotated[
    datetime,
    msgspec.Meta(
        tz=True, description="RFC 3339 with an offset", examples=["2026-06-10T08:30:00+08:00"]
    ),
]
Amount = Annotated[Decimal, msgspec.Meta(description="A decimal, as a string or a number")]


class ActionItem(msgspec.Struct, forbid_unknown_fields=True):
    """One action a partner reports for a player it knows by `user_ref`."""

    external_id: ExternalId
    user_ref: UserRef
    scenario: ScenarioCode
    quantity: Amount
    occurred_at: Moment


class ReadingItem(msgspec.Struct, forbid_unknown_fields=True):
    """Energy a meter used in the 15 minutes from `interval_start`."""

    meter_ref: MeterRef
    user_ref: UserRef
    interval_start: Moment
    kwh: Amount


class _Envelope(msgspec.Struct, forbid_unknown_fields=True):
    items: list[msgspec.Raw]


class MalformedBatch(Malformed):
    """The body is not a JSON object with an `items` array."""

    code = "malformed-batch"
    title = "The batch is not a JSON object with an items array"


class BatchTooLarge(Invalid):
    """More items than a batch may carry."""

    code = "batch-too-large"
    title = "Too many items in one batch"


class MalformedItem(Invalid):
    """An item lacks a field, has an unknown one, or a value of the wrong type or form."""

    code = "malformed-item"
    title = "The item is malformed"


def batch_items(body: bytes, max_items: int) -> list[msgspec.Raw]:
    """The raw items of a batch, or MalformedBatch / BatchTooLarge for the whole batch."""
    try:
        envelope = msgspec.json.decode(body, type=_Envelope)
    except msgspec.DecodeError as exc:
        raise MalformedBatch(str(exc)) from None
    if len(envelope.items) > max_items:
        raise BatchTooLarge(
            f"{len(envelope.items)} items; at most {max_items} in one batch", max_items=max_items
        )
    return envelope.items


Item = TypeVar("Item", ActionItem, ReadingItem)


def decoded(raw: msgspec.Raw, shape: type[Item]) -> Item | DomainError:
    """An item in its shape, or the MalformedItem that says what is wrong with it."""
    try:
        return msgspec.json.decode(raw, type=shape)
    except msgspec.DecodeError as exc:
        return MalformedItem(str(exc))
