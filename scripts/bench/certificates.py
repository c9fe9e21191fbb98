"""Certificate rendering time, cold and cached, against baselines measured in the same run.

Run: `.venv/bin/python -m scripts.bench.certificates [--plantings 40] [--cached 200]`

Everything is in-process and loopback only: a temporary SQLite file and an embedded Redis in a
temporary folder, the real app driven through httpx's ASGI transport. Bounded: at most a few
hundred renders and requests.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from PIL import Image

from app.auth.rules import create_user, log_in
from app.db import migrate_database
from app.main import create_app, lifespan
from core.clock import SystemClock
from core.events import OutboxEvents
from core.settings import Settings
from core.users import Role
from game.energy.ledger import adjust_energy
from game.trees.certificates.facts import certificate_facts, planting_record
from game.trees.plantings.applying import apply_to_plant
from game.trees.plantings.models import Planting
from game.trees.projects.partners import create_partner
from game.trees.projects.registry import NewProject, create_project
from game.trees.render import encode_png, render_certificate
from game.trees.species.catalog import load_species

PASSWORD = "benchmark-password"  # noqa: S105  (a throwaway account in a temporary database)


async def _timed(count: int, step: Callable[[int], Awaitable[object]]) -> list[float]:
    """Milliseconds taken by each of `count` awaited steps."""
    times = []
    for index in range(count):
        start = time.perf_counter()
        await step(index)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _row(name: str, times: list[float], baseline: float) -> str:
    median = statistics.median(times)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    return f"| {name} | {len(times)} | {median:.2f} | {p95:.2f} | {median / baseline:.1f}x |"


async def _arrange(settings: Settings, plantings: int) -> tuple[str, list[int]]:
    """A player with `plantings` saxaul trees; returns their access token and the tree ids."""
    clock, catalog = SystemClock(), load_species()
    admin = await create_user(settings, clock, username="bench_admin", password=PASSWORD,
                              role=Role.ADMIN)  # fmt: skip
    partner = await create_partner(clock, "Bench Foundation", "CN-15")
    project = NewProject("Bench forest", partner.id, "saxaul", "CN-15", "Alxa", plantings)
    await create_project(clock, catalog, admin.id, project)
    player = await create_user(settings, clock, username="bench_player", password=PASSWORD,
                               display_name="Ada Lovelace")  # fmt: skip
    cost = catalog.get("saxaul").energy_grams
    await adjust_energy(clock, player.id, cost * plantings, "benchmark", "bench-grant")
    ids = [
        (await apply_to_plant(clock, OutboxEvents(clock), catalog, player.id, "saxaul")).id
        for _ in range(plantings)
    ]
    tokens = await log_in(settings, clock, "bench_player", PASSWORD)
    return tokens.access_token, ids


async def _direct(ids: list[int]) -> dict[str, list[float]]:
    """Render function alone vs encoding a blank PNG of the same size."""
    catalog = load_species()
    facts = [
        certificate_facts(catalog, await planting_record(await Planting.get(id=i))) for i in ids
    ]

    async def render(index: int) -> None:
        render_certificate(facts[index])

    async def blank(_: int) -> None:
        encode_png(Image.new("RGB", (1200, 850), (250, 246, 232)))

    return {"blank": await _timed(len(ids), blank), "render": await _timed(len(ids), render)}


async def run(plantings: int, cached: int) -> None:
    """Arrange, measure and print a Markdown table."""
    folder = Path(tempfile.mkdtemp(prefix="gs-bench-"))
    try:
        settings = Settings(
            DATABASE_URL=f"sqlite://{folder / 'bench.sqlite3'}", data_dir=folder / "data",
            secret_key=secrets.token_urlsafe(48), auto_migrate=False,
            password_memory_kib=1024, password_time_cost=1,
        )  # type: ignore[call-arg]  # fmt: skip
        await migrate_database(settings.resolved_database_url)
        app = create_app(settings)
        async with lifespan(app):
            token, ids = await _arrange(settings, plantings)
            headers = {"Authorization": f"Bearer {token}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                direct = await _direct(ids)

                async def json_view(index: int) -> None:
                    url = f"/api/v1/plantings/{ids[index % len(ids)]}"
                    (await http.get(url, headers=headers)).raise_for_status()

                async def certificate(index: int) -> None:
                    url = f"/api/v1/plantings/{ids[index % len(ids)]}/certificate.png"
                    (await http.get(url, headers=headers)).raise_for_status()

                baseline_http = await _timed(cached, json_view)
                cold = await _timed(len(ids), certificate)
                warm = await _timed(cached, certificate)
        blank = statistics.median(direct["blank"])
        json_ms = statistics.median(baseline_http)
        print("| what | n | median ms | p95 ms | vs baseline |")
        print("| --- | --- | --- | --- | --- |")
        print(_row("baseline: encode a blank 1200x850 PNG", direct["blank"], blank))
        print(_row("render_certificate() alone", direct["render"], blank))
        print(_row("baseline: GET /plantings/{id} (JSON)", baseline_http, json_ms))
        print(_row("GET certificate.png, cold (render + write)", cold, json_ms))
        print(_row("GET certificate.png, cached (disk read)", warm, json_ms))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Parse the bounds and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plantings", type=int, default=40, choices=range(1, 201), metavar="1-200")
    parser.add_argument("--cached", type=int, default=200, choices=range(1, 1001), metavar="1-1000")
    args = parser.parse_args()
    asyncio.run(run(args.plantings, args.cached))


if __name__ == "__main__":
    main()
