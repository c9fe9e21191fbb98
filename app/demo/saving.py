"""Demo data for power saving and the store: a past peak-hour event in Jiangxi with the
readings that settle it, an event tomorrow evening in Hubei that ada and bo may opt in to, a
bill-drop programme with a voucher, a store with items, a merchant user, recycling slots in two
Wuhan areas and a booked pick-up. Every value goes through the real rules.

Called by `app/demo/seed.py` after the demo players exist (docs/power.md, docs/store.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.auth.rules import create_user
from core.clock import ManualClock
from core.db import in_transaction
from core.events import OutboxEvents
from core.settings import Settings
from core.users import Role, User
from game.power.readings import INTERVAL, ReadingInput, ReadingRules, store_readings
from game.recycling.pickups import Booking, book_pickup, open_slot
from game.rewards.models import PoolUnit
from game.rewards.pools import NewPool, create_pool
from game.saving.bills.judging import BillInput, receive_bills
from game.saving.bills.programmes import BillRules, create_programme, sign_up
from game.saving.events.announcing import EventRules, NewEvent, announce_event
from game.saving.events.joining import opt_in
from game.saving.events.settling import baseline_days
from game.store.merchants import attach_member, create_merchant
from game.store.models import Currency, ItemKind
from game.store.shelf import NewItem, add_item, redeem_item

SHANGHAI = ZoneInfo("Asia/Shanghai")
PEAK = (time(19, 0), time(21, 0))


def _last_weekday_before(day: date) -> date:
    probe = day - timedelta(days=1)
    while probe.weekday() >= 5:
        probe -= timedelta(days=1)
    return probe


def _window_readings(user_id: int, day: date, kwh: str) -> list[ReadingInput]:
    start = datetime.combine(day, PEAK[0], SHANGHAI).astimezone(UTC)
    return [
        ReadingInput("demo-meter-chen", user_id, SHANGHAI, start + n * INTERVAL, Decimal(kwh))
        for n in range(8)
    ]


async def seed_saving(
    settings: Settings, clock: ManualClock, now: datetime, password: str
) -> list[str]:
    """Seed the programmes and the store; returns what it did, line by line."""
    events = OutboxEvents(clock)
    cam = await User.get(username="cam")
    chen = await User.get(username="chen")
    bo = await User.get(username="bo")
    ada = await User.get(username="ada")
    clock.set(now - timedelta(days=10))
    grid_pool = await create_pool(
        clock, cam.id, NewPool("Jiangxi grid red packets", "State Grid", PoolUnit.FEN, 1, 100_000)
    )
    # A past event: the last weekday before today, announced the day before it.
    day = _last_weekday_before(now.astimezone(SHANGHAI).date())
    clock.set(datetime.combine(day - timedelta(days=1), time(9, 0), SHANGHAI).astimezone(UTC))
    event = await announce_event(
        clock, events, EventRules.from_settings(settings),
        NewEvent(name="Evening peak", region="CN-36", timezone="Asia/Shanghai", day=day,
                 start=PEAK[0], end=PEAK[1], pool_id=grid_pool.id, payout="credit",
                 rate_fen_per_kwh=200),
    )  # fmt: skip
    await opt_in(clock, chen, event.id)
    clock.set(now)
    readings = []
    for earlier in baseline_days(day, settings.power_event_baseline_days):
        readings += _window_readings(chen.id, earlier, "0.125")  # 1 kWh each evening
    readings += _window_readings(chen.id, day, "0.025")  # 0.2 kWh on the event's evening
    async with in_transaction() as conn:
        await store_readings(
            conn, clock, ReadingRules.from_settings(settings), "demo-grid", readings
        )

    # An event still open to opt in: tomorrow evening in ada's and bo's region.
    hubei_pool = await create_pool(
        clock, cam.id, NewPool("Hubei grid red packets", "State Grid", PoolUnit.FEN, 1, 100_000)
    )
    tomorrow = now.astimezone(SHANGHAI).date() + timedelta(days=1)
    upcoming = await announce_event(
        clock, events, EventRules.from_settings(settings),
        NewEvent(name="Hot evening peak", region="CN-42", timezone="Asia/Shanghai", day=tomorrow,
                 start=PEAK[0], end=PEAK[1], pool_id=hubei_pool.id, payout="credit",
                 rate_fen_per_kwh=200),
    )  # fmt: skip

    bill_pool = await create_pool(
        clock, cam.id, NewPool("Huangyan saving vouchers", "Huangyan", PoolUnit.FEN, 1, 1_000_000)
    )
    programme = await create_programme(
        clock, BillRules.from_settings(settings), cam.id, "Save 1 yuan, get 1 yuan", bill_pool.id
    )
    await sign_up(clock, bo.id, programme.id, "HY-BO")
    month = (now.astimezone(SHANGHAI).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    await receive_bills(clock, events, programme.id, [
        BillInput("HY-BO", month.replace(year=month.year - 1), 12_000, Decimal("220")),
        BillInput("HY-BO", month, 11_000, Decimal("200")),
    ])  # fmt: skip

    didi = await create_merchant(clock, "Didi Green Rides")
    cashier = await create_user(
        settings, clock, username="didi", password=password, role=Role.MERCHANT,
        display_name="Didi till", timezone="Asia/Shanghai", region="CN-42",
    )  # fmt: skip
    await attach_member(didi.id, cashier.id)
    ride = await add_item(clock, cam.id, NewItem(
        name="5 yuan green ride voucher", description="A Didi carpool or e-bike ride",
        kind=ItemKind.VOUCHER, currency=Currency.ENERGY, price=200, stock=100,
        per_player_limit=2, voucher_value_fen=500, voucher_valid_days=30, merchant_id=didi.id,
    ))  # fmt: skip
    await add_item(clock, cam.id, NewItem(
        name="Reusable cup", description="Sent to your address", kind=ItemKind.GOODS,
        currency=Currency.CREDIT, price=150, stock=20, per_player_limit=1,
    ))  # fmt: skip
    await add_item(clock, cam.id, NewItem(
        name="Plant a saxaul seedling", description="A donation to desert planting",
        kind=ItemKind.DONATION, currency=Currency.ENERGY, price=100, stock=1_000,
        per_player_limit=10,
    ))  # fmt: skip
    bought = await redeem_item(clock, events, ada.id, ride.id)
    today = now.astimezone(SHANGHAI).date()

    def local(days: int, at: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(at, 0), SHANGHAI)

    slot = await open_slot(clock, "WH-HONGSHAN", local(1, 9), local(1, 11), 20)
    await book_pickup(
        clock, ada.id, Booking(slot.id, "1 Demo Road, Wuhan", ["paper", "textiles"], Decimal("5"))
    )
    # More places to choose from: a later slot in the same area and one across the river.
    for area, days, at, capacity in (("WH-HONGSHAN", 3, 14, 15), ("WH-HANKOU", 2, 9, 10)):
        await open_slot(clock, area, local(days, at), local(days, at + 2), capacity)
    code = bought.voucher.code if bought.voucher else "?"
    return [
        f"demo power event {event.id}: Evening peak on {day} in CN-36, chen saved 0.8 kWh "
        "(160 fen of store credit, 456 g CO2)",
        f"demo power event {upcoming.id}: Hot evening peak on {tomorrow} in CN-42, open to "
        "ada and bo",
        f"demo bill programme {programme.id}: bo's bill 120 -> 110 yuan, a 10 yuan voucher",
        f"demo store: 3 items; ada bought a ride voucher {code}; merchant user didi / {password}",
        f"demo recycling slot {slot.id} in WH-HONGSHAN, ada booked a pick-up; 2 more slots "
        "in WH-HONGSHAN and WH-HANKOU",
    ]
