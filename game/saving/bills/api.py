"""HTTP endpoints of bill-drop vouchers: programmes (campaign managers), signing up, bills from
the power partner (its file sent by staff, or its signed calls), and my bills."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.params import IntId
from core.users import Role, User
from game.partners.gate.gate import PartnerCaller
from game.partners.ingest.api import SIGNED, SignedCall, documented_body
from game.partners.platforms.registry import PartnerRules
from game.saving.bills.from_partner import BillBatchOutcome, ingest_bills
from game.saving.bills.judging import BillInput, my_bills, receive_bills
from game.saving.bills.programmes import (
    BillRules,
    create_programme,
    list_programmes,
    sign_up,
)
from game.saving.bills.schemas import (
    BillBatchIn,
    HouseholdOut,
    JudgedOut,
    PartnerBillBatchIn,
    PartnerBillBatchOut,
    ProgrammeIn,
    ProgrammeOut,
    SignUpIn,
    household_out,
    judged_out,
    month_of,
    partner_bill_batch_out,
    programme_out,
)

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]


class BillsController(Controller):
    """Household bills compared with last year: a drop earns a voucher."""

    tags = ["power saving: bill-drop vouchers"]

    @post(
        "/api/v1/bill-programmes", guards=MANAGERS, status_code=HTTP_201_CREATED,
        summary="Open a bill-drop programme",
    )  # fmt: skip
    async def open_programme(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[ProgrammeIn],
        clock: NamedDependency[Clock],
        bill_rules: NamedDependency[BillRules],
    ) -> ProgrammeOut:
        """A programme paying vouchers equal to the drop from a capped pool in fen."""
        percent = None if data.min_drop_percent is None else Decimal(data.min_drop_percent)
        made = await create_programme(
            clock, bill_rules, request.user.id, data.name, data.pool_id, percent,
            data.voucher_valid_days,
        )  # fmt: skip
        return programme_out(made)

    @get("/api/v1/bill-programmes", summary="Bill-drop programmes")
    async def programmes(self) -> list[ProgrammeOut]:
        """Every programme a household may sign up to."""
        return [programme_out(p) for p in await list_programmes()]

    @post(
        "/api/v1/bill-programmes/{programme_id:int}/households", status_code=HTTP_201_CREATED,
        summary="Sign my household up",
    )  # fmt: skip
    async def sign_up(
        self,
        request: Request[User, Any, Any],
        programme_id: IntId,
        data: JSONBody[SignUpIn],
        clock: NamedDependency[Clock],
    ) -> HouseholdOut:
        """Sign up under the account number of my power bill."""
        household = await sign_up(clock, request.user.id, programme_id, data.account_ref)
        return household_out(household, [])

    @post(
        "/api/v1/bill-programmes/{programme_id:int}/bills", guards=MANAGERS,
        status_code=HTTP_200_OK, summary="Receive monthly bills", opt={"idempotent": True},
    )  # fmt: skip
    async def bills(
        self,
        programme_id: IntId,
        data: JSONBody[BillBatchIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> list[JudgedOut]:
        """Each bill is judged once against the same month last year; each gets its outcome."""
        given = [
            BillInput(b.account_ref, month_of(b.month), b.amount_fen, Decimal(b.kwh))
            for b in data.items
        ]
        return [judged_out(j) for j in await receive_bills(clock, events, programme_id, given)]

    @post(
        "/api/v1/partner/bills", status_code=HTTP_200_OK, security=SIGNED,
        operation_class=documented_body(PartnerBillBatchIn),
        summary="Send monthly bills (power partner, signed)",
    )  # fmt: skip
    async def partner_bills(
        self,
        signed_call: NamedDependency[SignedCall],
        events: NamedDependency[EventSink],
        partner_rules: NamedDependency[PartnerRules],
    ) -> PartnerBillBatchOut:
        """The power partner (scope `bills`) sends bills; each is judged once, as staff's are."""
        body, clock = signed_call.request.body, signed_call.gate.clock

        async def work(caller: PartnerCaller) -> BillBatchOutcome:
            return await ingest_bills(clock, events, partner_rules.batch_max_items, caller, body)

        return partner_bill_batch_out(await signed_call.run(work))

    @get("/api/v1/me/bills", summary="My bills and vouchers")
    async def my_bills(self, request: Request[User, Any, Any]) -> list[HouseholdOut]:
        """My households, their bills and what each earned."""
        return [household_out(h, bills) for h, bills in await my_bills(request.user.id)]
