"""Helpers of the browser tests: Chromium's flags, players made through the API, signing in."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

import httpx
from PIL import Image, ImageDraw
from playwright.async_api import Browser, BrowserContext, Page

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "greenspark-demo"
PASSWORD = "correct horse battery"


@dataclass
class Account:
    """A player made through the API, with a bearer header for direct calls."""

    id: int
    username: str
    headers: dict[str, str]


def unique(prefix: str) -> str:
    """A username no other test uses."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


async def account(
    http: httpx.AsyncClient,
    username: str,
    password: str = PASSWORD,
    *,
    register: bool | None = None,
) -> Account:
    """Log in (registering first unless it is a demo user, or `register` says) and return it."""
    if register if register is not None else password == PASSWORD:
        made = await http.post(
            "/api/v1/auth/register", json={"username": username, "password": password}
        )
        assert made.status_code == 201, made.text
    login = await http.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    me = await http.get("/api/v1/me", headers=headers)
    return Account(me.json()["id"], username, headers)


async def befriend(http: httpx.AsyncClient, a: Account, b: Account) -> None:
    """Make two players friends through the API."""
    asked = await http.post("/api/v1/friends/requests", json={"user_id": b.id}, headers=a.headers)
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request"]["id"]
    accepted = await http.post(f"/api/v1/friends/requests/{request_id}/accept", headers=b.headers)
    assert accepted.status_code == 200, accepted.text


async def phone(browser: Browser, errors: list[str], **options: object) -> BrowserContext:
    """A fresh phone-sized browser context (its own storage); script errors go to `errors`.

    It asks for reduced motion, as some players do: floating bubbles then hold still, so a
    click lands where the test aims.
    """
    context = await browser.new_context(
        viewport=PHONE,
        reduced_motion="reduce",
        **options,  # type: ignore[arg-type]
    )
    context.on("weberror", lambda error: errors.append(str(error.error)))
    return context


async def sign_in(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    """Open `url` and sign in through the form."""
    await page.goto(url)
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.locator("form").get_by_role("button", name="Sign in").click()


def photo() -> bytes:
    """A small JPEG of a sunny park, drawn here."""
    image = Image.new("RGB", (800, 600), "#9fd3f0")
    draw = ImageDraw.Draw(image)
    draw.ellipse((600, 60, 720, 180), fill="#ffd34d")
    draw.ellipse((-200, 330, 500, 800), fill="#5fae4f")
    draw.ellipse((300, 360, 1000, 850), fill="#4b9a40")
    draw.rectangle((200, 260, 230, 420), fill="#6b4a2b")
    draw.ellipse((130, 150, 300, 300), fill="#2e7d32")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
