"""Protected areas adopted by the square metre; donations matched by a sponsor's pool."""

from __future__ import annotations

import asyncio
import io
from collections import Counter

import pytest
from PIL import Image

from app.domains import reconcile
from game.trees.welfare.models import Adoption, Donation, ProtectedArea, WelfareProject
from tests.game.trees.test_trees import assert_not_blank


@pytest.fixture
def settings(settings):
    """Crowds of players log in from one test address: lift the per-address login limit."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})


AREA = {
    "name": "Snow leopard range",
    "place": "Sanjiangyuan, Qinghai",
    "steward": "Shan Shui Conservation Center",
    "price_grams_per_m2": 50,
    "total_m2": 100,
    "region": "CN-63",
}
WELFARE = {
    "name": "Solar backpacks",
    "beneficiary": "Children in high-altitude schools",
    "sponsor": "Green Sponsor Ltd",
    "match_budget": 1_000,
}


async def open_area(client, players, **body):
    manager = await players.staff("campaign_manager")
    made = await client.post(
        "/api/v1/protected-areas", json={**AREA, **body}, headers=manager.headers
    )
    assert made.status_code == 201, made.text
    return manager, made.json()


async def open_welfare(client, players, **body):
    manager = await players.staff("campaign_manager")
    made = await client.post(
        "/api/v1/welfare-projects", json={**WELFARE, **body}, headers=manager.headers
    )
    assert made.status_code == 201, made.text
    return manager, made.json()


async def adopt(client, player, area_id, square_metres):
    return await client.post(
        f"/api/v1/protected-areas/{area_id}/adopt", json={"square_metres": square_metres},
        headers=player.headers,
    )  # fmt: skip


async def donate(client, player, project_id, grams):
    return await client.post(
        f"/api/v1/welfare-projects/{project_id}/donate", json={"grams": grams},
        headers=player.headers,
    )  # fmt: skip


async def test_players_adopt_square_metres_with_totals_per_area_and_player(client, players):
    _, area = await open_area(client, players)
    ada, bo = await players.new(), await players.new()
    await players.grant(ada, 1_000)
    await players.grant(bo, 1_000)
    first = await adopt(client, ada, area["id"], 3)
    assert first.status_code == 201, first.text
    assert (first.json()["square_metres"], first.json()["grams"]) == (3, 150)
    assert (await adopt(client, ada, area["id"], 2)).status_code == 201
    assert (await adopt(client, bo, area["id"], 10)).status_code == 201
    listed = (await client.get("/api/v1/protected-areas", headers=ada.headers)).json()
    assert [(a["sold_m2"], a["remaining_m2"], a["adopters"], a["mine_m2"]) for a in listed] == [
        (15, 85, 2, 5)
    ]
    mine = (await client.get("/api/v1/me/adoptions", headers=ada.headers)).json()
    assert (mine["total_m2"], mine["total_grams"], mine["areas"][0]["square_metres"]) == (
        5, 250, 5
    )  # fmt: skip
    assert [await players.balance(p) for p in (ada, bo)] == [750, 500]
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=bo.headers)).json()
    assert (ledger["items"][0]["kind"], ledger["items"][0]["delta"]) == ("adopt", -500)
    one = await client.get(f"/api/v1/protected-areas/{area['id']}", headers=bo.headers)
    assert one.json()["mine_m2"] == 10
    assert await reconcile() == []


async def test_bad_adoptions_change_nothing(client, players):
    manager, area = await open_area(client, players, total_m2=10)
    ada, rich = await players.new(), await players.new()
    await players.grant(ada, 400)
    await players.grant(rich, 1_000)
    sold_out = await adopt(client, rich, area["id"], 11)
    assert (sold_out.status_code, sold_out.json()["type"]) == (
        409, "/problems/protected-area-sold-out"
    )  # fmt: skip
    assert sold_out.json()["remaining_m2"] == 10
    cases = [
        (99_999, 1, 404, "protected-area-not-found"),
        (2**40, 1, 400, "validation-failed"),
        (area["id"], 11, 409, "insufficient-energy"),
        (area["id"], 9, 409, "insufficient-energy"),
        (area["id"], 0, 400, "validation-failed"),
        (area["id"], -1, 400, "validation-failed"),
        (area["id"], "two", 400, "validation-failed"),
        (area["id"], 1.5, 400, "validation-failed"),
    ]
    for area_id, square_metres, status, code in cases:
        response = await adopt(client, ada, area_id, square_metres)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    closed = await client.patch(
        f"/api/v1/protected-areas/{area['id']}", json={"status": "closed"}, headers=manager.headers
    )
    assert closed.json()["status"] == "closed"
    refused = await adopt(client, ada, area["id"], 1)
    assert (refused.status_code, refused.json()["type"]) == (409, "/problems/protected-area-closed")
    bad_areas = [
        ({**AREA, "price_grams_per_m2": 0}, manager, 400),
        ({**AREA, "total_m2": -5}, manager, 400),
        ({**AREA, "name": " padded"}, manager, 400),
        ({**AREA, "extra": 1}, manager, 400),
        (AREA, ada, 403),
    ]
    for body, who, status in bad_areas:
        made = await client.post("/api/v1/protected-areas", json=body, headers=who.headers)
        assert made.status_code == status, body
    patched = await client.patch(
        f"/api/v1/protected-areas/{area['id']}", json={"status": "gone"}, headers=manager.headers
    )
    assert patched.status_code == 400
    assert (await client.get("/api/v1/protected-areas")).status_code == 401
    assert [await players.balance(p) for p in (ada, rich)] == [400, 1_000]
    assert (await Adoption.all().count(), await ProtectedArea.all().count()) == (0, 1)


async def test_three_hundred_adopters_for_the_last_hundred_square_metres(client, players):
    _, area = await open_area(client, players, total_m2=160)
    first = await players.new()
    await players.grant(first, 3_000)
    assert (await adopt(client, first, area["id"], 60)).status_code == 201
    crowd = await players.many(300)
    for player in crowd:
        await players.grant(player, 80)
    responses = await asyncio.gather(*(adopt(client, p, area["id"], 1) for p in crowd))
    assert Counter(r.status_code for r in responses) == {201: 100, 409: 200}
    assert {r.json()["type"] for r in responses if r.status_code == 409} == {
        "/problems/protected-area-sold-out"
    }
    assert Counter([await players.balance(p) for p in crowd]) == {30: 100, 80: 200}
    stored = await ProtectedArea.get(id=area["id"])
    assert (stored.sold_m2, stored.remaining_m2) == (160, 0)
    assert await reconcile() == []


async def test_donations_are_matched_until_the_pool_is_spent(client, players):
    _, project = await open_welfare(client, players)
    ada, bo, chen = await players.new("ada"), await players.new("bob"), await players.new("chen")
    for player in (ada, bo, chen):
        await players.grant(player, 1_000)
    matched = []
    for player, grams in ((ada, 600), (bo, 600), (chen, 100)):
        response = await donate(client, player, project["id"], grams)
        assert response.status_code == 201, response.text
        matched.append(response.json()["matched"])
    assert matched == [600, 400, 0]
    shown = (await client.get("/api/v1/welfare-projects", headers=ada.headers)).json()[0]
    assert (shown["raised"], shown["match_spent"], shown["match_remaining"]) == (1_300, 1_000, 0)
    assert [await players.balance(p) for p in (ada, bo, chen)] == [400, 400, 900]
    mine = (await client.get("/api/v1/me/donations", headers=bo.headers)).json()
    assert [(d["grams"], d["matched"]) for d in mine] == [(600, 400)]
    certificate = await client.get(mine[0]["certificate"], headers=bo.headers)
    assert certificate.headers["x-render-cache"] == "miss"
    image = Image.open(io.BytesIO(certificate.content))
    assert (image.size, image.mode) == ((1200, 850), "RGB")
    for box in ((200, 50, 1000, 110), (420, 235, 700, 280), (60, 730, 500, 770)):
        assert_not_blank(image, box)
    again = await client.get(mine[0]["certificate"], headers=bo.headers)
    assert again.headers["x-render-cache"] == "hit"
    other = await client.get(mine[0]["certificate"], headers=ada.headers)
    assert (other.status_code, other.json()["type"]) == (404, "/problems/donation-not-found")
    public = (await client.get(f"/api/v1/certificates/{mine[0]['verification_code']}")).json()
    assert (public["kind"], public["names"]) == ("donation", ["bob"])
    assert ["Matched by", "Green Sponsor Ltd: 400 g"] in public["details"]
    assert await reconcile() == []


async def test_bad_donations_change_nothing(client, players):
    manager, project = await open_welfare(client, players)
    ada = await players.new()
    await players.grant(ada, 50)
    cases = [
        (99_999, 10, 404, "welfare-project-not-found"),
        (2**40, 10, 400, "validation-failed"),
        (project["id"], 51, 409, "insufficient-energy"),
        (project["id"], 0, 400, "validation-failed"),
        (project["id"], "ten", 400, "validation-failed"),
        (project["id"], 10**9, 400, "validation-failed"),
    ]
    for project_id, grams, status, code in cases:
        response = await donate(client, ada, project_id, grams)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    closed = await client.patch(
        f"/api/v1/welfare-projects/{project['id']}", json={"status": "closed"},
        headers=manager.headers,
    )  # fmt: skip
    assert closed.json()["status"] == "closed"
    refused = await donate(client, ada, project["id"], 10)
    assert (refused.status_code, refused.json()["type"]) == (
        409,
        "/problems/welfare-project-closed",
    )
    for body, who, status in (
        ({**WELFARE, "match_budget": -1}, manager, 400),
        ({**WELFARE, "beneficiary": ""}, manager, 400),
        (WELFARE, ada, 403),
    ):
        made = await client.post("/api/v1/welfare-projects", json=body, headers=who.headers)
        assert made.status_code == status
    missing = await client.patch(
        "/api/v1/welfare-projects/4242", json={"status": "open"}, headers=manager.headers
    )
    assert missing.status_code == 404
    assert (
        await client.get("/api/v1/donations/1/certificate.png", headers=ada.headers)
    ).status_code == 404
    assert await players.balance(ada) == 50
    assert await Donation.all().count() == 0
    stored = await WelfareProject.get(id=project["id"])
    assert (stored.raised, stored.match_spent, stored.match_remaining) == (0, 0, 1_000)


async def test_three_hundred_donors_race_for_the_last_of_the_matching_budget(client, players):
    _, project = await open_welfare(client, players, match_budget=1_005)
    crowd = await players.many(300)
    for player in crowd:
        await players.grant(player, 10)
    responses = await asyncio.gather(*(donate(client, p, project["id"], 10) for p in crowd))
    assert Counter(r.status_code for r in responses) == {201: 300}
    assert Counter(r.json()["matched"] for r in responses) == {10: 100, 5: 1, 0: 199}
    stored = await WelfareProject.get(id=project["id"])
    assert (stored.raised, stored.match_spent, stored.match_remaining) == (3_000, 1_005, 0)
    assert [await players.balance(p) for p in crowd] == [0] * 300
    assert await reconcile() == []


async def test_forest_share_card_shows_what_the_energy_did(client, players):
    _, area = await open_area(client, players)
    _, project = await open_welfare(client, players)
    ada, bo = await players.new(display_name="Ada"), await players.new()
    await players.grant(ada, 10_000)
    assert (await adopt(client, ada, area["id"], 4)).status_code == 201
    assert (await donate(client, ada, project["id"], 300)).status_code == 201
    path = f"/api/v1/forest/{ada.id}/card.png"
    seen = await client.get(path, headers=bo.headers)
    assert (seen.status_code, seen.headers["x-render-cache"]) == (200, "miss")
    image = Image.open(io.BytesIO(seen.content))
    assert (image.format, image.size, image.mode) == ("PNG", (800, 800), "RGB")
    for box in (
        (150, 45, 650, 95),
        (150, 465, 650, 495),
        (120, 580, 700, 740),
        (230, 150, 570, 450),
    ):
        assert_not_blank(image, box)
    again = await client.get(path, headers=ada.headers)
    assert (again.headers["x-render-cache"], again.content) == ("hit", seen.content)
    await players.grant(ada, 5_000)
    grown = await client.get(path, headers=ada.headers)
    assert grown.headers["x-render-cache"] == "miss" and grown.content != seen.content
    assert (
        await client.get("/api/v1/forest/99999/card.png", headers=bo.headers)
    ).status_code == 404
    too_big = await client.get(f"/api/v1/forest/{2**40}/card.png", headers=bo.headers)
    assert too_big.status_code == 400
    await client.post(f"/api/v1/blocks/{bo.id}", headers=ada.headers)
    blocked = await client.get(path, headers=bo.headers)
    assert (blocked.status_code, blocked.json()["type"]) == (404, "/problems/player-not-found")
    assert (await client.get(path)).status_code == 401
