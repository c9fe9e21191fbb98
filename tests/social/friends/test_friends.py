"""Friend requests, friendships, blocks and finding players."""

from __future__ import annotations

import asyncio


async def _ask(client, sender, recipient_id=None, **body):
    payload = body or {"user_id": recipient_id}
    return await client.post("/api/v1/friends/requests", json=payload, headers=sender.headers)


async def test_ask_accept_and_list(client, players):
    ada, bo = await players.new("ada"), await players.new("bob")
    asked = await _ask(client, ada, username="BOB")
    assert asked.status_code == 201
    request = asked.json()["request"]
    assert (request["status"], request["recipient"]["username"]) == ("pending", "bob")
    incoming = (await client.get("/api/v1/friends/requests", headers=bo.headers)).json()
    outgoing = (
        await client.get(
            "/api/v1/friends/requests", params={"direction": "outgoing"}, headers=ada.headers
        )
    ).json()
    assert [r["id"] for r in incoming] == [r["id"] for r in outgoing] == [request["id"]]
    accepted = await client.post(
        f"/api/v1/friends/requests/{request['id']}/accept", headers=bo.headers
    )
    assert accepted.json()["status"] == "accepted"
    assert await players.friend_ids(ada) == [bo.id]
    assert await players.friend_ids(bo) == [ada.id]
    again = await _ask(client, ada, bo.id)
    assert (again.status_code, again.json()["type"]) == (409, "/problems/already-friends")


async def test_asking_back_makes_friends_at_once(client, players):
    ada, bo = await players.new(), await players.new()
    await _ask(client, ada, bo.id)
    mutual = await _ask(client, bo, ada.id)
    assert mutual.status_code == 200
    assert mutual.json()["became_friends"] is True
    assert await players.friend_ids(bo) == [ada.id]


async def test_decline_withdraw_and_ask_again(client, players):
    ada, bo = await players.new(), await players.new()
    first = (await _ask(client, ada, bo.id)).json()["request"]
    pending = await _ask(client, ada, bo.id)
    assert (pending.status_code, pending.json()["type"]) == (409, "/problems/request-pending")
    declined = await client.post(
        f"/api/v1/friends/requests/{first['id']}/decline", headers=bo.headers
    )
    assert declined.json()["status"] == "declined"
    late = await client.post(f"/api/v1/friends/requests/{first['id']}/accept", headers=bo.headers)
    assert (late.status_code, late.json()["type"]) == (409, "/problems/friend-request-answered")
    reopened = (await _ask(client, ada, bo.id)).json()["request"]
    withdrawn = await client.post(
        f"/api/v1/friends/requests/{reopened['id']}/decline", headers=ada.headers
    )
    assert withdrawn.json()["status"] == "cancelled"
    assert await players.friend_ids(ada) == []


async def test_only_the_recipient_accepts(client, players):
    ada, bo, chen = await players.new(), await players.new(), await players.new()
    request = (await _ask(client, ada, bo.id)).json()["request"]
    for stranger in (ada, chen):
        response = await client.post(
            f"/api/v1/friends/requests/{request['id']}/accept", headers=stranger.headers
        )
        assert response.status_code == 404
    assert await players.friend_ids(bo) == []


async def test_unfriend_ends_it_both_ways(client, players):
    ada, bo = await players.new(), await players.new()
    await players.befriend(ada, bo)
    gone = await client.delete(f"/api/v1/friends/{ada.id}", headers=bo.headers)
    assert gone.status_code == 204
    assert await players.friend_ids(ada) == []
    again = await client.delete(f"/api/v1/friends/{ada.id}", headers=bo.headers)
    assert (again.status_code, again.json()["type"]) == (403, "/problems/not-friends")


async def test_block_ends_friendship_and_stops_requests_both_ways(client, players):
    ada, bo = await players.new("ada"), await players.new("bob")
    await players.befriend(ada, bo)
    blocked = await client.post(f"/api/v1/blocks/{bo.id}", headers=ada.headers)
    assert blocked.status_code == 201
    assert await players.friend_ids(ada) == await players.friend_ids(bo) == []
    for sender, recipient in ((ada, bo), (bo, ada)):
        refused = await _ask(client, sender, recipient.id)
        assert (refused.status_code, refused.json()["type"]) == (403, "/problems/blocked")
    hidden = await client.get("/api/v1/players", params={"q": "ad"}, headers=bo.headers)
    assert hidden.json() == []
    listed = (await client.get("/api/v1/blocks", headers=ada.headers)).json()
    assert [p["id"] for p in listed] == [bo.id]
    twice = await client.post(f"/api/v1/blocks/{bo.id}", headers=ada.headers)
    assert twice.status_code == 409
    lifted = await client.delete(f"/api/v1/blocks/{bo.id}", headers=ada.headers)
    assert lifted.status_code == 204
    assert (await _ask(client, bo, ada.id)).status_code == 201
    assert (await client.delete(f"/api/v1/blocks/{bo.id}", headers=ada.headers)).status_code == 404


async def test_find_players_by_username_prefix(client, players):
    me = await players.new("searcher")
    for name in ("tree_hugger", "tree_planter", "walker"):
        await players.new(name)
    found = await client.get("/api/v1/players", params={"q": "TREE"}, headers=me.headers)
    assert [p["username"] for p in found.json()] == ["tree_hugger", "tree_planter"]
    assert set(found.json()[0]) == {"id", "username", "display_name", "region"}


async def test_simultaneous_mutual_requests_make_one_friendship(client, players):
    ada, bo = await players.new(), await players.new()
    results = await asyncio.gather(_ask(client, ada, bo.id), _ask(client, bo, ada.id))
    assert sorted(r.status_code for r in results) == [200, 201]
    assert await players.friend_ids(ada) == [bo.id]
    assert (await client.get("/api/v1/friends/requests", headers=ada.headers)).json() == []


async def test_bad_friend_input_is_refused(client, players):
    ada = await players.new()
    cases = [
        ({"user_id": ada.id}, 422, "self-target"),
        ({"user_id": 987654}, 404, "player-not-found"),
        ({"username": "nobody_here"}, 404, "player-not-found"),
        ({}, 422, "friend-target-required"),
        ({"user_id": 1, "username": "x_y_z"}, 422, "friend-target-required"),
        ({"user_id": "one"}, 400, "validation-failed"),
        ({"user_id": 0}, 400, "validation-failed"),
        ({"user_id": 2**40}, 400, "validation-failed"),
        ({"username": "a b"}, 400, "validation-failed"),
        ({"user_id": 2, "extra": True}, 400, "validation-failed"),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/friends/requests", json=body, headers=ada.headers)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}"), (
            body
        )
    for path in ("/api/v1/friends/requests/0/accept", "/api/v1/friends/requests/99999/accept"):
        assert (await client.post(path, headers=ada.headers)).status_code in (400, 404)
    assert (await client.post(f"/api/v1/blocks/{ada.id}", headers=ada.headers)).status_code == 422
    assert (await client.post("/api/v1/blocks/99999", headers=ada.headers)).status_code == 404
    for params in ({"q": ""}, {"q": "x" * 33}, {"q": "a%"}, {}):
        response = await client.get("/api/v1/players", params=params, headers=ada.headers)
        assert response.status_code == 400, params
    bad_direction = await client.get(
        "/api/v1/friends/requests", params={"direction": "sideways"}, headers=ada.headers
    )
    assert bad_direction.status_code == 400
    assert (await client.get("/api/v1/friends")).status_code == 401
    assert await players.friend_ids(ada) == []
