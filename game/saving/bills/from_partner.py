"""Monthly bills sent by the power partner through the signed partner API
(docs/partners.md#sending-bills).

The same rule judges them as the staff upload (`judging.receive_bill`): once per household and
month, against the same month last year. What the signed flow adds: the partner needs the scope
`bills`, and each bill needs the household's player to hold a current consent at this partner
covering power data (meter readings), locked in the bill's transaction so that a revocation
stops it at once, as it stops readings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import msgspec
from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.errors import DomainError
from core.events import EventSink
from game.partners import metrics
from game.partners.consents.lookup import hold_power_data_consent
from game.partners.gate.gate import PartnerCaller, require_scope
from game.partners.ingest.items import MalformedItem, batch_items
from game.saving.bills.judging import BillInput, Judged, receive_bill
from game.saving.bills.models import BillHousehold, BillProgramme
from game.saving.bills.schemas import PartnerBillIn, month_of

SCOPE = "bills"


@dataclass(frozen=True)
class BillBatchOutcome:
    """Every bill's outcome in the order sent, with the items as they arrived."""

    call_id: int
    sent: list[PartnerBillIn | DomainError]
    judged: list[Judged]

    @property
    def items(self) -> int:
        """How many bills the batch carried."""
        return len(self.judged)

    @property
    def counts(self) -> Mapping[str, int]:
        """Bills by status."""
        return dict(Counter(j.status for j in self.judged))

    @property
    def grams(self) -> int:
        """Bills credit no energy."""
        return 0


def _decoded(raw: msgspec.Raw) -> PartnerBillIn | DomainError:
    try:
        return msgspec.json.decode(raw, type=PartnerBillIn)
    except msgspec.DecodeError as exc:
        return MalformedItem(str(exc))


async def ingest_bills(
    clock: Clock, events: EventSink, max_items: int, caller: PartnerCaller, body: bytes
) -> BillBatchOutcome:
    """Judge a batch of bills, each once per household and month; each gets its outcome."""
    require_scope(caller, SCOPE)
    sent = [_decoded(raw) for raw in batch_items(body, max_items)]
    platform_id = caller.platform.id

    async def consented(conn: BaseDBAsyncClient, household: BillHousehold) -> None:
        await hold_power_data_consent(conn, platform_id, household.user_id)

    programmes = {
        p.id: p
        for p in await BillProgramme.filter(
            id__in={i.programme_id for i in sent if isinstance(i, PartnerBillIn)}
        )
    }
    judged: list[Judged] = []
    for item in sent:
        if isinstance(item, DomainError):
            judged.append(Judged(status="refused", outcome=item.code, detail=item.detail))
            continue
        programme = programmes.get(item.programme_id)
        if programme is None:
            judged.append(Judged("refused", "bill-programme-not-found", detail="no such programme"))
            continue
        given = BillInput(
            item.account_ref, month_of(item.month), item.amount_fen, Decimal(item.kwh)
        )
        judged.append(await receive_bill(clock, events, programme, given, consented))
    for j in judged:
        reason = j.outcome if j.status == "refused" else ""
        metrics.ITEMS.labels(str(platform_id), "bill", j.status, reason or "").inc()
    return BillBatchOutcome(call_id=caller.call_id, sent=sent, judged=judged)
