"""Feeds (friends, global, topic), likes and comments, with their live events."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.events import events_of


async def page(client, player, **params):
    response = await client.get("/api/v1/feed", params=params, headers=player.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_global_feed_is_newest_first_with_cursor_pages(client, players):
    ada = await players.new()
    posted = [(await players.posted(ada, text=f"day {i}"))["id"] for i in range(5)]
    first = await page(client, ada, scope="global", limit=2)
    assert [c["id"] for c in first["items"]] == posted[::-1][:2]
    second = await page(client, ada, scope="global", limit=2, cursor=first["next_cursor"])
    third = await page(client, ada, scope="global", limit=2, cursor=second["next_cursor"])
    seen = [c["id"] for p in (first, second, third) for c in p["items"]]
    assert seen == posted[::-1]
    assert third["next_cursor"] is None


async def test_friends_feed_holds_friends_and_me_only(client, players):
    ada, bo, chen = await players.new(), await players.new(), await players.new()
    await players.befriend(ada, bo)
    mine = (await players.posted(ada))["id"]
    friends = (await players.posted(bo))["id"]
    await players.posted(chen)
    assert await players.feed_ids(ada, "friends") == [friends, mine]
    assert len(await players.feed_ids(ada, "global")) == 3


async def test_topic_feed_holds_one_topic(client, players):
    ada = await players.new()
    bike = (await players.posted(ada, topic="green_commute"))["id"]
    await players.posted(ada, topic="recycling")
    assert await players.feed_ids(ada, "topic", topic="green_commute") == [bike]
    missing = await client.get("/api/v1/feed", params={"scope": "topic"}, headers=ada.headers)
    assert (missing.status_code, missing.json()["type"]) == (422, "/problems/topic-required")
    unknown = await client.get(
        "/api/v1/feed", params={"scope": "topic", "topic": "mars"}, headers=ada.headers
    )
    assert (unknown.status_code, unknown.json()["type"]) == (422, "/problems/unknown-topic")


async def test_blocked_players_vanish_from_feeds_and_comments_both_ways(client, players):
    ada, bo, chen = await players.new(), await players.new(), await players.new()
    adas = (await players.posted(ada))["id"]
    bos = (await players.posted(bo))["id"]
    chens = (await players.posted(chen))["id"]
    await client.post(f"/api/v1/checkins/{chens}/comments", json={"text": "hi"}, headers=bo.headers)
    await client.post(f"/api/v1/blocks/{bo.id}", headers=ada.headers)
    assert await players.feed_ids(ada) == [chens, adas]
    assert await players.feed_ids(bo) == [chens, bos]
    comments = await client.get(f"/api/v1/checkins/{chens}/comments", headers=ada.headers)
    assert comments.json()["items"] == []
    for viewer, other in ((ada, bos), (bo, adas)):
        hidden = await client.get(f"/api/v1/checkins/{other}", headers=viewer.headers)
        assert (hidden.status_code, hidden.json()["type"]) == (404, "/problems/checkin-not-found")


async def test_likes_count_once_and_tell_the_author(app, client, players):
    ada, bo = await players.new(), await players.new()
    checkin = (await players.posted(ada))["id"]
    url = f"/api/v1/checkins/{checkin}/like"
    first = await client.post(url, headers=bo.headers)
    assert (first.status_code, first.json()) == (
        201,
        {"checkin_id": checkin, "liked": True, "like_count": 1},
    )
    again = await client.post(url, headers=bo.headers)
    assert (again.status_code, again.json()["like_count"]) == (200, 1)
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=bo.headers)).json()
    assert (shown["like_count"], shown["liked_by_me"]) == (1, True)
    assert await events_of(app, ada, "post.liked") == [
        {"checkin_id": checkin, "by_user_id": bo.id, "by_name": bo.username, "like_count": 1}
    ]
    taken_back = await client.delete(url, headers=bo.headers)
    assert taken_back.json() == {"checkin_id": checkin, "liked": False, "like_count": 0}
    assert (await client.delete(url, headers=bo.headers)).json()["like_count"] == 0


async def test_simultaneous_likes_count_exactly(client, players):
    ada = await players.new()
    fans = [await players.new() for _ in range(8)]
    checkin = (await players.posted(ada))["id"]
    url = f"/api/v1/checkins/{checkin}/like"
    twice_each = [client.post(url, headers=fan.headers) for fan in fans for _ in range(2)]
    responses = await asyncio.gather(*twice_each)
    assert Counter(r.status_code for r in responses) == {201: 8, 200: 8}
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)).json()
    assert shown["like_count"] == 8
    unlikes = await asyncio.gather(*(client.delete(url, headers=f.headers) for f in fans * 2))
    assert all(r.status_code == 200 for r in unlikes)
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)).json()
    assert shown["like_count"] == 0


async def test_comments_are_listed_oldest_first_and_tell_the_author(app, client, players):
    ada, bo = await players.new(), await players.new()
    checkin = (await players.posted(ada))["id"]
    url = f"/api/v1/checkins/{checkin}/comments"
    ids = []
    for text in ("Nice ride!", "Which route?", "See you there"):
        made = await client.post(url, json={"text": text}, headers=bo.headers)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    first = (await client.get(url, params={"limit": 2}, headers=ada.headers)).json()
    rest = (
        await client.get(url, params={"cursor": first["next_cursor"]}, headers=ada.headers)
    ).json()
    assert [c["id"] for c in first["items"] + rest["items"]] == ids
    assert first["items"][0]["author"]["id"] == bo.id
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)).json()
    assert shown["comment_count"] == 3
    told = await events_of(app, ada, "post.commented")
    assert [e["comment_id"] for e in told] == ids
    assert {e["by_name"] for e in told} == {bo.username}


async def test_a_comment_with_banned_words_is_held_for_its_author_only(client, players):
    ada, bo = await players.new(), await players.new()
    checkin = (await players.posted(ada))["id"]
    url = f"/api/v1/checkins/{checkin}/comments"
    held = await client.post(url, json={"text": "Get CHEAP   followers here"}, headers=bo.headers)
    assert (held.status_code, held.json()["state"]) == (201, "held")
    fine = await client.post(url, json={"text": "Cheapest ride ever"}, headers=bo.headers)
    assert fine.json()["state"] == "visible"
    assert [c["id"] for c in (await client.get(url, headers=bo.headers)).json()["items"]] == [
        held.json()["id"],
        fine.json()["id"],
    ]
    assert [c["id"] for c in (await client.get(url, headers=ada.headers)).json()["items"]] == [
        fine.json()["id"]
    ]


async def test_a_checkin_with_banned_words_is_held_for_its_author_only(client, players):
    ada, bo = await players.new(), await players.new()
    await players.befriend(ada, bo)
    held = await players.posted(ada, text="Crypto giveaway, click here")
    assert held["state"] == "held"
    assert await players.feed_ids(ada) == [held["id"]]
    assert await players.feed_ids(bo) == await players.feed_ids(bo, "friends") == []
    hidden = await client.get(f"/api/v1/checkins/{held['id']}", headers=bo.headers)
    assert hidden.status_code == 404


async def test_bad_feed_like_and_comment_input_is_refused(client, players, settings):
    ada = await players.new()
    checkin = (await players.posted(ada))["id"]
    bad_feeds = [
        {"scope": "everyone"},
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"cursor": "x" * 65},
    ]
    for params in bad_feeds:
        response = await client.get("/api/v1/feed", params=params, headers=ada.headers)
        assert response.status_code == 400, params
    forged = await client.get("/api/v1/feed", params={"cursor": "bm9wZQ"}, headers=ada.headers)
    assert (forged.status_code, forged.json()["type"]) == (422, "/problems/invalid-cursor")
    url = f"/api/v1/checkins/{checkin}/comments"
    comment_cases = [
        ({"text": ""}, 400, "validation-failed"),
        ({"text": "   "}, 422, "empty-text"),
        ({"text": "x" * (settings.comment_text_max + 1)}, 422, "text-too-long"),
        ({"text": 5}, 400, "validation-failed"),
        ({"text": "hi", "extra": 1}, 400, "validation-failed"),
    ]
    for body, status, code in comment_cases:
        response = await client.post(url, json=body, headers=ada.headers)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    for method, path in (
        ("POST", "/api/v1/checkins/987654/like"),
        ("DELETE", "/api/v1/checkins/987654/like"),
        ("POST", "/api/v1/checkins/987654/comments"),
        ("GET", "/api/v1/checkins/987654/comments"),
    ):
        body = {"text": "hi"} if method == "POST" else None
        response = await client.request(method, path, json=body, headers=ada.headers)
        assert (response.status_code, response.json()["type"]) == (
            404,
            "/problems/checkin-not-found",
        )
    for path in ("/api/v1/feed", f"/api/v1/checkins/{checkin}", url):
        assert (await client.get(path)).status_code == 401
    assert (await client.get(url, headers=ada.headers)).json()["items"] == []
