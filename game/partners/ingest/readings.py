"""Storing a power partner's batch of 15-minute meter readings through the power rules
(docs/rules.md#meter-readings).

One transaction per batch: the consents of the players named are locked (in id order, so two
batches cannot deadlock), then the readings are written in bulk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from core.clock import Clock
from core.db import in_transaction
from core.errors import DomainError, Forbidden
from game.partners import metrics
from game.partners.consents.lookup import Link, hold_consent, links_for
from game.partners.gate.gate import PartnerCaller
from game.partners.ingest.actions import partner_source
from game.partners.ingest.items import ReadingItem, batch_items, decoded
from game.power.readings import ReadingInput, ReadingOutcome, ReadingRules, store_readings


class MeterReadingsNotAllowed(Forbidden):
    """The partner is not registered to send meter readings."""

    code = "meter-readings-not-allowed"
    title = "The partner may not send meter readings"


@dataclass(frozen=True)
class ReadingBatchOutcome:
    """Every reading's outcome, in the order sent, with the items as they arrived."""

    call_id: int
    sent: list[ReadingItem | DomainError]
    outcomes: list[ReadingOutcome]

    @property
    def items(self) -> int:
        """How many readings the batch carried."""
        return len(self.outcomes)

    @property
    def counts(self) -> Mapping[str, int]:
        """Readings by status."""
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def grams(self) -> int:
        """Readings credit no energy by themselves."""
        return 0


def _reading_input(
    item: ReadingItem | DomainError, link: Link | DomainError | None
) -> ReadingInput | DomainError:
    if isinstance(item, DomainError):
        return item
    if isinstance(link, DomainError):
        return link
    assert link is not None
    try:
        link.require_meter_readings()
    except DomainError as error:
        return error
    return ReadingInput(
        meter_ref=item.meter_ref,
        user_id=link.user_id,
        tz=link.tz,
        interval_start=item.interval_start,
        kwh=item.kwh,
    )


async def ingest_readings(
    clock: Clock, rules: ReadingRules, max_items: int, caller: PartnerCaller, body: bytes
) -> ReadingBatchOutcome:
    """Store a batch of readings: once per (meter, interval), a changed resend corrected."""
    platform = caller.platform
    if not platform.meter_readings:
        raise MeterReadingsNotAllowed(f"{platform.name} is not registered for meter readings")
    sent = [decoded(raw, ReadingItem) for raw in batch_items(body, max_items)]
    links = await links_for(platform.id, {i.user_ref for i in sent if isinstance(i, ReadingItem)})
    async with in_transaction() as conn:
        for ref, link in sorted(
            ((r, lk) for r, lk in links.items() if isinstance(lk, Link)),
            key=lambda pair: pair[1].consent_id,
        ):
            try:
                await hold_consent(conn, link)
            except DomainError as revoked:
                links[ref] = revoked
        inputs = [
            _reading_input(
                item, links.get(item.user_ref) if isinstance(item, ReadingItem) else None
            )
            for item in sent
        ]
        outcomes = await store_readings(conn, clock, rules, partner_source(platform), inputs)
    for outcome in outcomes:
        metrics.ITEMS.labels(
            str(platform.id), "reading", outcome.status, outcome.reason or ""
        ).inc()
    return ReadingBatchOutcome(call_id=caller.call_id, sent=sent, outcomes=outcomes)
