"""Reports, the moderators' queue, actions, the audit log and suspensions."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.events import events_of
from tests.images import jpeg, patterned

QUEUE = "/api/v1/moderation/queue"
ACTIONS = "/api/v1/moderation/actions"
AUDIT = "/api/v1/moderation/audit"


async def report(client, reporter, target_id, kind="checkin", reason="spam", **extra):
    body = {"target_kind": kind, "target_id": target_id, "reason": reason, **extra}
    return await client.post("/api/v1/reports", json=body, headers=reporter.headers)


async def act(client, moderator, action, kind, target_id, reason="per community rules", **extra):
    body = {
        "action": action,
        "target_kind": kind,
        "target_id": target_id,
        "reason": reason,
        **extra,
    }
    return await client.post(ACTIONS, json=body, headers=moderator.headers)


async def all_feeds(players, viewer, topic="green_commute"):
    return {
        "global": await players.feed_ids(viewer, "global"),
        "friends": await players.feed_ids(viewer, "friends"),
        "topic": await players.feed_ids(viewer, "topic", topic=topic),
    }


async def test_players_get_403_from_moderation_endpoints(client, players):
    ada = await players.new()
    for method, path, body in (
        ("GET", QUEUE, None),
        ("GET", AUDIT, None),
        ("POST", ACTIONS, {"action": "warn", "target_kind": "player", "target_id": ada.id,
                           "reason": "x"}),
    ):  # fmt: skip
        response = await client.request(method, path, json=body, headers=ada.headers)
        assert (response.status_code, response.json()["type"]) == (403, "/problems/forbidden")
        assert (await client.request(method, path, json=body)).status_code == 401
    assert (await client.get(AUDIT, headers=(await players.moderator()).headers)).json()[
        "items"
    ] == []


async def test_enough_reports_hide_content_everywhere_until_a_moderator_restores_it(
    app, client, players
):
    ada, bo = await players.new(), await players.new()
    reporters = [await players.new() for _ in range(3)]
    moderator = await players.moderator()
    await players.befriend(ada, bo)
    checkin = (await players.posted(ada, topic="green_commute"))["id"]
    assert await all_feeds(players, bo) == {k: [checkin] for k in ("global", "friends", "topic")}
    for n, reporter in enumerate(reporters, start=1):
        made = await report(client, reporter, checkin, reason="spam" if n < 3 else "abuse")
        assert made.status_code == 201, made.text
        hidden = n == 3
        assert (await players.feed_ids(bo)) == ([] if hidden else [checkin])
    assert await all_feeds(players, bo) == {"global": [], "friends": [], "topic": []}
    assert (await client.get(f"/api/v1/checkins/{checkin}", headers=bo.headers)).status_code == 404
    own = await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)
    assert own.json()["state"] == "hidden"
    assert (await events_of(app, ada, "moderation.action"))[0]["action"] == "hide"

    [item] = (await client.get(QUEUE, headers=moderator.headers)).json()["items"]
    assert (item["target_id"], item["report_count"], item["state"]) == (checkin, 3, "hidden")
    assert item["reasons"] == {"spam": 2, "abuse": 1}
    assert item["author"]["id"] == ada.id

    restored = await act(client, moderator, "restore", "checkin", checkin, reason="not spam")
    assert restored.status_code == 201, restored.text
    assert await all_feeds(players, bo) == {k: [checkin] for k in ("global", "friends", "topic")}
    assert (await client.get(QUEUE, headers=moderator.headers)).json()["items"] == []
    audit = (await client.get(AUDIT, headers=moderator.headers)).json()["items"]
    assert [(e["action"], e["moderator"] and e["moderator"]["id"]) for e in audit] == [
        ("restore", moderator.id),
        ("hide", None),
    ]
    assert audit[0]["reason"] == "not spam" and audit[0]["affected_user"]["id"] == ada.id


async def test_moderator_actions_on_content_show_in_the_audit_log(app, client, players):
    ada, bo = await players.new(), await players.new()
    moderator = await players.moderator()
    photo = ("p.jpg", jpeg(patterned(21)), "image/jpeg")
    checkin = await players.posted(ada, photos=[photo])
    comments = f"/api/v1/checkins/{checkin['id']}/comments"
    comment = (await client.post(comments, json={"text": "rude"}, headers=bo.headers)).json()

    assert (await act(client, moderator, "hide", "comment", comment["id"])).status_code == 201
    assert (await client.get(comments, headers=ada.headers)).json()["items"] == []
    shown = (await client.get(f"/api/v1/checkins/{checkin['id']}", headers=ada.headers)).json()
    assert shown["comment_count"] == 0
    again = await act(client, moderator, "hide", "comment", comment["id"])
    assert (again.status_code, again.json()["type"]) == (409, "/problems/already-in-that-state")

    assert (await act(client, moderator, "remove", "checkin", checkin["id"])).status_code == 201
    assert await players.feed_ids(bo) == await players.feed_ids(ada) == []
    assert (await client.get(checkin["photos"][0]["url"])).status_code == 404
    assert (await act(client, moderator, "restore", "checkin", checkin["id"])).status_code == 201
    assert (await client.get(checkin["photos"][0]["url"])).status_code == 200

    audit = (await client.get(AUDIT, headers=moderator.headers)).json()["items"]
    assert [(e["action"], e["target_kind"]) for e in audit] == [
        ("restore", "checkin"),
        ("remove", "checkin"),
        ("hide", "comment"),
    ]
    for_comment = await client.get(
        AUDIT, params={"target_kind": "comment", "target_id": comment["id"]},
        headers=moderator.headers,
    )  # fmt: skip
    assert [e["action"] for e in for_comment.json()["items"]] == ["hide"]
    told_bo = await events_of(app, bo, "moderation.action")
    assert [(e["action"], e["target_id"]) for e in told_bo] == [("hide", comment["id"])]
    first = (await client.get(AUDIT, params={"limit": 2}, headers=moderator.headers)).json()
    rest = await client.get(
        AUDIT, params={"cursor": first["next_cursor"]}, headers=moderator.headers
    )
    assert [e["action"] for e in rest.json()["items"]] == ["hide"]


async def test_a_suspended_player_cannot_post_or_comment_until_it_ends(app, client, players, clock):
    ada, bo = await players.new(), await players.new()
    moderator = await players.moderator()
    checkin = (await players.posted(bo))["id"]
    suspended = await act(client, moderator, "suspend", "player", ada.id, duration_seconds=3600)
    assert suspended.status_code == 201
    assert suspended.json()["until"] is not None
    refused = [
        await players.checkin(ada),
        await client.post(
            f"/api/v1/checkins/{checkin}/comments", json={"text": "hi"}, headers=ada.headers
        ),
    ]
    for response in refused:
        assert (response.status_code, response.json()["type"]) == (
            403,
            "/problems/account-suspended",
        )
        assert "suspended_until" in response.json()
    told = await events_of(app, ada, "moderation.action")
    assert told[-1]["action"] == "suspend" and told[-1]["until"]
    clock.advance(seconds=3601)
    # Access tokens last 15 minutes: everyone logs in again after the hour.
    ada = await players.log_in(ada.username, ada.id)
    moderator = await players.log_in(moderator.username, moderator.id)
    assert (await players.checkin(ada)).status_code == 201

    await act(client, moderator, "suspend", "player", ada.id, duration_seconds=86_400)
    assert (await players.checkin(ada)).status_code == 403
    assert (await act(client, moderator, "lift", "player", ada.id)).status_code == 201
    assert (await players.checkin(ada)).status_code == 201
    lift_again = await act(client, moderator, "lift", "player", ada.id)
    assert (lift_again.status_code, lift_again.json()["type"]) == (409, "/problems/not-suspended")
    warned = await act(client, moderator, "warn", "player", ada.id, reason="be kind")
    assert warned.status_code == 201
    audit = await client.get(AUDIT, params={"user_id": ada.id}, headers=moderator.headers)
    assert [e["action"] for e in audit.json()["items"]] == ["warn", "lift", "suspend", "suspend"]


async def test_held_checkins_wait_in_the_queue_and_queue_order_follows_reports_then_age(
    client, players
):
    ada, bo, chen, dara = [await players.new() for _ in range(4)]
    moderator = await players.moderator()
    held = (await players.posted(ada, text="Free money! Click here"))["id"]
    once = (await players.posted(ada, text="Bike"))["id"]
    twice = (await players.posted(ada, text="Bus"))["id"]
    await report(client, bo, once)
    await report(client, bo, twice)
    await report(client, chen, twice, reason="other", note="looks like an ad")
    queue = (await client.get(QUEUE, headers=moderator.headers)).json()["items"]
    assert [(i["target_id"], i["report_count"]) for i in queue] == [
        (twice, 2),
        (once, 1),
        (held, 0),
    ]
    assert queue[2]["flags"] == ["banned-words"] and queue[2]["state"] == "held"
    first = (await client.get(QUEUE, params={"limit": 1}, headers=moderator.headers)).json()
    second = await client.get(
        QUEUE, params={"limit": 2, "cursor": first["next_cursor"]}, headers=moderator.headers
    )
    assert [i["target_id"] for i in second.json()["items"]] == [once, held]
    assert await players.feed_ids(dara) == [twice, once]
    assert (await act(client, moderator, "restore", "checkin", held)).status_code == 201
    assert await players.feed_ids(dara) == [twice, once, held]


async def test_reported_comments_are_hidden_and_uncounted_until_restored(client, players):
    ada, bo = await players.new(), await players.new()
    reporters = [await players.new() for _ in range(3)]
    moderator = await players.moderator()
    checkin = (await players.posted(ada))["id"]
    url = f"/api/v1/checkins/{checkin}/comments"
    comment = (await client.post(url, json={"text": "Buy my bike"}, headers=bo.headers)).json()
    for reporter in reporters:
        made = await report(client, reporter, comment["id"], kind="comment")
        assert made.status_code == 201, made.text
    assert (await client.get(url, headers=ada.headers)).json()["items"] == []
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)).json()
    assert shown["comment_count"] == 0
    [item] = (await client.get(QUEUE, headers=moderator.headers)).json()["items"]
    assert (item["target_kind"], item["checkin_id"], item["text"]) == (
        "comment",
        checkin,
        "Buy my bike",
    )
    assert (await act(client, moderator, "restore", "comment", comment["id"])).status_code == 201
    assert [c["id"] for c in (await client.get(url, headers=ada.headers)).json()["items"]] == [
        comment["id"]
    ]
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)).json()
    assert shown["comment_count"] == 1


async def test_simultaneous_reports_hide_once(client, players):
    ada = await players.new()
    reporters = [await players.new() for _ in range(6)]
    moderator = await players.moderator()
    checkin = (await players.posted(ada))["id"]
    responses = await asyncio.gather(*(report(client, r, checkin) for r in reporters * 2))
    statuses = Counter(r.status_code for r in responses)
    # Once three reports hide it, the rest may find it gone (404) or be repeats (409).
    assert set(statuses) <= {201, 404, 409}
    assert 3 <= statuses[201] <= 6
    [item] = (await client.get(QUEUE, headers=moderator.headers)).json()["items"]
    assert item["report_count"] == statuses[201]
    audit = (await client.get(AUDIT, headers=moderator.headers)).json()["items"]
    assert [e["action"] for e in audit] == ["hide"]


async def test_bad_reports_are_refused(client, players):
    ada, bo = await players.new(), await players.new()
    checkin = (await players.posted(ada))["id"]
    cases = [
        ({"target_kind": "checkin", "target_id": checkin, "reason": "spam"}, ada, 422,
         "cannot-report-own"),
        ({"target_kind": "checkin", "target_id": 98765, "reason": "spam"}, bo, 404,
         "checkin-not-found"),
        ({"target_kind": "comment", "target_id": 98765, "reason": "spam"}, bo, 404,
         "comment-not-found"),
        ({"target_kind": "player", "target_id": ada.id, "reason": "spam"}, bo, 400,
         "validation-failed"),
        ({"target_kind": "checkin", "target_id": checkin, "reason": "boring"}, bo, 400,
         "validation-failed"),
        ({"target_kind": "checkin", "target_id": 0, "reason": "spam"}, bo, 400,
         "validation-failed"),
        ({"target_kind": "checkin", "target_id": checkin, "reason": "spam", "note": "x" * 501},
         bo, 400, "validation-failed"),
        ({"target_kind": "checkin", "target_id": checkin, "reason": "spam", "extra": 1}, bo,
         400, "validation-failed"),
    ]  # fmt: skip
    for body, reporter, status, code in cases:
        response = await client.post("/api/v1/reports", json=body, headers=reporter.headers)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    assert (await report(client, bo, checkin)).status_code == 201
    twice = await report(client, bo, checkin)
    assert (twice.status_code, twice.json()["type"]) == (409, "/problems/already-reported")
    assert (await client.post("/api/v1/reports", json={})).status_code == 401


async def test_bad_moderation_actions_are_refused_and_change_nothing(client, players):
    ada = await players.new()
    moderator, other = await players.moderator(), await players.moderator()
    checkin = (await players.posted(ada))["id"]
    cases = [
        (("hide", "player", ada.id), {}, 422, "action-not-applicable"),
        (("suspend", "checkin", checkin), {"duration_seconds": 600}, 422, "action-not-applicable"),
        (("suspend", "player", ada.id), {}, 422, "suspension-duration-required"),
        (("suspend", "player", ada.id), {"duration_seconds": 5}, 400, "validation-failed"),
        (("suspend", "player", other.id), {"duration_seconds": 600}, 403, "protected-account"),
        (("warn", "player", moderator.id), {}, 403, "protected-account"),
        (("warn", "player", 98765), {}, 404, "player-not-found"),
        (("hide", "checkin", 98765), {}, 404, "checkin-not-found"),
        (("hide", "comment", 98765), {}, 404, "comment-not-found"),
        (("restore", "checkin", checkin), {}, 409, "already-in-that-state"),
        (("ban", "player", ada.id), {}, 400, "validation-failed"),
        (("warn", "player", ada.id), {"reason": ""}, 400, "validation-failed"),
    ]
    for (action, kind, target), extra, status, code in cases:
        response = await act(client, moderator, action, kind, target, **extra)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    bad_queries = [{"limit": 0}, {"target_kind": "planet"}, {"user_id": 0}, {"cursor": "x" * 65}]
    for params in bad_queries:
        response = await client.get(AUDIT, params=params, headers=moderator.headers)
        assert response.status_code == 400, params
    forged = await client.get(QUEUE, params={"cursor": "bm9wZQ"}, headers=moderator.headers)
    assert (forged.status_code, forged.json()["type"]) == (422, "/problems/invalid-cursor")
    assert (await client.get(AUDIT, headers=moderator.headers)).json()["items"] == []
    assert await players.feed_ids(ada) == [checkin]
    assert (await players.checkin(ada)).status_code == 201
