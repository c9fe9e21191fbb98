"""Every main screen on the demo data, checked by axe-core (WCAG 2 A and AA) in Chromium.

With GREENSPARK_SCREENSHOTS=docs/images the same tour saves the screenshots of the docs.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import Browser, Page, expect

from app.screens.routes import DIST
from tests.app.screens.browser import (
    DEMO_PASSWORD,
    PASSWORD,
    account,
    befriend,
    phone,
    photo,
    sign_in,
)
from tests.app.screens.conftest import cli
from tests.servers import Server

AXE = DIST.parent / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}


async def audit(page: Page, name: str, shots: Path | None) -> None:
    """Fail on any serious or critical WCAG A/AA finding; save a screenshot when asked."""
    await page.add_script_tag(path=AXE)
    found = await page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa"]});
            return result.violations
                .filter((v) => ["serious", "critical"].includes(v.impact))
                .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" "))}`);
        }"""
    )
    assert found == [], f"{name}: {found}"
    if shots:
        await page.screenshot(path=shots / f"screen-{name}.png")


async def arrange(server: Server) -> None:
    """Ada and Bo are friends, Bo has taken from Ada, and Chen reported Ada's check-in."""
    async with httpx.AsyncClient(base_url=server.base) as http:
        ada = await account(http, "ada", DEMO_PASSWORD)
        bo = await account(http, "bo", DEMO_PASSWORD)
        chen = await account(http, "chen", DEMO_PASSWORD)
        await befriend(http, bo, ada)
        await befriend(http, chen, ada)
        forest = (await http.get(f"/api/v1/forest/{ada.id}", headers=bo.headers)).json()
        ripe = next(v for v in forest["bubbles"] if v["can_take"] > 0)
        stolen = await http.post(
            f"/api/v1/bubbles/{ripe['bubble']['id']}/steal", headers=bo.headers
        )
        assert stolen.status_code == 200, stolen.text
        posted = await http.post(
            "/api/v1/checkins",
            data={"topic": "green_commute", "text": "Cycled to the park instead of driving."},
            files={"photos": ("park.jpg", photo(), "image/jpeg")},
            headers=ada.headers,
        )
        assert posted.status_code == 201, posted.text
        report = {"target_kind": "checkin", "target_id": posted.json()["id"], "reason": "spam"}
        reported = await http.post("/api/v1/reports", json=report, headers=chen.headers)
        assert reported.status_code == 201, reported.text


async def test_every_main_screen_passes_the_accessibility_checks(
    server: Server, browser: Browser, screens_env: dict[str, str], shots: Path | None
) -> None:
    assert AXE.is_file(), "axe-core is missing: run `sh scripts/dev.sh sync`"
    await arrange(server)
    errors: list[str] = []
    # axe is injected as a script; the demo players live in Shanghai, and so do its times.
    context = await phone(browser, errors, bypass_csp=True, timezone_id="Asia/Shanghai")
    page = await context.new_page()
    await page.goto(f"{server.base}/app")
    await expect(page.get_by_role("button", name="Create account")).to_be_visible()
    await audit(page, "login", shots)
    await sign_in(page, f"{server.base}/app", "ada", DEMO_PASSWORD)
    await expect(page.get_by_role("region", name="Visitors")).to_contain_text("Bo took")
    await audit(page, "forest", shots)
    screens = [
        ("friends", "Friends", "Visit Bo"),
        ("feed", "Community", "Cycled to the park"),
        ("boards", "Leaderboards", "You are #"),
        ("trees", "Trees", "Choose what to grow"),
        ("campaigns", "Campaigns", "National carpool day"),
    ]
    for path, heading, text in screens:
        await page.get_by_role("link", name=heading.replace("Community", "Feed")
                               .replace("Leaderboards", "Boards")).click()  # fmt: skip
        await expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        await expect(page.get_by_text(text).first).to_be_visible()
        await audit(page, path, shots)
    await page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Store").click()
    await expect(page.get_by_role("heading", name="Store", exact=True)).to_be_visible()
    await expect(page.get_by_text("5 yuan green ride voucher").first).to_be_visible()
    await expect(
        page.get_by_role("region", name="My vouchers").get_by_role("listitem")
    ).to_have_count(1)
    await audit(page, "store", shots)
    await page.get_by_role("link", name="Me", exact=True).click()
    await page.get_by_role("link", name="Power saving and recycling").click()
    await expect(page.get_by_role("heading", name="Power and recycling")).to_be_visible()
    await expect(page.get_by_role("button", name="Opt in to Hot evening peak")).to_be_visible()
    await expect(page.get_by_role("list", name="My pick-ups")).to_contain_text("Booked")
    await audit(page, "power", shots)
    await page.get_by_role("link", name=re.compile(r"^Inbox, \d+ unread")).click()
    await expect(page.get_by_text("Bo took").first).to_be_visible()
    await audit(page, "inbox", shots)
    await page.goto(f"{server.base}/app/friends/2")
    await expect(page.get_by_role("heading", name="Bo's forest")).to_be_visible()
    await audit(page, "friend-forest", shots)

    cli(screens_env, "create-user", "--username", "root", "--password", PASSWORD, "--role", "admin")
    staff = await browser.new_context(viewport=DESKTOP, bypass_csp=True, reduced_motion="reduce")
    console = await staff.new_page()
    await sign_in(console, f"{server.base}/console", "mo", DEMO_PASSWORD)
    await expect(console.get_by_role("heading", name="Review queue")).to_be_visible()
    await expect(console.get_by_text("Cycled to the park")).to_be_visible()
    await audit(console, "console-queue", shots)
    await console.get_by_role("button", name="Sign out").click()
    await expect(console.get_by_label("Username")).to_be_visible()
    await sign_in(console, f"{server.base}/console", "cam", DEMO_PASSWORD)
    await console.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    await console.get_by_role("link", name="National carpool day").click()
    chart = console.get_by_role("img", name=re.compile("Participants over time"))
    await expect(chart).to_be_visible()
    await console.evaluate("document.getElementById('stats-heading').scrollIntoView()")
    await audit(console, "console-campaign", shots)
    await console.get_by_role("link", name="Planting projects", exact=True).click()
    await expect(console.get_by_role("cell", name="Saxaul forest").first).to_be_visible()
    await audit(console, "console-projects", shots)
    await console.get_by_role("button", name="Sign out").click()
    await expect(console.get_by_label("Username")).to_be_visible()
    await sign_in(console, f"{server.base}/console", "root")
    await console.get_by_role("link", name="Planting partners", exact=True).click()
    await expect(console.get_by_role("heading", name="Alxa SEE Foundation")).to_be_visible()
    await audit(console, "console-partners", shots)
    await console.get_by_role("link", name="Partner platforms", exact=True).click()
    await expect(console.get_by_role("button", name="Issue a new key").first).to_be_visible()
    await audit(console, "console-platforms", shots)
    assert errors == []
    await context.close()
    await staff.close()
