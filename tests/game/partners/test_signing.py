"""The gate of the partner API: every refusal answers a problem, is audited, and credits nothing."""

from __future__ import annotations

from pathlib import Path

import orjson
from redis.asyncio import Redis

from app.domains import reconcile
from game.carbon.models import Action
from game.partners import metrics
from game.partners.gate.models import PartnerCall
from game.partners.gate.signing import sign
from tests.servers import free_port

ACTIONS = "/api/v1/partner/actions"


async def _nothing_credited(client, player) -> None:
    carbon = (await client.get("/api/v1/me/carbon", headers=player.headers)).json()
    assert carbon["totals"]["all"] == 0
    assert await Action.all().count() == 0
    assert await reconcile() == []


async def test_a_signed_batch_is_credited_and_audited(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    sent = await partners.actions(metro, [partners.item("card-ada", quantity="10")])
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["counts"] == {"credited": 1}
    item = body["items"][0]
    assert (item["status"], item["grams"]) == ("credited", 429)
    forest = await players.forest(ada)
    assert [b["id"] for b in forest["bubbles"]] == [item["bubble_id"]]
    call = await PartnerCall.get(id=body["call_id"])
    assert (call.platform_id, call.key_id, call.outcome) == (metro.id, metro.key_id, "ok")
    assert (call.items, call.counts, call.grams) == (1, {"credited": 1}, 429)
    assert call.signature is not None and call.signed_at is not None
    assert await reconcile() == []


async def test_every_refusal_of_the_gate_changes_nothing(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro", requests_per_minute=1000)
    await partners.link(ada, metro, "card-ada")
    payload = orjson.dumps({"items": [partners.item("card-ada")]})
    now = int(clock.now().timestamp())
    good = partners.headers(metro, ACTIONS, payload)

    async def refused(headers, status, code, content=payload, path=ACTIONS):
        response = await client.post(path, content=content, headers=headers)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == f"/problems/{code}"
        return response

    for missing in ("Greenspark-Key-Id", "Greenspark-Timestamp", "Greenspark-Signature"):
        await refused(
            {k: v for k, v in good.items() if k != missing}, 401, "partner-signature-missing"
        )
    await refused({**good, "Greenspark-Timestamp": "yesterday"}, 401, "partner-signature-missing")
    await refused({**good, "Greenspark-Signature": "abc"}, 401, "partner-signature-missing")
    # A wrong secret, a body changed after signing, a path other than the one signed.
    await refused(
        partners.headers(metro, ACTIONS, payload, secret="pss_guess"), 401, "bad-signature"
    )
    tampered = payload.replace(b'"10"', b'"80"')
    await refused(good, 401, "bad-signature", content=tampered)
    other_path = partners.headers(metro, "/api/v1/partner/meter-readings", payload)
    await refused(other_path, 401, "bad-signature")
    # Stale and future timestamps, each correctly signed.
    stale = partners.headers(metro, ACTIONS, payload, timestamp=now - 301)
    await refused(stale, 401, "partner-timestamp-out-of-window")
    ahead = partners.headers(metro, ACTIONS, payload, timestamp=now + 301)
    await refused(ahead, 401, "partner-timestamp-out-of-window")
    await refused(partners.headers(metro, ACTIONS, payload, key_id="pk_nobody"), 401,
                  "unknown-partner-key")  # fmt: skip
    # A batch over the limit, a body that is not a batch, a scenario the partner may not report.
    too_many = orjson.dumps({"items": [partners.item("card-ada")] * 501})
    await refused(partners.headers(metro, ACTIONS, too_many), 422, "batch-too-large", too_many)
    for bad in (b"{", b"[]", b'{"items": 3}', b'{"items": [], "extra": 1}'):
        await refused(partners.headers(metro, ACTIONS, bad), 400, "malformed-batch", bad)
    foreign = orjson.dumps({"items": [partners.item("card-ada", scenario="reusable_cup")]})
    response = await refused(partners.headers(metro, ACTIONS, foreign), 403,
                             "scenario-not-allowed", foreign)  # fmt: skip
    assert response.json()["scenarios"] == ["reusable_cup"]
    unknown = orjson.dumps({"items": [partners.item("card-ada", scenario="teleporting")]})
    await refused(partners.headers(metro, ACTIONS, unknown), 403, "scenario-not-allowed", unknown)
    await _nothing_credited(client, ada)

    # The good request goes through once; the same signed bytes again are a replay.
    first = await client.post(ACTIONS, content=payload, headers=good)
    assert first.status_code == 200, first.text
    await refused(good, 409, "replayed-request")
    outcomes = await PartnerCall.filter(platform_id=metro.id).values_list("outcome", flat=True)
    assert outcomes.count("bad-signature") == 3
    assert outcomes.count("partner-timestamp-out-of-window") == 2
    assert "replayed-request" in outcomes and "ok" in outcomes
    unsigned = await PartnerCall.filter(platform_id=None).values_list("outcome", flat=True)
    assert "unknown-partner-key" in unsigned


async def test_revoked_and_rotated_keys(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    admin = await partners.admin()
    rotated = await client.post(
        f"/api/v1/admin/partners/{metro.id}/rotate-secret", headers=admin.headers
    )
    assert rotated.status_code == 201, rotated.text
    new = rotated.json()
    assert [k["key_id"] for k in new["retiring"]] == [metro.key_id]
    assert new["retiring"][0]["status"] == "expiring"
    # During the overlap both keys sign; after it only the new one.
    assert (await partners.actions(metro, [partners.item("card-ada")])).status_code == 200
    new_key = {"key_id": new["key"]["key_id"], "secret": new["key"]["secret"]}
    assert (
        await partners.actions(metro, [partners.item("card-ada")], **new_key)
    ).status_code == 200
    clock.advance(hours=24, seconds=1)
    old = await partners.actions(metro, [partners.item("card-ada")])
    assert (old.status_code, old.json()["type"]) == (401, "/problems/partner-key-expired")
    assert (
        await partners.actions(metro, [partners.item("card-ada")], **new_key)
    ).status_code == 200
    # Revoking stops a key at once, and says so.
    admin = await partners.admin()
    revoked = await client.post(
        f"/api/v1/admin/partners/{metro.id}/keys/{new['key']['key_id']}/revoke",
        json={"reason": "leaked in a log"},
        headers=admin.headers,
    )
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["revoked_reason"]) == (
        "revoked",
        "leaked in a log",
    )
    after = await partners.actions(metro, [partners.item("card-ada")], **new_key)
    assert (after.status_code, after.json()["type"]) == (401, "/problems/partner-key-revoked")
    carbon = (
        await client.get("/api/v1/me/carbon", headers=(await players.refresh(ada)).headers)
    ).json()
    assert carbon["scenarios"][0]["all_actions"] == 3
    assert await reconcile() == []


async def test_rate_limit_per_partner(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro", requests_per_minute=2)
    bus = await partners.register("Bus", requests_per_minute=2)
    await partners.link(ada, metro, "card-ada")
    now = int(clock.now().timestamp())
    for second in range(2):
        assert (await partners.actions(metro, [], timestamp=now - second)).status_code == 200
    limited = await partners.actions(metro, [partners.item("card-ada")])
    assert limited.status_code == 429
    assert limited.json()["type"] == "/problems/partner-rate-limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    # Another partner's calls are counted on their own.
    assert (await partners.actions(bus, [])).status_code == 200
    await _nothing_credited(client, ada)


async def test_partner_routes_take_no_bearer_token_and_planting_partner_routes_still_do(
    client, players, partners
):
    ada = await players.new()
    as_player = await client.post(ACTIONS, json={"items": []}, headers=ada.headers)
    assert (as_player.status_code, as_player.json()["type"]) == (
        401,
        "/problems/partner-signature-missing",
    )
    planting = await client.get("/api/v1/planting-partner/plantings")
    assert planting.status_code == 401


def test_the_worked_example_of_the_guide_is_what_the_server_computes():
    body = (
        b'{"items":[{"external_id":"trip-20260610-0001","user_ref":"card-ada",'
        b'"scenario":"metro_ride","quantity":"12.4","occurred_at":"2026-06-10T08:31:00+08:00"}]}'
    )
    guide = (Path(__file__).parents[3] / "docs" / "partners.md").read_text()
    assert body.decode() in guide
    signature = sign(
        "pss_demo-secret-for-the-worked-example-000000",
        "POST",
        "/api/v1/partner/actions",
        "1781064000",
        body,
    )
    assert signature == "93b45e1ed9a30de7f8b01228eb14aa22dbab428091915e5009f86a1c9d5dfc75"
    assert signature in guide


async def test_a_body_over_the_limit_is_refused_before_anything(client, partners, settings):
    metro = await partners.register("Metro")
    big = b'{"items": [' + b" " * settings.max_body_bytes + b"]}"
    response = await partners.post(metro, ACTIONS, big)
    assert (response.status_code, response.json()["type"]) == (413, "/problems/payload-too-large")
    assert await Action.all().count() == 0


async def test_without_redis_calls_go_on_unmetered_and_replays_are_still_refused(
    app, client, players, partners
):
    ada = await players.new()
    metro = await partners.register("Metro", requests_per_minute=1)
    await partners.link(ada, metro, "card-ada")
    before = metrics.RATE_LIMITER_DOWN._value.get()
    shared = app.state.redis
    # A client for a port nobody listens on: Redis is down for the partner gate.
    app.state.redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    try:
        payload = orjson.dumps({"items": [partners.item("card-ada")]})
        headers = partners.headers(metro, ACTIONS, payload)
        first = await client.post(ACTIONS, content=payload, headers=headers)
        assert first.status_code == 200, first.text
        replay = await client.post(ACTIONS, content=payload, headers=headers)
        assert replay.json()["type"] == "/problems/replayed-request"
    finally:
        await app.state.redis.aclose()
        app.state.redis = shared
    assert metrics.RATE_LIMITER_DOWN._value.get() == before + 1
    assert await reconcile() == []
