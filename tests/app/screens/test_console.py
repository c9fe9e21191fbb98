"""The staff console in Chromium: a campaign manager creates and publishes a campaign that a
player then joins in the client; an admin registers a partner platform and issues its keys."""

from __future__ import annotations

import re

import anyio
import httpx
from playwright.async_api import Browser, BrowserContext, Dialog, expect

from tests.app.screens.browser import (
    DEMO_PASSWORD,
    PASSWORD,
    account,
    phone,
    sign_in,
    unique,
)
from tests.app.screens.conftest import cli
from tests.servers import Server

DESKTOP = {"width": 1280, "height": 800}


async def desk(browser: Browser, errors: list[str]) -> BrowserContext:
    """A desktop-sized context for the console; script errors go to `errors`."""
    context = await browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    context.on("weberror", lambda error: errors.append(str(error.error)))
    return context


async def test_a_manager_creates_and_publishes_a_campaign_that_a_player_joins(
    server: Server, browser: Browser
) -> None:
    name = f"Cycle to work week {unique('c')[-8:]}"
    errors: list[str] = []
    staff = await desk(browser, errors)
    console = await staff.new_page()
    await sign_in(console, f"{server.base}/console", "cam", DEMO_PASSWORD)
    await console.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    await expect(console.get_by_role("heading", name="Campaigns", exact=True)).to_be_visible()
    # The demo's carpool day is listed already, and its budget pool.
    await expect(console.get_by_role("link", name="National carpool day")).to_be_visible()
    pool = console.get_by_role("cell", name=re.compile("Carpool day coupons"))
    await expect(pool).to_be_visible()

    await console.get_by_role("link", name="New campaign").click()
    await console.get_by_label("Name", exact=True).fill(name)
    await console.get_by_label("Description").fill("Three rides by bike this week.")
    await console.get_by_label("Target").fill("3")
    await console.get_by_label("Scenarios that count").select_option("shared_bike_ride")
    await console.get_by_label("Energy reward (g)").fill("50")
    await console.get_by_label("Medal name").fill("Bike week")
    await console.get_by_role("button", name="Save as draft").click()

    await expect(console.get_by_role("heading", name=name)).to_be_visible()
    await expect(console.get_by_text("Draft", exact=True)).to_be_visible()
    await console.get_by_role("button", name="Publish").click()
    # It starts now (the form's default), so once published it is live at once.
    await expect(console.get_by_text("Live", exact=True)).to_be_visible()
    chart = console.get_by_role("img", name=re.compile("Participants over time"))
    await expect(chart).to_be_visible()
    await expect(console.locator("[data-stat=participants]")).to_have_text("0")

    await console.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    await expect(console.get_by_role("link", name=name)).to_be_visible()

    async with httpx.AsyncClient(base_url=server.base) as http:
        player = await account(http, unique("rider"))
    client = await phone(browser, errors)
    app = await client.new_page()
    await sign_in(app, f"{server.base}/app", player.username)
    await app.get_by_role("link", name="Campaigns").click()
    await expect(app.get_by_role("heading", name=name)).to_be_visible()
    await app.get_by_role("button", name=f"Join {name}").click()
    await expect(app.get_by_text("My progress: 0 of 3")).to_be_visible()

    # The manager's figures count the new participant (they refresh by themselves too).
    await console.get_by_role("link", name=name).click()
    await expect(console.locator("[data-stat=participants]")).to_have_text("1")
    async with console.expect_download() as fetched:
        await console.get_by_role("button", name="Export participants (CSV)").click()
    download = await fetched.value
    assert download.suggested_filename.endswith(".csv")
    rows = (await anyio.Path(await download.path()).read_text()).splitlines()
    assert len(rows) == 2
    assert player.username in rows[1]
    assert errors == []
    await staff.close()
    await client.close()


async def test_an_admin_registers_a_platform_and_issues_and_revokes_keys(
    server: Server, browser: Browser, screens_env: dict[str, str]
) -> None:
    admin = unique("admin")
    cli(screens_env, "create-user", "--username", admin, "--password", PASSWORD, "--role", "admin")
    errors: list[str] = []
    staff = await desk(browser, errors)
    console = await staff.new_page()
    await sign_in(console, f"{server.base}/console", admin)
    await console.get_by_role("link", name="Partner platforms").click()
    await expect(console.get_by_role("heading", name="Partner platforms")).to_be_visible()

    await console.get_by_label("Name").fill("Metro Rides")
    await console.get_by_label("Contact").fill("ops@metro.example")
    await console.get_by_label("Time zone").fill("Asia/Shanghai")
    await console.get_by_label("Shared bike ride", exact=False).first.check()
    await console.get_by_label("Meter readings").check()
    await console.get_by_role("button", name="Register and issue a key").click()

    secret = console.get_by_role("alert").filter(has_text="New key for Metro Rides")
    await expect(secret).to_be_visible()
    first_key = await console.locator("[data-key-id]").inner_text()
    first_secret = await console.locator("[data-secret]").inner_text()
    assert len(first_secret) >= 32
    platform = console.get_by_role("listitem").filter(
        has=console.get_by_role("heading", name="Metro Rides")
    )
    await expect(platform.get_by_text("shared_bike_ride")).to_be_visible()
    await expect(platform.get_by_role("row", name=re.compile(first_key))).to_contain_text("Active")
    await console.get_by_role("button", name="I have stored it").click()
    await expect(console.locator("[data-secret]")).to_have_count(0)

    # Rotation: a new secret, shown once; the first key keeps working for the overlap.
    await platform.get_by_role("button", name="Issue a new key").click()
    await expect(console.locator("[data-secret]")).to_be_visible()
    second_key = await console.locator("[data-key-id]").inner_text()
    assert second_key != first_key
    assert await console.locator("[data-secret]").inner_text() != first_secret
    await console.get_by_role("button", name="I have stored it").click()
    await expect(platform.get_by_role("row", name=re.compile(first_key))).to_contain_text(
        "Retiring"
    )

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    console.on("dialog", accept)
    await platform.get_by_role("button", name=f"Revoke key {first_key}").click()
    await expect(platform.get_by_role("row", name=re.compile(first_key))).to_contain_text("Revoked")
    await expect(platform.get_by_role("row", name=re.compile(second_key))).to_contain_text("Active")

    async with httpx.AsyncClient(base_url=server.base) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"username": admin, "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        listed = (await http.get("/api/v1/admin/partners", headers=headers)).json()
    metro = next(p for p in listed if p["name"] == "Metro Rides")
    assert metro["meter_readings"] is True
    assert {k["key_id"]: k["status"] for k in metro["keys"]} == {
        first_key: "revoked",
        second_key: "active",
    }
    assert errors == []
    await staff.close()
