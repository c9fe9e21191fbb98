"""Demo data for partners: a platform with consents from the demo players, and a day of
smart-meter readings for ada, so the README's signed calls work against the demo server.

Called by `app/demo/seed.py` after the demo players exist; every value goes through the real
rules. The demo prints its own secret (marked as a demo secret): production secrets are shown
once, to the admin who registers the partner.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.clock import ManualClock
from core.db import in_transaction
from core.settings import Settings
from core.users import User
from game.carbon.catalog import load_catalog
from game.partners.consents.grants import NewConsent, grant_consent
from game.partners.platforms.keys import SecretBox
from game.partners.platforms.registry import NewPartner, PartnerRules, register_partner
from game.power.readings import INTERVAL, ReadingInput, ReadingRules, store_readings

PARTNER_NAME = "Demo City Services"
SCENARIOS = ["metro_ride", "bus_ride", "shared_bike_ride", "walking_steps"]


def _demo_day_of_use(hour: int) -> Decimal:
    """kWh in one quarter hour of a household day: low at night, peaks at breakfast and dinner."""
    if 0 <= hour < 6:
        return Decimal("0.080")
    if hour in (7, 8, 19, 20, 21):
        return Decimal("0.450")
    return Decimal("0.200")


async def seed_partners(settings: Settings, now: datetime, usernames: list[str]) -> list[str]:
    """Register the demo partner, link the demo players, and store ada's readings of yesterday."""
    clock = ManualClock(now)
    made = await register_partner(
        clock,
        SecretBox.from_settings(settings),
        load_catalog(),
        PartnerRules.from_settings(settings),
        NewPartner(
            name=PARTNER_NAME, timezone="Asia/Shanghai", contact="demo@greenspark.example",
            scenarios=SCENARIOS, meter_readings=True,
        ),
    )  # fmt: skip
    platform = made.platform
    for username in usernames:
        user = await User.get(username=username)
        given = NewConsent(platform.id, f"card-{username}", None, meter_readings=True)
        await grant_consent(clock, user.id, given)
    ada = await User.get(username="ada")
    tz = ZoneInfo(ada.timezone)
    yesterday = (now.astimezone(tz) - timedelta(days=1)).date()
    start = datetime.combine(yesterday, datetime.min.time(), tzinfo=tz).astimezone(UTC)
    readings = [
        ReadingInput(
            "demo-meter-ada", ada.id, tz, start + n * INTERVAL,
            _demo_day_of_use((start + n * INTERVAL).astimezone(tz).hour),
        )
        for n in range(96)
    ]  # fmt: skip
    async with in_transaction() as conn:
        await store_readings(
            conn, clock, ReadingRules.from_settings(settings), f"partner:{platform.id}", readings
        )
    return [
        f"demo partner platform {PARTNER_NAME} (id {platform.id}): key id {made.issued.key.key_id}",
        f"demo partner secret (DEMO ONLY, printed because this is demo data): {made.issued.secret}",
        f"demo consents: {', '.join(f'{u} as card-{u}' for u in usernames)}; "
        "a day of meter readings for ada",
    ]
