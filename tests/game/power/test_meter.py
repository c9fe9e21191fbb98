"""Smart-meter readings: stored once per (meter, interval), corrections audited, summed by the
player's calendar."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import timedelta

import orjson

from app.domains import reconcile
from app.privacy.erasure import erase_due_accounts
from game.partners.consents.models import Consent
from game.power.models import MeterReading, ReadingCorrection

READINGS = "/api/v1/partner/meter-readings"


def _reading(ref: str, start, kwh: str = "0.250", meter: str = "m-1") -> dict:
    return {"meter_ref": meter, "user_ref": ref, "interval_start": start.isoformat(), "kwh": kwh}


async def test_readings_are_stored_once_and_corrections_audited(client, players, partners, clock):
    ada = await players.new()
    grid = await partners.register("Grid", scenarios=(), meter_readings=True)
    await partners.link(ada, grid, "acct-ada", meter_readings=True)
    start = clock.now() - timedelta(hours=1)
    first = await partners.readings(
        grid, [_reading("acct-ada", start + timedelta(minutes=15 * n), "0.25") for n in range(4)]
    )
    assert first.status_code == 200, first.text
    assert first.json()["counts"] == {"stored": 4}
    clock.advance(seconds=5)
    resend = await partners.readings(
        grid,
        [
            _reading("acct-ada", start, "0.25"),
            _reading("acct-ada", start + timedelta(minutes=15), "0.4"),
        ],
    )
    items = resend.json()["items"]
    assert [(i["status"], i.get("previous_kwh")) for i in items] == [
        ("duplicate", None),
        ("corrected", "0.250"),
    ]
    assert await MeterReading.all().count() == 4
    correction = await ReadingCorrection.get()
    assert (correction.old_wh, correction.new_wh, correction.revision) == (250, 400, 1)
    meter = (await client.get("/api/v1/me/meter", headers=ada.headers)).json()
    assert meter["month"] == "2026-06" and meter["month_kwh"] == "1.150"
    assert meter["days"] == [{"date": "2026-06-10", "kwh": "1.150", "intervals": 4}]
    assert meter["meters"] == [{"meter_ref": "m-1", "source": f"partner:{grid.id}"}]
    assert len(meter["months"]) == 12 and meter["months"][-1] == {
        "month": "2026-06",
        "kwh": "1.150",
    }
    assert await reconcile() == []


async def test_every_refused_reading_changes_nothing(client, players, partners, clock):
    ada, bo, cy = await players.new(), await players.new(), await players.new()
    grid = await partners.register("Grid", scenarios=("peak_power_saving",), meter_readings=True)
    await partners.link(ada, grid, "acct-ada", meter_readings=True)
    await partners.link(bo, grid, "acct-bo", meter_readings=True)
    await partners.link(cy, grid, "acct-cy", scenarios=["peak_power_saving"])  # no readings
    aligned = clock.now().replace(minute=0) - timedelta(hours=1)
    await partners.readings(grid, [_reading("acct-ada", aligned, meter="ada-meter")])
    clock.advance(seconds=1)
    sent = await partners.readings(
        grid,
        [
            _reading("acct-ada", aligned + timedelta(minutes=7)),
            _reading("acct-ada", aligned.replace(second=30)),
            _reading(
                "acct-ada", clock.now().replace(minute=0, second=0, microsecond=0)
            ),  # not over
            _reading("acct-ada", aligned - timedelta(days=36)),
            _reading("acct-ada", aligned, "-1"),
            _reading("acct-ada", aligned, "1000.001"),
            _reading("acct-ada", aligned, "0.0001"),
            _reading("acct-nobody", aligned),
            _reading("acct-cy", aligned),
            _reading("acct-bo", aligned, meter="ada-meter"),
            {"meter_ref": "m", "user_ref": "acct-ada", "interval_start": aligned.isoformat()},
            {**_reading("acct-ada", aligned), "interval_start": "2026-06-10T01:00:00"},
            _reading("acct-ada", aligned + timedelta(minutes=15), "1"),
            _reading("acct-ada", aligned + timedelta(minutes=15), "2"),
        ],
    )
    assert sent.status_code == 200, sent.text
    reasons = [(i["status"], i.get("reason")) for i in sent.json()["items"]]
    assert reasons == [
        ("refused", "interval-not-aligned"),
        ("refused", "interval-not-aligned"),
        ("refused", "reading-time-out-of-range"),
        ("refused", "reading-time-out-of-range"),
        ("refused", "invalid-kwh"),
        ("refused", "invalid-kwh"),
        ("refused", "invalid-kwh"),
        ("refused", "no-consent"),
        ("refused", "meter-readings-not-consented"),
        ("refused", "meter-of-another-player"),
        ("refused", "malformed-item"),
        ("refused", "malformed-item"),
        ("stored", None),
        ("refused", "repeated-in-batch"),
    ]
    assert await MeterReading.all().count() == 2
    metro = await partners.register("Metro")
    not_grid = await partners.readings(metro, [_reading("acct-ada", aligned)])
    assert (not_grid.status_code, not_grid.json()["type"]) == (
        403,
        "/problems/meter-readings-not-allowed",
    )
    assert await MeterReading.all().count() == 2
    assert await reconcile() == []


async def test_daily_and_monthly_use_follow_the_players_calendar(client, players, partners, clock):
    dara = await players.new(timezone="Europe/Berlin")
    grid = await partners.register("Grid", scenarios=(), meter_readings=True)
    await partners.link(dara, grid, "acct-dara", meter_readings=True)
    # 21:45 and 22:00 UTC on 31 May are 23:45 on 31 May and 00:00 on 1 June in Berlin.
    clock.set(clock.now().replace(day=1, hour=3))
    late_may = clock.now().replace(month=5, day=31, hour=21, minute=45)
    sent = await partners.readings(
        grid,
        [
            _reading("acct-dara", late_may, "1"),
            _reading("acct-dara", late_may + timedelta(minutes=15), "2"),
        ],
    )
    assert sent.json()["counts"] == {"stored": 2}
    dara = await players.refresh(dara)
    june = (await client.get("/api/v1/me/meter", headers=dara.headers)).json()
    assert june["days"] == [{"date": "2026-06-01", "kwh": "2.000", "intervals": 1}]
    may = await client.get("/api/v1/me/meter", params={"month": "2026-05"}, headers=dara.headers)
    assert may.json()["days"] == [{"date": "2026-05-31", "kwh": "1.000", "intervals": 1}]
    assert june["months"][-2:] == [
        {"month": "2026-05", "kwh": "1.000"},
        {"month": "2026-06", "kwh": "2.000"},
    ]
    bad = await client.get("/api/v1/me/meter", params={"month": "2026-13"}, headers=dara.headers)
    assert bad.status_code == 400
    empty = await players.new()
    nothing = (await client.get("/api/v1/me/meter", headers=empty.headers)).json()
    assert (nothing["days"], nothing["meters"], nothing["month_kwh"]) == ([], [], "0.000")


async def test_concurrent_resends_keep_one_reading_per_interval(client, players, partners, clock):
    ada = await players.new()
    grid = await partners.register("Grid", scenarios=(), meter_readings=True)
    await partners.link(ada, grid, "acct-ada", meter_readings=True)
    start = clock.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=4)
    now = int(clock.now().timestamp())
    batches = [
        [_reading("acct-ada", start + timedelta(minutes=15 * n), f"0.{k + 1}") for n in range(8)]
        for k in range(10)
    ]
    sent = await asyncio.gather(
        *(partners.readings(grid, batch, timestamp=now - k) for k, batch in enumerate(batches))
    )
    assert all(r.status_code == 200 for r in sent), [r.text for r in sent]
    assert await MeterReading.all().count() == 8
    stored = sum(r.json()["counts"].get("stored", 0) for r in sent)
    corrected = sum(r.json()["counts"].get("corrected", 0) for r in sent)
    assert stored == 8 and corrected == await ReadingCorrection.all().count()
    assert await reconcile() == []


async def test_an_erased_player_leaves_no_reference_and_no_readings(
    client, app, players, partners, clock
):
    ada = await players.new()
    grid = await partners.register("Grid", scenarios=("metro_ride",), meter_readings=True)
    await partners.link(ada, grid, "acct-ada", meter_readings=True)
    start = clock.now() - timedelta(hours=1)
    stored = await partners.readings(grid, [_reading("acct-ada", start)])
    assert stored.json()["counts"] == {"stored": 1}
    exported = await client.get("/api/v1/me/export", headers=ada.headers)
    sections = orjson.loads(zipfile.ZipFile(io.BytesIO(exported.content)).read("export.json"))
    assert [c["user_ref"] for c in sections["sections"]["partner_consents"]] == ["acct-ada"]
    assert len(sections["sections"]["power"][0]["readings"]) == 1
    assert (await client.delete("/api/v1/me", headers=ada.headers)).status_code == 202
    clock.advance(days=30)
    assert await erase_due_accounts(clock, app.state.media, app.state.settings) == 1
    assert await MeterReading.all().count() == 0
    consent = await Consent.get(user_id=ada.id)
    assert consent.revoked_at is not None and consent.user_ref != "acct-ada"
    # The partner's next reading for that reference finds nobody.
    later = await partners.readings(grid, [_reading("acct-ada", start + timedelta(minutes=15))])
    assert later.json()["items"][0]["status"] == "refused"
    assert await reconcile() == []
