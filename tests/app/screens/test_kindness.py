"""Helping a friend collect and reviving their expired energy, in Chromium, on a server whose
bubbles ripen at once and expire after 30 seconds (every ripe bubble is then within the help
window, and one expires while the test watches)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.async_api import Browser, expect

from tests.app.screens.browser import Account, account, befriend, phone, sign_in, unique
from tests.servers import Server

LIFETIME_SECONDS = 30


@pytest.fixture(scope="module")
def screens_env(screens_env: dict[str, str]) -> dict[str, str]:
    """The usual server, with bubbles that expire half a minute after they appear."""
    return screens_env | {"GREENSPARK_BUBBLE_LIFETIME_SECONDS": str(LIFETIME_SECONDS)}


async def report(http: httpx.AsyncClient, player: Account, scenario: str, quantity: str) -> int:
    """Self-report an action; the id of its bubble."""
    made = await http.post(
        "/api/v1/actions", json={"scenario": scenario, "quantity": quantity}, headers=player.headers
    )
    assert made.status_code == 201, made.text
    forest = (await http.get("/api/v1/forest/me", headers=player.headers)).json()
    return max(b["id"] for b in forest["bubbles"] if b["scenario"] == scenario)


async def balance(http: httpx.AsyncClient, player: Account) -> int:
    """A player's energy balance now."""
    forest = (await http.get("/api/v1/forest/me", headers=player.headers)).json()
    return int(forest["balance"])


async def test_a_friend_helps_collect_one_bubble_and_revives_another_once_it_expired(
    server: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.base) as http:
        owner = await account(http, unique("owner"))
        friend = await account(http, unique("kind"))
        await befriend(http, owner, friend)
        # The friend gathers 50 g first: a revive is paid from their balance.
        own = await report(http, friend, "reusable_cup", "2")
        collected = await http.post(
            f"/api/v1/bubbles/{own}/collect",
            headers=friend.headers | {"Idempotency-Key": str(uuid.uuid4())},
        )
        assert collected.status_code == 200, collected.text
        await report(http, owner, "no_plastic_bag", "1")  # 15 g, left to expire

    errors: list[str] = []
    context = await phone(browser, errors)
    page = await context.new_page()
    await sign_in(page, f"{server.base}/app", friend.username)
    await expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible()
    async with httpx.AsyncClient(base_url=server.base) as http:
        await report(http, owner, "reusable_cup", "1")  # 25 g, to help with
    await page.goto(f"{server.base}/app/friends/{owner.id}")
    kind = page.get_by_role("region", name="Be kind")
    await kind.get_by_role("button", name="Help collect 25 g").click()
    await expect(page.get_by_text(f"You collected 25 g for {owner.username}")).to_be_visible()

    # The 15 g bubble expires while the page is open; the page asks again by itself and offers
    # to bring back half of it, paid by the friend.
    revive = kind.get_by_role("button", name="Revive 7 g")
    await expect(revive).to_be_visible(timeout=(LIFETIME_SECONDS + 15) * 1000)
    await revive.click()
    said = f"You brought back 7 g for {owner.username} (it cost you 7 g)"
    await expect(page.get_by_text(said)).to_be_visible()
    await expect(revive).to_have_count(0)

    async with httpx.AsyncClient(base_url=server.base) as http:
        assert await balance(http, owner) == 25 + 7
        assert await balance(http, friend) == 50 - 7
    assert errors == []
    await context.close()
