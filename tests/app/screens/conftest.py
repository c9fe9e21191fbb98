"""Fixtures of the browser tests: a real server on the demo data and Debian's Chromium.

The tests are skipped, with the reason, only when Chromium is not installed (CI installs it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright
from redis.asyncio import Redis

from app.db import close_database, open_database
from app.screens.routes import DIST
from core.settings import Settings
from tests.app.screens.browser import CHROMIUM, LAUNCH_ARGS
from tests.conftest import _empty_database, _empty_redis
from tests.servers import Server, server_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the browser tests on a machine without Chromium, saying how to get it."""
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} is missing: apt-get install chromium chromium-driver"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.fixturenames:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def screens_env(
    database_url: str, redis_url: str, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Environment of the module's server: the test database and Redis, bubbles ripe at once."""
    if not (DIST / "app.html").is_file():
        pytest.fail("the screens are not built: run `sh scripts/dev.sh sync`")
    settings = Settings(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        redis_prefix=redis_prefix,
        data_dir=tmp_path_factory.mktemp("screens") / "data",
        secret_key="test-signing-key-that-is-long-enough-for-hs256",
        auto_migrate=False,
    )
    return server_env(settings, GREENSPARK_RIPEN_DELAY_SECONDS="0")


@pytest.fixture(scope="module")
async def server(
    screens_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Server]:
    """A real `greenspark serve` on an emptied database with the demo data loaded."""
    await open_database(screens_env["DATABASE_URL"])
    await _empty_database()
    await close_database()
    redis = Redis.from_url(screens_env["REDIS_URL"])
    await _empty_redis(redis, screens_env["GREENSPARK_REDIS_PREFIX"])
    await redis.aclose()
    cli(screens_env, "seed-demo")
    running = Server(screens_env, tmp_path_factory.mktemp("logs") / "server.log")
    yield running
    running.stop()


def cli(env: dict[str, str], *args: str) -> str:
    """Run a `greenspark` command against the test server's database."""
    done = subprocess.run(
        [sys.executable, "-m", "app", *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless Chromium for the whole run (Playwright gives it a fresh profile folder)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
def shots() -> Iterator[Path | None]:
    """Where to save screenshots for the docs (GREENSPARK_SCREENSHOTS=docs/images), if asked."""
    folder = os.environ.get("GREENSPARK_SCREENSHOTS")
    yield Path(folder) if folder else None
