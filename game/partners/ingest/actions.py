"""Crediting a partner's batch of actions through the carbon rules, item by item
(docs/rules.md#partner-platforms).

Each item is its own transaction: the consent is locked (a revocation waits for it), the action
goes through `record_action` (once per (partner, external_id), the daily cap in the player's
calendar, bubbles), the partner's daily budget is spent in a guarded UPDATE, and a partner credit
row names the consent and budget day it used. A refusal rolls the item back and nothing else.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

import structlog
from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.db import in_transaction
from core.errors import DomainError, Forbidden
from game.carbon.actions import (
    ActionInput,
    ActionWindow,
    DailyCapReached,
    checked_quantity,
    record_action,
)
from game.carbon.catalog import Catalog
from game.carbon.models import Action
from game.energy.bubbles import BubbleTiming
from game.partners import metrics
from game.partners.consents.lookup import Link, hold_consent, links_for
from game.partners.gate.gate import PartnerCaller
from game.partners.ingest.budget import (
    budget_day,
    open_budget_day,
    show_budget_use,
    spend_budget,
)
from game.partners.ingest.items import ActionItem, batch_items, decoded
from game.partners.ingest.models import PartnerCredit
from game.partners.platforms.models import PartnerPlatform

ItemStatus = Literal["credited", "capped", "duplicate", "refused"]


log = structlog.get_logger("greenspark.partners")


class TemporarilyUnavailable(DomainError):
    """An item could not be recorded because of a fault on our side; it may be sent again."""

    code = "temporarily-unavailable"
    title = "The item could not be recorded now"


class ScenarioNotAllowed(Forbidden):
    """The batch names a scenario this partner is not registered to report."""

    code = "scenario-not-allowed"
    title = "The partner may not report this scenario"


@dataclass(frozen=True)
class Crediting:
    """What crediting actions needs: the clock, the catalog, bubble timing, the dating window,
    and how many players' items of one batch are credited side by side."""

    clock: Clock
    catalog: Catalog
    timing: BubbleTiming
    window: ActionWindow
    parallel_players: int = 1


@dataclass(frozen=True)
class ItemOutcome:
    """What became of one item."""

    status: ItemStatus
    external_id: str | None = None
    grams: int = 0
    bubble_id: int | None = None
    action_id: int | None = None
    reason: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class BatchOutcome:
    """Every item's outcome, in the order sent."""

    call_id: int
    outcomes: list[ItemOutcome]

    @property
    def items(self) -> int:
        """How many items the batch carried."""
        return len(self.outcomes)

    @property
    def counts(self) -> Mapping[str, int]:
        """Items by status."""
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def grams(self) -> int:
        """Grams credited by the batch."""
        return sum(o.grams for o in self.outcomes)


def partner_source(platform: PartnerPlatform) -> str:
    """The carbon account's `source` of a partner's actions."""
    return f"partner:{platform.id}"


def require_allowed(platform: PartnerPlatform, scenarios: set[str]) -> None:
    """Refuse the whole batch if it names a scenario the partner may not report."""
    foreign = sorted(scenarios - set(platform.scenarios))
    if foreign:
        raise ScenarioNotAllowed(
            f"{platform.name} may not report {', '.join(foreign)}", scenarios=foreign
        )


async def ingest_actions(
    crediting: Crediting, max_items: int, caller: PartnerCaller, body: bytes
) -> BatchOutcome:
    """Credit a batch: every item gets an outcome; a retried batch credits nothing twice."""
    items = [decoded(raw, ActionItem) for raw in batch_items(body, max_items)]
    good = [i for i in items if isinstance(i, ActionItem)]
    require_allowed(caller.platform, {i.scenario for i in good})
    links = await links_for(caller.platform.id, {i.user_ref for i in good})
    # Actions are never deleted, so an id credited before is a duplicate without a transaction:
    # a retried batch costs one query. (Daily totals are keyed by their total, so they go on.)
    credited_before = dict(
        await Action.filter(
            source=partner_source(caller.platform), external_id__in=[i.external_id for i in good]
        ).values_list("external_id", "id")
    )
    day = budget_day(crediting.clock, caller.platform)
    await open_budget_day(caller.platform, day)
    outcomes: list[ItemOutcome | None] = [None] * len(items)
    # A player's items are credited in the order sent (caps and daily totals depend on it);
    # different players' items go side by side, each in its own transaction.
    queues: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if isinstance(item, DomainError):
            outcomes[index] = _refused(item)
        elif item.external_id in credited_before and isinstance(links[item.user_ref], Link):
            outcomes[index] = ItemOutcome(
                status="duplicate",
                external_id=item.external_id,
                action_id=int(credited_before[item.external_id]),
            )
        else:
            queues.setdefault(item.user_ref, []).append(index)
    lanes = asyncio.Semaphore(crediting.parallel_players)

    async def credit_player(indexes: list[int]) -> None:
        async with lanes:
            for index in indexes:
                item = items[index]
                assert isinstance(item, ActionItem)
                link = links[item.user_ref]
                outcomes[index] = await _credit_item(crediting, caller, day, item, link)

    await asyncio.gather(*(credit_player(indexes) for indexes in queues.values()))
    ordered = [o for o in outcomes if o is not None]
    assert len(ordered) == len(items)  # every item was answered above or by its player's lane
    for outcome in ordered:
        metrics.ITEMS.labels(
            str(caller.platform.id), "action", outcome.status, outcome.reason or ""
        ).inc()
    metrics.GRAMS.labels(str(caller.platform.id)).inc(sum(o.grams for o in ordered))
    await show_budget_use(caller.platform, day)
    return BatchOutcome(call_id=caller.call_id, outcomes=ordered)


def _refused(error: DomainError, external_id: str | None = None) -> ItemOutcome:
    return ItemOutcome(
        status="refused", external_id=external_id, reason=error.code, detail=error.detail
    )


async def _credit_item(
    crediting: Crediting,
    caller: PartnerCaller,
    day: date,
    item: ActionItem,
    link: Link | DomainError,
) -> ItemOutcome:
    try:
        if isinstance(link, DomainError):
            raise link
        link.require_scenario(item.scenario)
        given = ActionInput(
            user_id=link.user_id,
            tz=link.tz,
            scenario=crediting.catalog.get(item.scenario),
            quantity=checked_quantity(item.quantity),
            source=partner_source(caller.platform),
            external_id=item.external_id,
            occurred_at=item.occurred_at,
        )
        crediting.window.check(item.occurred_at, crediting.clock.now())
        return await _credit(crediting, caller, day, given, link)
    except DailyCapReached as capped:
        return ItemOutcome(
            status="capped", external_id=item.external_id, reason=capped.code, detail=capped.detail
        )
    except DomainError as error:
        return _refused(error, item.external_id)
    except Exception as exc:
        # Earlier items may have committed: the batch must not answer 5xx, so this item alone
        # is refused and the partner sends it again later (it cannot be credited twice).
        log.error("partner item failed", external_id=item.external_id, error=repr(exc))
        return _refused(TemporarilyUnavailable("send this item again later"), item.external_id)


async def _credit(
    crediting: Crediting, caller: PartnerCaller, day: date, given: ActionInput, link: Link
) -> ItemOutcome:
    """One item in one transaction; `day` is the partner's budget day of the whole batch."""
    platform = caller.platform
    async with in_transaction() as conn:
        await hold_consent(conn, link)
        if given.scenario.bubble == "daily":
            increment = await _daily_increment(conn, given)
            if increment is None:
                return ItemOutcome(status="duplicate", external_id=given.external_id)
            given = increment
        result = await record_action(crediting.clock, crediting.timing, given, crediting.window)
        action = result.action
        if result.duplicate:
            return ItemOutcome(
                status="duplicate", external_id=given.external_id, action_id=action.id
            )
        await spend_budget(conn, platform, day, action.grams)
        await PartnerCredit.create(
            using_db=conn,
            action_id=action.id,
            platform_id=platform.id,
            consent_id=link.consent_id,
            call_id=caller.call_id,
            grams=action.grams,
            budget_day=day,
            created_at=action.created_at,
        )
    return ItemOutcome(
        status="capped" if result.capped else "credited",
        external_id=given.external_id,
        grams=action.grams,
        bubble_id=result.bubble.id if result.bubble else None,
        action_id=action.id,
    )


async def _daily_increment(conn: BaseDBAsyncClient, given: ActionInput) -> ActionInput | None:
    """A daily total (steps) credits only what it adds to the partner's earlier totals of that
    local day; None when it adds nothing.

    The report is identified by its total as well (`<external_id>@<total>`), so a partner may
    send the day's growing total under one external_id, and a resent report stays a duplicate.
    """
    assert given.occurred_at is not None
    day = given.occurred_at.astimezone(given.tz).date()
    earlier = await (
        Action.filter(
            user_id=given.user_id,
            scenario=given.scenario.code,
            source=given.source,
            local_date=day,
        )
        .using_db(conn)
        .values_list("quantity", flat=True)
    )
    reported = sum((Decimal(str(q)) for q in earlier), Decimal(0))
    if given.quantity <= reported:
        return None
    total = format(given.quantity.normalize(), "f")
    return replace(
        given, quantity=given.quantity - reported, external_id=f"{given.external_id}@{total}"
    )
