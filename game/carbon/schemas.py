"""Request and response shapes of the carbon endpoints."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from game.energy.schemas import BubbleOut

# ASCII decimal notation only: Python's Decimal would also take full-width digits, "1_000" and
# " 1 ", which the documented format does not allow (docs/api.md). Signs, exponents, NaN and
# Infinity pass the shape and are refused by the rule (invalid-quantity); a JSON number is
# taken as written.
QuantityText = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:NaN|Infinity))$",
        max_length=40,
        description="A decimal > 0 and <= 1,000,000, at most 3 places",
        examples=["2"],
    ),
]
Quantity = QuantityText | int | float


ExternalId = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")]


class ScenarioOut(msgspec.Struct):
    """One scenario of the methodology catalog."""

    code: str
    name: str
    programme: str
    category: str
    unit: str
    grams_per_unit: Decimal
    daily_cap: Decimal
    self_reportable: bool
    bubble: str
    description: str
    source: str


class SelfReportIn(msgspec.Struct, forbid_unknown_fields=True):
    """A player's own report of a self-reportable action."""

    scenario: Annotated[str, msgspec.Meta(min_length=1, max_length=48)]
    quantity: Quantity
    external_id: ExternalId | None = None


class ActionOut(msgspec.Struct):
    """An action as credited to the carbon account."""

    id: int
    scenario: str
    source: str
    external_id: str
    quantity: Decimal
    credited_quantity: Decimal
    grams: int
    occurred_at: datetime
    local_date: date


class RecordedOut(msgspec.Struct):
    """The outcome of reporting an action."""

    action: ActionOut
    duplicate: bool
    capped: bool
    bubble: BubbleOut | None


class ScenarioTotalsOut(msgspec.Struct):
    """Grams avoided by one scenario over the standard periods."""

    scenario: str
    today_grams: int
    week_grams: int
    month_grams: int
    all_grams: int
    all_quantity: Decimal
    all_actions: int


class CarbonOut(msgspec.Struct):
    """The carbon account at a glance; periods follow the player's calendar."""

    today: date
    week_start: date
    month_start: date
    totals: dict[str, int]
    scenarios: list[ScenarioTotalsOut]
