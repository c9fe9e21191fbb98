"""Species, the tree a player grows, planting projects, applying to plant, certificates."""

from __future__ import annotations

import asyncio
import io
from collections import Counter

import pytest
from PIL import Image, ImageStat

from app.domains import reconcile
from core.events import OutboxEvent
from game.trees.plantings.models import Planting
from game.trees.projects.models import ProjectYear

SAXAUL = 17_900


@pytest.fixture
def settings(settings):
    """Crowds of players log in from one test address: lift the per-address login limit."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})


async def set_up_project(client, players, species="saxaul", quota=10, **extra):
    """An admin registers a partner; a campaign manager opens a project with it."""
    admin = await players.staff("admin")
    manager = await players.staff("campaign_manager")
    partner = await client.post(
        "/api/v1/admin/planting-partners",
        json={"name": f"Alxa SEE Foundation {admin.id}", "region": "CN-15"},
        headers=admin.headers,
    )
    assert partner.status_code == 201, partner.text
    body = {
        "name": "Alxa saxaul forest",
        "partner_id": partner.json()["id"],
        "species": species,
        "place": "Alxa Left Banner, Inner Mongolia",
        "quota_per_year": quota,
        "region": "CN-15",
        **extra,
    }
    project = await client.post("/api/v1/planting-projects", json=body, headers=manager.headers)
    assert project.status_code == 201, project.text
    return {"admin": admin, "manager": manager, "partner": partner.json(), **project.json()}


async def plant(client, player, species="saxaul", **body):
    return await client.post(
        "/api/v1/plantings", json={"species": species, **body}, headers=player.headers
    )


async def events_of(app, user_id, event_type):
    """The data of the player's events of one type the relay has sent, oldest first."""
    await app.state.relay.drain()
    rows = await OutboxEvent.filter(
        user_id=user_id, type=event_type, sent_at__isnull=False
    ).order_by("id")
    return [dict(row.data) for row in rows]


def assert_not_blank(image, box):
    low, high = ImageStat.Stat(image.crop(box).convert("L")).extrema[0]
    assert high - low > 60, f"region {box} is blank"


async def test_species_catalog_is_public_with_costs_and_art(client):
    response = await client.get("/api/v1/species")
    assert response.status_code == 200
    species = {s["code"]: s for s in response.json()}
    assert len(species) >= 8
    assert species["saxaul"]["energy_grams"] == SAXAUL
    assert all(s["planting_partner"] and s["region"] and s["description"] for s in species.values())
    stages = species["saxaul"]["stages"]
    assert [s["from_grams"] for s in stages] == [0, 4475, 8950, 13425, 17900]
    for species_code in species:
        for stage in range(5):
            art = await client.get(f"/api/v1/species/{species_code}/stages/{stage}.png")
            assert art.status_code == 200
            image = Image.open(io.BytesIO(art.content))
            assert (image.size, image.mode) == ((256, 256), "RGBA")
    for path in ("saxaul/stages/5.png", "oak/stages/1.png", "saxaul/stages/x.png"):
        assert (await client.get(f"/api/v1/species/{path}")).status_code in (400, 404)


async def test_forest_shows_the_tree_growing_with_the_balance(client, players):
    ada = await players.new()
    tree = (await players.forest(ada))["tree"]
    assert (tree["species"], tree["chosen"], tree["stage"], tree["can_plant"]) == (
        "saxaul", False, 0, False
    )  # fmt: skip
    await players.grant(ada, 9_000)
    tree = (await players.forest(ada))["tree"]
    assert (tree["stage"], tree["stage_name"], tree["progress_permille"]) == (2, "sapling", 502)
    chosen = await client.put(
        "/api/v1/me/tree", json={"species": "mongolian_pine"}, headers=ada.headers
    )
    assert chosen.status_code == 200
    assert (chosen.json()["species"], chosen.json()["stage"]) == ("mongolian_pine", 0)
    await players.grant(ada, 9_000)
    tree = (await players.forest(ada))["tree"]
    assert (tree["species"], tree["chosen"], tree["balance"]) == ("mongolian_pine", True, 18_000)
    assert tree["image"] == "/api/v1/species/mongolian_pine/stages/0.png"
    assert (await client.get("/api/v1/me/tree", headers=ada.headers)).json() == tree


async def test_bad_tree_choices_change_nothing(client, players):
    ada = await players.new()
    cases = [
        ({"species": "oak"}, 404, "unknown-species"),
        ({"species": "Saxaul!"}, 400, "validation-failed"),
        ({"species": 3}, 400, "validation-failed"),
        ({}, 400, "validation-failed"),
        ({"species": "saxaul", "colour": "red"}, 400, "validation-failed"),
    ]
    for body, status, code in cases:
        response = await client.put("/api/v1/me/tree", json=body, headers=ada.headers)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    assert (await client.put("/api/v1/me/tree", json={"species": "saxaul"})).status_code == 401
    assert (await players.forest(ada))["tree"]["chosen"] is False


async def test_planting_spends_the_cost_and_allocates_a_tree(app, client, players):
    project = await set_up_project(client, players, quota=5)
    ada = await players.new(display_name="Ada Lovelace")
    await players.grant(ada, 20_000)
    planted = await plant(client, ada)
    assert planted.status_code == 201, planted.text
    tree = planted.json()
    assert (tree["species"], tree["cost"], tree["status"], tree["project_id"]) == (
        "saxaul", SAXAUL, "allocated", project["id"]
    )  # fmt: skip
    assert tree["tree_number"] == f"GS-2026-{tree['id']:07d}"
    assert [h["status"] for h in tree["history"]] == ["allocated"]
    assert await players.balance(ada) == 20_000 - SAXAUL
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=ada.headers)).json()
    assert (ledger["items"][0]["kind"], ledger["items"][0]["delta"]) == ("plant", -SAXAUL)
    mine = (await client.get("/api/v1/plantings", headers=ada.headers)).json()
    assert [p["id"] for p in mine["items"]] == [tree["id"]]
    one = await client.get(f"/api/v1/plantings/{tree['id']}", headers=ada.headers)
    assert one.json()["verification_code"] == tree["verification_code"]
    listed = (await client.get("/api/v1/planting-projects", headers=ada.headers)).json()
    assert (listed[0]["used_this_year"], listed[0]["remaining_this_year"]) == (1, 4)
    events = await events_of(app, ada.id, "planting.status")
    assert events == [
        {"planting_id": tree["id"], "status": "allocated", "version": 1,
         "tree_number": tree["tree_number"]}
    ]  # fmt: skip
    assert await reconcile() == []


async def test_planting_refusals_change_nothing(client, players):
    project = await set_up_project(client, players, quota=1)
    other = await set_up_project(client, players, species="sand_willow")
    ada, bo = await players.new(), await players.new()
    await players.grant(ada, SAXAUL - 1)
    await players.grant(bo, 3 * SAXAUL)
    cases = [
        (ada, {}, 409, "insufficient-energy"),
        (bo, {"species": "oak"}, 404, "unknown-species"),
        (bo, {"project_id": 99_999}, 404, "planting-project-not-found"),
        (bo, {"project_id": other["id"]}, 409, "planting-project-species-mismatch"),
        (bo, {"species": "desert_poplar"}, 409, "insufficient-energy"),
        (bo, {"species": "red_willow"}, 409, "planting-quota-exhausted"),
        (bo, {"project_id": 0}, 400, "validation-failed"),
        (bo, {"species": None}, 400, "validation-failed"),
        (bo, {"count": 2}, 400, "validation-failed"),
    ]
    for player, body, status, code in cases:
        response = await plant(client, player, **{"species": "saxaul", **body})
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}"), (
            body
        )
    assert await players.balance(ada) == SAXAUL - 1
    assert await players.balance(bo) == 3 * SAXAUL
    assert await Planting.all().count() == 0
    assert (await plant(client, bo)).status_code == 201
    exhausted = await plant(client, bo)
    assert exhausted.json()["type"] == "/problems/planting-quota-exhausted"
    paused = await client.patch(
        f"/api/v1/planting-projects/{project['id']}",
        json={"status": "paused", "quota_per_year": 5},
        headers=project["manager"].headers,
    )
    assert (paused.json()["status"], paused.json()["remaining_this_year"]) == ("paused", 4)
    refused = await plant(client, bo, project_id=project["id"])
    assert refused.json()["type"] == "/problems/planting-project-not-active"
    assert await players.balance(bo) == 2 * SAXAUL
    assert (await client.post("/api/v1/plantings", json={"species": "saxaul"})).status_code == 401
    assert await reconcile() == []


async def test_only_staff_manage_partners_and_projects(client, players):
    project = await set_up_project(client, players)
    ada = await players.new()
    manager = project["manager"]
    partner_body = {"name": "Somebody", "region": "CN-15"}
    project_body = {
        "name": "P", "partner_id": project["partner"]["id"], "species": "saxaul",
        "place": "Alxa", "quota_per_year": 3,
    }  # fmt: skip
    forbidden = [
        ("/api/v1/admin/planting-partners", partner_body, ada),
        ("/api/v1/admin/planting-partners", partner_body, manager),
        ("/api/v1/planting-projects", project_body, ada),
        (
            f"/api/v1/admin/planting-partners/{project['partner']['id']}/members",
            {"user_id": 1},
            ada,
        ),
    ]
    for path, body, who in forbidden:
        response = await client.post(path, json=body, headers=who.headers)
        assert (response.status_code, response.json()["type"]) == (403, "/problems/forbidden")
    bad = [
        ({**project_body, "species": "oak"}, 404, "unknown-species"),
        ({**project_body, "partner_id": 9_999}, 404, "planting-partner-not-found"),
        ({**project_body, "quota_per_year": -1}, 400, "validation-failed"),
        ({**project_body, "name": ""}, 400, "validation-failed"),
        ({**project_body, "place": "x" * 161}, 400, "validation-failed"),
    ]
    for body, status, code in bad:
        response = await client.post(
            "/api/v1/planting-projects", json=body, headers=manager.headers
        )
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    again = await client.post(
        "/api/v1/admin/planting-partners",
        json={"name": project["partner"]["name"]},
        headers=project["admin"].headers,
    )
    assert (again.status_code, again.json()["type"]) == (409, "/problems/planting-partner-exists")
    projects = (await client.get("/api/v1/planting-projects", headers=ada.headers)).json()
    assert [p["id"] for p in projects] == [project["id"]]


async def test_quota_cannot_drop_below_this_years_allocations(client, players):
    project = await set_up_project(client, players, quota=2)
    ada = await players.new()
    await players.grant(ada, 2 * SAXAUL)
    for _ in range(2):
        assert (await plant(client, ada)).status_code == 201
    path = f"/api/v1/planting-projects/{project['id']}"
    lowered = await client.patch(
        path, json={"quota_per_year": 1}, headers=project["manager"].headers
    )
    assert (lowered.status_code, lowered.json()["type"]) == (409, "/problems/quota-below-use")
    row = await ProjectYear.get(project_id=project["id"])
    assert (row.quota, row.used, row.remaining) == (2, 2, 0)
    manager = project["manager"].headers
    assert (await client.patch(path + "0", json={}, headers=manager)).status_code == 404
    too_big = await client.patch(f"/api/v1/planting-projects/{2**40}", json={}, headers=manager)
    assert too_big.status_code == 400


async def test_an_idempotent_retry_plants_once(client, players):
    await set_up_project(client, players)
    ada = await players.new()
    await players.grant(ada, 3 * SAXAUL)
    headers = {**ada.headers, "Idempotency-Key": "plant-once"}
    first = await client.post("/api/v1/plantings", json={"species": "saxaul"}, headers=headers)
    again = await client.post("/api/v1/plantings", json={"species": "saxaul"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert await players.balance(ada) == 2 * SAXAUL


async def test_others_cannot_see_my_planting(client, players):
    await set_up_project(client, players)
    ada, bo = await players.new(), await players.new()
    await players.grant(ada, SAXAUL)
    tree = (await plant(client, ada)).json()
    for path in (
        f"/api/v1/plantings/{tree['id']}",
        f"/api/v1/plantings/{tree['id']}/certificate.png",
    ):
        response = await client.get(path, headers=bo.headers)
        assert (response.status_code, response.json()["type"]) == (
            404,
            "/problems/planting-not-found",
        )
    assert (await client.get("/api/v1/plantings/0", headers=bo.headers)).status_code == 400
    assert (await client.get(f"/api/v1/plantings/{tree['id']}")).status_code == 401


async def test_certificate_is_rendered_cached_and_verifiable(client, players):
    await set_up_project(client, players)
    ada = await players.new(display_name="Ada Lovelace")
    await players.grant(ada, SAXAUL)
    tree = (await plant(client, ada)).json()
    path = f"/api/v1/plantings/{tree['id']}/certificate.png"
    cold = await client.get(path, headers=ada.headers)
    assert cold.status_code == 200
    assert (cold.headers["content-type"], cold.headers["x-render-cache"]) == ("image/png", "miss")
    image = Image.open(io.BytesIO(cold.content))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 850), "RGB")
    for box in (
        (200, 50, 1000, 110),
        (420, 235, 900, 280),
        (60, 730, 500, 770),
        (70, 220, 370, 520),
    ):
        assert_not_blank(image, box)
    warm = await client.get(path, headers=ada.headers)
    assert (warm.headers["x-render-cache"], warm.content) == ("hit", cold.content)
    code = tree["verification_code"]
    shown = await client.get(f"/api/v1/certificates/{code[:4]}-{code[4:8]}-{code[8:].lower()}")
    assert shown.status_code == 200
    body = shown.json()
    assert (body["kind"], body["names"]) == ("planting", ["Ada Lovelace"])
    assert ["Tree number", tree["tree_number"]] in body["details"]
    missing = await client.get("/api/v1/certificates/ZZZZZZZZZZZZ")
    assert (missing.status_code, missing.json()["type"]) == (404, "/problems/certificate-not-found")
    assert (await client.get("/api/v1/certificates/%3Cscript%3E")).status_code == 400


async def test_three_hundred_apply_for_a_hundred_trees(client, players):
    await set_up_project(client, players, quota=100)
    crowd = await players.many(300)
    for player in crowd:
        await players.grant(player, SAXAUL + 7)
    responses = await asyncio.gather(*(plant(client, p) for p in crowd))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 100, 409: 200}
    refused = {r.json()["type"] for r in responses if r.status_code == 409}
    assert refused == {"/problems/planting-quota-exhausted"}
    balances = [await players.balance(p) for p in crowd]
    assert Counter(balances) == {7: 100, SAXAUL + 7: 200}
    assert await Planting.all().count() == 100
    row = await ProjectYear.get()
    assert (row.used, row.remaining) == (100, 0)
    assert await reconcile() == []
