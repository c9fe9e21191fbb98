"""Response shapes of the forest and ledger endpoints."""

from __future__ import annotations

from datetime import datetime

import msgspec

from game.energy.bubbles import bubble_state
from game.energy.models import Bubble, LedgerEntry


class BubbleOut(msgspec.Struct):
    """A bubble as its owner sees it at a moment."""

    id: int
    scenario: str
    state: str
    amount: int
    remaining: int
    collected: int
    stolen: int
    expired: int
    revived: int
    created_at: datetime
    ripens_at: datetime
    expires_at: datetime


def bubble_out(bubble: Bubble, now: datetime) -> BubbleOut:
    """Show a bubble; energy left past its expiry is shown as expired even before the sweep."""
    state = bubble_state(bubble, now)
    lapsed = bubble.remaining if state == "expired" else 0
    return BubbleOut(
        id=bubble.id,
        scenario=bubble.scenario,
        state=state,
        amount=bubble.amount,
        remaining=bubble.remaining - lapsed,
        collected=bubble.collected,
        stolen=bubble.stolen,
        expired=bubble.expired + lapsed,
        revived=bubble.revived,
        created_at=bubble.created_at,
        ripens_at=bubble.ripens_at,
        expires_at=bubble.expires_at,
    )


class CollectOut(msgspec.Struct):
    """What a collect moved."""

    bubble: BubbleOut
    collected: int
    balance: int
    ledger_entry_id: int


class LedgerEntryOut(msgspec.Struct):
    """One change of the balance."""

    id: int
    delta: int
    balance_after: int
    kind: str
    bubble_id: int | None
    reason: str
    created_at: datetime


def ledger_entry_out(entry: LedgerEntry) -> LedgerEntryOut:
    """Show a ledger row."""
    return msgspec.convert(entry, LedgerEntryOut, from_attributes=True)


class LedgerPageOut(msgspec.Struct):
    """A page of the ledger, newest first; pass `next_cursor` as `cursor` for the next."""

    items: list[LedgerEntryOut]
    next_cursor: str | None
