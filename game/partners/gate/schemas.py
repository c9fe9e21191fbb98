"""Response shapes of the partner call audit log."""

from __future__ import annotations

from datetime import datetime

import msgspec

from game.partners.gate.models import PartnerCall


class CallOut(msgspec.Struct):
    """One audited partner call."""

    id: int
    key_id: str
    method: str
    path: str
    address: str
    received_at: datetime
    signed_at: datetime | None
    body_sha256: str
    body_bytes: int
    outcome: str
    items: int
    counts: dict[str, int]
    grams: int
    finished_at: datetime | None


class CallPage(msgspec.Struct):
    """A page of audited calls, newest first."""

    items: list[CallOut]
    next_cursor: str | None


def call_out(call: PartnerCall) -> CallOut:
    """Show an audited call."""
    return CallOut(
        id=call.id,
        key_id=call.key_id,
        method=call.method,
        path=call.path,
        address=call.address,
        received_at=call.received_at,
        signed_at=call.signed_at,
        body_sha256=call.body_sha256,
        body_bytes=call.body_bytes,
        outcome=call.outcome,
        items=call.items,
        counts={str(k): int(v) for k, v in call.counts.items()},
        grams=call.grams,
        finished_at=call.finished_at,
    )
