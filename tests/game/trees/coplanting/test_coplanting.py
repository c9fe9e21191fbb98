"""Co-planting: friends fund one tree; every contributor is named; cancelling refunds exactly."""

from __future__ import annotations

import asyncio
import io
from collections import Counter

from PIL import Image

from app.domains import reconcile
from game.trees.coplanting.models import CoPlantingContribution
from game.trees.plantings.models import Planting
from game.trees.projects.models import ProjectYear
from tests.game.trees.test_trees import SAXAUL, assert_not_blank, events_of, set_up_project


async def start(client, starter, invite, species="saxaul", **body):
    return await client.post(
        "/api/v1/coplantings",
        json={"species": species, "invite": invite, **body},
        headers=starter.headers,
    )


async def give(client, player, coplanting_id, grams):
    return await client.post(
        f"/api/v1/coplantings/{coplanting_id}/contribute", json={"grams": grams},
        headers=player.headers,
    )  # fmt: skip


async def friends_of(players, starter, count, grams):
    """`count` friends of the starter, each with `grams` of energy."""
    friends = [await players.new() for _ in range(count)]
    for friend in friends:
        await players.befriend(starter, friend)
        await players.grant(friend, grams)
    return friends


async def test_friends_fund_a_tree_together(app, client, players):
    project = await set_up_project(client, players, quota=3)
    ada = await players.new(display_name="Ada")
    await players.grant(ada, 6_000)
    bo, chen = await friends_of(players, ada, 2, 10_000)
    started = await start(client, ada, [bo.id, chen.id])
    assert started.status_code == 201, started.text
    tree = started.json()
    assert (tree["cost"], tree["funded"], tree["missing"], tree["status"]) == (
        SAXAUL, 0, SAXAUL, "open"
    )  # fmt: skip
    assert [m["user_id"] for m in tree["members"]] == [ada.id, bo.id, chen.id]
    assert (await events_of(app, bo.id, "coplanting.invited"))[0]["coplanting_id"] == tree["id"]
    assert (await ProjectYear.get(project_id=project["id"])).remaining == 2
    for player, grams, taken in ((ada, 6_000, 6_000), (bo, 6_000, 6_000), (chen, 10_000, 5_900)):
        response = await give(client, player, tree["id"], grams)
        assert response.status_code == 200, response.text
        assert response.json()["contributed"] == taken
    done = response.json()["coplanting"]
    assert (done["status"], done["funded"], done["missing"]) == ("planted", SAXAUL, 0)
    assert [m["contributed"] for m in done["members"]] == [6_000, 6_000, 5_900]
    assert [await players.balance(p) for p in (ada, bo, chen)] == [0, 4_000, 4_100]
    planting_id = done["planting_id"]
    for player in (ada, bo, chen):
        seen = await client.get(f"/api/v1/plantings/{planting_id}", headers=player.headers)
        assert seen.json()["coplanting_id"] == tree["id"]
        assert (await events_of(app, player.id, "planting.status"))[0]["planting_id"] == planting_id
    certificate = await client.get(
        f"/api/v1/plantings/{planting_id}/certificate.png", headers=chen.headers
    )
    image = Image.open(io.BytesIO(certificate.content))
    assert_not_blank(image, (420, 235, 1100, 280))
    code = (await client.get(f"/api/v1/plantings/{planting_id}", headers=ada.headers)).json()
    public = (await client.get(f"/api/v1/certificates/{code['verification_code']}")).json()
    assert sorted(public["names"]) == sorted(["Ada", bo.username, chen.username])
    late = await give(client, bo, tree["id"], 10)
    assert (late.status_code, late.json()["type"]) == (409, "/problems/coplanting-closed")
    assert (await ProjectYear.get(project_id=project["id"])).used == 1
    assert await reconcile() == []


async def test_cancelling_refunds_every_contributor_exactly(app, client, players):
    project = await set_up_project(client, players, quota=1)
    ada = await players.new()
    await players.grant(ada, 5_000)
    bo, chen = await friends_of(players, ada, 2, 3_000)
    tree = (await start(client, ada, [bo.id, chen.id])).json()
    assert (await ProjectYear.get(project_id=project["id"])).remaining == 0
    for player, grams in ((ada, 5_000), (bo, 1_000), (bo, 2_000), (chen, 1)):
        assert (await give(client, player, tree["id"], grams)).status_code == 200
    not_starter = await client.post(f"/api/v1/coplantings/{tree['id']}/cancel", headers=bo.headers)
    assert (not_starter.status_code, not_starter.json()["type"]) == (
        403, "/problems/not-the-coplanting-starter"
    )  # fmt: skip
    cancelled = await client.post(f"/api/v1/coplantings/{tree['id']}/cancel", headers=ada.headers)
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["funded"]) == ("cancelled", 0)
    assert [await players.balance(p) for p in (ada, bo, chen)] == [5_000, 3_000, 3_000]
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=bo.headers)).json()
    assert [(e["kind"], e["delta"]) for e in ledger["items"][:2]] == [
        ("coplant_refund", 2_000), ("coplant_refund", 1_000)
    ]  # fmt: skip
    assert await CoPlantingContribution.filter(refunded=False).count() == 0
    assert (await ProjectYear.get(project_id=project["id"])).remaining == 1
    again = await client.post(f"/api/v1/coplantings/{tree['id']}/cancel", headers=ada.headers)
    assert again.json()["type"] == "/problems/coplanting-closed"
    assert (await give(client, chen, tree["id"], 5)).status_code == 409
    assert await events_of(app, chen.id, "coplanting.cancelled") == [{"coplanting_id": tree["id"]}]
    assert await reconcile() == []


async def test_bad_coplanting_requests_change_nothing(client, players):
    await set_up_project(client, players, quota=1)
    ada = await players.new()
    await players.grant(ada, 100)
    (bo,) = await friends_of(players, ada, 1, 50)
    stranger = await players.new()
    cases = [
        ({"invite": [stranger.id]}, 403, "not-friends"),
        ({"invite": [ada.id]}, 422, "invalid-coplanting-invitation"),
        ({"invite": []}, 400, "validation-failed"),
        ({"invite": [bo.id], "species": "oak"}, 404, "unknown-species"),
        ({"invite": [bo.id], "species": "red_willow"}, 409, "planting-quota-exhausted"),
        ({"invite": [bo.id], "project_id": 77}, 404, "planting-project-not-found"),
        ({"invite": ["bo"]}, 400, "validation-failed"),
        ({"invite": list(range(1, 23))}, 400, "validation-failed"),
        ({"invite": [bo.id], "grams": 5}, 400, "validation-failed"),
    ]
    for body, status, code in cases:
        response = await start(client, ada, **{"species": "saxaul", **body})
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}"), (
            body
        )
    assert (await client.get("/api/v1/coplantings", headers=ada.headers)).json() == []
    tree = (await start(client, ada, [bo.id])).json()
    contributions = [
        (bo, tree["id"], 51, 409, "insufficient-energy"),
        (stranger, tree["id"], 10, 404, "coplanting-not-found"),
        (bo, 99_999, 10, 404, "coplanting-not-found"),
        (bo, tree["id"], 0, 400, "validation-failed"),
        (bo, tree["id"], -5, 400, "validation-failed"),
        (bo, tree["id"], "ten", 400, "validation-failed"),
    ]
    for who, coplanting_id, grams, status, code in contributions:
        response = await give(client, who, coplanting_id, grams)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    hidden = await client.get(f"/api/v1/coplantings/{tree['id']}", headers=stranger.headers)
    assert hidden.status_code == 404
    assert (await client.post(f"/api/v1/coplantings/{tree['id']}/cancel")).status_code == 401
    shown = (await client.get(f"/api/v1/coplantings/{tree['id']}", headers=bo.headers)).json()
    assert (shown["funded"], [await players.balance(p) for p in (ada, bo)]) == (0, [100, 50])
    assert await reconcile() == []


async def test_simultaneous_contributions_fund_exactly_one_tree(client, players):
    await set_up_project(client, players, quota=5)
    ada = await players.new()
    friends = await friends_of(players, ada, 20, 1_000)
    tree = (await start(client, ada, [f.id for f in friends])).json()
    responses = await asyncio.gather(*(give(client, f, tree["id"], 1_000) for f in friends))
    statuses = Counter(r.status_code for r in responses)
    taken = sorted(r.json()["contributed"] for r in responses if r.status_code == 200)
    assert statuses == {200: 18, 409: 2} and sum(taken) == SAXAUL
    assert taken[0] == 900 and await Planting.filter(coplanting_id=tree["id"]).count() == 1
    spent = sum([1_000 - await players.balance(f) for f in friends])
    assert spent == SAXAUL
    assert await reconcile() == []


async def test_cancel_racing_contributions_leaves_no_gram_behind(client, players):
    await set_up_project(client, players, quota=5)
    ada = await players.new()
    # Together they cannot fund the tree, so the cancellation always wins in the end.
    friends = await friends_of(players, ada, 12, 1_000)
    tree = (await start(client, ada, [f.id for f in friends])).json()
    cancel = client.post(f"/api/v1/coplantings/{tree['id']}/cancel", headers=ada.headers)
    results = await asyncio.gather(cancel, *(give(client, f, tree["id"], 1_000) for f in friends))
    assert results[0].status_code == 200
    assert {r.status_code for r in results[1:]} <= {200, 409}
    assert [await players.balance(f) for f in friends] == [1_000] * 12
    assert await reconcile() == []
