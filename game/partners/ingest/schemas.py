"""Response shapes of the signed partner endpoints, and the documented shape of their bodies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from core.errors import DomainError
from game.partners.ingest.actions import BatchOutcome
from game.partners.ingest.items import ActionItem, ReadingItem
from game.partners.ingest.readings import ReadingBatchOutcome
from game.power.schemas import kwh

MAX_DOCUMENTED_ITEMS = 500


class ActionBatchIn(msgspec.Struct):
    """A batch of actions (documentation of the body; the server reads the signed bytes)."""

    items: Annotated[list[ActionItem], msgspec.Meta(max_length=MAX_DOCUMENTED_ITEMS)]


class ReadingBatchIn(msgspec.Struct):
    """A batch of meter readings (documentation of the body; the server reads the signed bytes)."""

    items: Annotated[list[ReadingItem], msgspec.Meta(max_length=MAX_DOCUMENTED_ITEMS)]


class ActionItemOut(msgspec.Struct, omit_defaults=True):
    """One item's outcome: credited (grams, bubble), capped, duplicate, or refused (reason)."""

    index: int
    status: str
    external_id: str | None = None
    grams: int = 0
    bubble_id: int | None = None
    action_id: int | None = None
    reason: str | None = None
    detail: str | None = None


class ActionBatchOut(msgspec.Struct):
    """Every item's outcome in the order sent, counts by status and the grams credited."""

    call_id: int
    items: list[ActionItemOut]
    counts: dict[str, int]
    grams: int


class ReadingItemOut(msgspec.Struct, omit_defaults=True):
    """One reading's outcome: stored, corrected (with the previous kWh), duplicate, refused."""

    index: int
    status: str
    meter_ref: str | None = None
    interval_start: datetime | None = None
    previous_kwh: Decimal | None = None
    reason: str | None = None
    detail: str | None = None


class ReadingBatchOut(msgspec.Struct):
    """Every reading's outcome in the order sent, and counts by status."""

    call_id: int
    items: list[ReadingItemOut]
    counts: dict[str, int]


def action_batch_out(batch: BatchOutcome) -> ActionBatchOut:
    """Show a batch's outcomes."""
    return ActionBatchOut(
        call_id=batch.call_id,
        items=[
            ActionItemOut(
                index=i,
                status=o.status,
                external_id=o.external_id,
                grams=o.grams,
                bubble_id=o.bubble_id,
                action_id=o.action_id,
                reason=o.reason,
                detail=o.detail,
            )
            for i, o in enumerate(batch.outcomes)
        ],
        counts=dict(batch.counts),
        grams=batch.grams,
    )


def reading_batch_out(batch: ReadingBatchOutcome) -> ReadingBatchOut:
    """Show a reading batch's outcomes."""
    items = []
    for i, (sent, o) in enumerate(zip(batch.sent, batch.outcomes, strict=True)):
        given = None if isinstance(sent, DomainError) else sent
        items.append(
            ReadingItemOut(
                index=i,
                status=o.status,
                meter_ref=given.meter_ref if given else None,
                interval_start=given.interval_start if given else None,
                previous_kwh=kwh(o.previous_wh) if o.previous_wh is not None else None,
                reason=o.reason,
                detail=o.detail,
            )
        )
    return ReadingBatchOut(call_id=batch.call_id, items=items, counts=dict(batch.counts))
