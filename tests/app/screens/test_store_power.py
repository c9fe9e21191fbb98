"""The store, power and recycling pages in Chromium: redeeming a voucher for energy, booking and
cancelling a recycling pick-up, and opting in to a peak-hour power-saving event that arrives
live. State is set up through the API; what the player sees is checked against it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Browser, expect

from tests.app.screens.browser import (
    DEMO_PASSWORD,
    PASSWORD,
    Account,
    account,
    phone,
    sign_in,
    unique,
)
from tests.app.screens.conftest import cli
from tests.servers import Server


async def test_a_player_redeems_a_voucher_for_energy_and_sees_it_and_the_lower_balance(
    server: Server, browser: Browser, screens_env: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=server.base) as http:
        buyer = await account(http, unique("buyer"))
    cli(screens_env, "adjust-energy", "--username", buyer.username, "--grams", "500",
        "--reason", "test: energy to spend")  # fmt: skip
    errors: list[str] = []
    context = await phone(browser, errors)
    page = await context.new_page()
    await sign_in(page, f"{server.base}/app", buyer.username)
    await page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Store").click()
    energy = page.locator("[data-energy]")
    await expect(energy).to_have_text("500 g")

    await page.get_by_role("button", name="Redeem 5 yuan green ride voucher").click()
    confirm = page.get_by_role("dialog", name="Redeem this item?")
    await expect(confirm).to_contain_text("Redeem 5 yuan green ride voucher for 200 g of energy?")
    await confirm.get_by_role("button", name="Pay 200 g of energy").click()
    done = page.get_by_role("dialog", name="Redeemed")
    code = done.get_by_role("group", name="Your voucher").locator("code")
    await expect(code).to_have_text(re.compile(r"^[A-Z0-9]{12}$"))
    shown = await code.inner_text()
    await done.get_by_role("button", name="Done").click()

    await expect(energy).to_have_text("300 g")
    vouchers = page.get_by_role("region", name="My vouchers")
    await expect(vouchers.get_by_role("listitem").filter(has_text=shown)).to_contain_text(
        "ready to use"
    )
    async with httpx.AsyncClient(base_url=server.base) as http:
        mine = (await http.get("/api/v1/me/vouchers", headers=buyer.headers)).json()["items"]
        tree = (await http.get("/api/v1/me/tree", headers=buyer.headers)).json()
    assert [(v["code"], v["face_value_fen"], v["from_store"]) for v in mine] == [(shown, 500, True)]
    assert tree["balance"] == 300
    assert errors == []
    await context.close()


async def test_a_player_books_a_pickup_sees_it_confirmed_live_then_cancels_it(
    server: Server, browser: Browser, screens_env: dict[str, str]
) -> None:
    area = f"T-{uuid.uuid4().hex[:8].upper()}"
    async with httpx.AsyncClient(base_url=server.base) as http:
        admin = await staff(http, screens_env, "admin")
        starts = datetime.now(UTC) + timedelta(days=1)
        slot = {"area": area, "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(), "capacity": 3}  # fmt: skip
        opened = await http.post("/api/v1/admin/pickup-slots", json=slot, headers=admin.headers)
        assert opened.status_code == 201, opened.text
        recycler = await account(http, unique("recycler"))
    errors: list[str] = []
    context = await phone(browser, errors)
    page = await context.new_page()
    await sign_in(page, f"{server.base}/app", recycler.username)
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()
    await page.get_by_role("link", name="Me", exact=True).click()
    await page.get_by_role("link", name="Power saving and recycling").click()
    await expect(page.get_by_role("heading", name="Power and recycling")).to_be_visible()

    await page.get_by_label("Area").select_option(area)
    await expect(page.get_by_text("3 places left")).to_be_visible()
    await page.get_by_role("button", name=re.compile(r"^Book the pick-up on")).click()
    form = page.get_by_role("dialog", name="Book a pick-up")
    await form.get_by_label("Address").fill("8 Lakeside Road")
    await form.get_by_label("Paper").check()
    await form.get_by_label("Glass").check()
    await form.get_by_label("About how many kg").fill("6.5")
    await form.get_by_role("button", name="Book this pick-up").click()

    mine = page.get_by_role("list", name="My pick-ups").get_by_role("listitem")
    await expect(mine).to_have_count(1)
    await expect(mine).to_contain_text(f"{area} · Glass, Paper · about 6.5 kg")
    await expect(mine).to_contain_text("Booked")
    await expect(page.get_by_text("2 places left")).to_be_visible()
    async with httpx.AsyncClient(base_url=server.base) as http:
        booked = (await http.get("/api/v1/me/pickups", headers=recycler.headers)).json()
        assert [(p["area"], p["kinds"], p["status"]) for p in booked] == [
            (area, ["glass", "paper"], "booked")
        ]
        await page.evaluate("window.notReloaded = true")
        confirmed = await http.post(
            f"/api/v1/admin/pickups/{booked[0]['id']}/confirm", headers=admin.headers
        )
        assert confirmed.status_code == 200, confirmed.text

    # The confirmation arrives over the websocket: a notice, and the status moves.
    await expect(page.get_by_text("Your recycling pick-up is confirmed")).to_be_visible()
    await expect(mine).to_contain_text("Confirmed")
    assert await page.evaluate("window.notReloaded") is True
    await mine.get_by_role("button", name=re.compile(r"^Cancel the pick-up on")).click()
    await expect(mine).to_contain_text("Cancelled")
    await expect(mine.get_by_role("button")).to_have_count(0)
    await expect(page.get_by_text("3 places left")).to_be_visible()
    async with httpx.AsyncClient(base_url=server.base) as http:
        after = (await http.get("/api/v1/me/pickups", headers=recycler.headers)).json()
        slots = (await http.get(f"/api/v1/pickup-slots?area={area}", headers=admin.headers)).json()
    assert [p["status"] for p in after] == ["cancelled"]
    assert [s["places_left"] for s in slots] == [3]
    assert errors == []
    await context.close()


async def test_a_player_is_invited_live_to_a_power_event_and_opts_in(
    server: Server, browser: Browser
) -> None:
    region = f"T-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=server.base) as http:
        username = unique("saver")
        made = await http.post(
            "/api/v1/auth/register",
            json={"username": username, "password": PASSWORD, "region": region},
        )
        assert made.status_code == 201, made.text
        saver = await account(http, username, PASSWORD, register=False)
    errors: list[str] = []
    context = await phone(browser, errors)
    page = await context.new_page()
    await sign_in(page, f"{server.base}/app", username)
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()
    await page.goto(f"{server.base}/app/power")
    await expect(page.get_by_text("No power-saving events in your region")).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()

    # Announced while the page is open: the invitation arrives live and the event shows.
    tomorrow = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)
    async with httpx.AsyncClient(base_url=server.base) as http:
        cam = await account(http, "cam", DEMO_PASSWORD)
        pool = await http.post(
            "/api/v1/reward-pools",
            json={"name": "Test grid pool", "unit": "fen", "unit_cost": 1, "total": 10_000},
            headers=cam.headers,
        )
        assert pool.status_code == 201, pool.text
        event = {"name": "Test peak", "region": region, "date": tomorrow.isoformat(),
                 "start": "19:00", "end": "21:00", "pool_id": pool.json()["id"]}  # fmt: skip
        announced = await http.post("/api/v1/power-events", json=event, headers=cam.headers)
        assert announced.status_code == 201, announced.text
    await expect(page.get_by_text("Peak-hour power saving: Test peak on")).to_be_visible()
    card = page.get_by_role("listitem").filter(has_text="Test peak")
    await expect(card).to_contain_text("Pays ¥2.00 per kWh saved, as store credit")

    await card.get_by_role("button", name="Opt in to Test peak").click()
    await expect(card).to_contain_text("You're in: use less power between")
    await expect(card.get_by_role("button")).to_have_count(0)
    async with httpx.AsyncClient(base_url=server.base) as http:
        shown = (await http.get("/api/v1/power-events", headers=saver.headers)).json()
    assert [(e["name"], e["me"]["status"]) for e in shown] == [("Test peak", "joined")]
    assert errors == []
    await context.close()


async def staff(http: httpx.AsyncClient, env: dict[str, str], role: str) -> Account:
    """A staff account of `role`, made with the command line, logged in through the API."""
    username = unique(role)
    cli(env, "create-user", "--username", username, "--password", PASSWORD, "--role", role)
    return await account(http, username, PASSWORD, register=False)
