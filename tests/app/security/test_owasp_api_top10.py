"""The OWASP API Security Top 10 (2023), item by item where it applies to this service.

API7 (server-side request forgery) and API10 (unsafe consumption of APIs) do not apply: the
service never fetches a URL a caller gives and consumes no third-party API (docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import base64

import orjson
import pytest

from app.domains import reconcile
from app.main import create_app
from game.trees.welfare.models import Donation
from tests.game.trees.test_trees import plant, set_up_project
from tests.game.trees.welfare.test_welfare import open_welfare
from tests.images import bomb_png
from tests.players import PASSWORD, multipart


@pytest.fixture
def settings(settings):
    """Stories with many logins from one test address."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})


async def test_api1_broken_object_level_authorization(client, players):
    """A player reaches only their own objects, and friends' only as friendship allows."""
    ada, eve = await players.new("ada_bola"), await players.new("eve_bola")
    project = await set_up_project(client, players)
    await players.grant(ada, 20_000)
    planted = await plant(client, ada, project_id=project["id"])
    assert planted.status_code == 201, planted.text
    planting_id = planted.json()["id"]
    bubble = await players.ripe_bubble(ada)
    _, welfare = await open_welfare(client, players)
    donated = await client.post(
        f"/api/v1/welfare-projects/{welfare['id']}/donate", json={"grams": 100},
        headers=ada.headers,
    )  # fmt: skip
    checkin = await players.posted(ada)
    attempts = [
        ("get", f"/api/v1/plantings/{planting_id}", 404),
        ("get", f"/api/v1/plantings/{planting_id}/certificate.png", 404),
        ("get", f"/api/v1/donations/{donated.json()['id']}/certificate.png", 404),
        ("get", f"/api/v1/forest/{ada.id}", 403),
        ("post", f"/api/v1/bubbles/{bubble['id']}/collect", 403),
        ("post", f"/api/v1/bubbles/{bubble['id']}/steal", 403),
        ("delete", f"/api/v1/checkins/{checkin['id']}", 403),
    ]
    for method, path, status in attempts:
        response = await client.request(method, path, headers=eve.headers)
        assert response.status_code == status, (path, response.text)
    assert (await players.forest(ada))["bubbles"][0]["state"] == "ripe"
    assert await reconcile() == []


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(data)).rstrip(b"=").decode()


async def test_api2_broken_authentication(client, players, clock):
    """Forged, unsigned, expired and revoked tokens are refused; refresh reuse kills a session."""
    ada = await players.new("ada_auth")
    header, claims, signature = ada.access_token.split(".")
    payload = orjson.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    forged = [
        f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{claims}.",
        f"{header}.{_b64({**payload, 'sub': str(int(payload['sub']) + 1)})}.{signature}",
        f"{header}.{claims}.{signature[:-2]}AA",
        "",
    ]
    for token in forged:
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401, token
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": ada.refresh_token})
    assert refreshed.status_code == 200
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": ada.refresh_token})
    assert reused.status_code == 401
    newer = refreshed.json()["access_token"]
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {newer}"})
    ).status_code == 401, "reusing a refresh token must end the whole session"
    fresh = await players.log_in("ada_auth", ada.id)
    clock.advance(seconds=901)
    assert (await client.get("/api/v1/me", headers=fresh.headers)).status_code == 401
    for _ in range(5):
        await client.post(
            "/api/v1/auth/login", json={"username": "ada_auth", "password": "guessing"}
        )
    locked = await client.post(
        "/api/v1/auth/login", json={"username": "ada_auth", "password": PASSWORD}
    )
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0


async def test_api3_broken_object_property_level_authorization(client, players):
    """No field a caller may not set is accepted; no field a caller may not see is shown."""
    sneaky = await client.post(
        "/api/v1/auth/register",
        json={"username": "mallory", "password": PASSWORD, "role": "admin"},
    )
    assert sneaky.status_code == 400
    ada = await players.new("ada_props")
    me = (await client.get("/api/v1/me", headers=ada.headers)).json()
    assert "password_hash" not in me and me["role"] == "player"
    extra = await client.post(
        "/api/v1/actions",
        json={"scenario": "reusable_cup", "quantity": "1", "grams": 10**9},
        headers=ada.headers,
    )
    assert extra.status_code == 400
    bob = await players.new("bob_props")
    await players.befriend(ada, bob)
    friend_view = (await client.get(f"/api/v1/forest/{ada.id}", headers=bob.headers)).text
    assert "password" not in friend_view and "timezone" not in friend_view


async def test_api4_unrestricted_resource_consumption(client, players):
    """Bodies, pages, nesting, images and rates are all bounded."""
    ada = await players.new("ada_limits")
    big = await client.post(
        "/api/v1/actions", content=b"{" + b" " * 2_000_000 + b"}",
        headers={**ada.headers, "content-type": "application/json"},
    )  # fmt: skip
    assert big.status_code == 413
    deep = await client.post(
        "/api/v1/actions", content=b"[" * 100_000,
        headers={**ada.headers, "content-type": "application/json"},
    )  # fmt: skip
    assert deep.status_code == 400
    page = await client.get("/api/v1/feed", params={"limit": 100_000}, headers=ada.headers)
    assert page.status_code == 400
    bomb = await client.post(
        "/api/v1/checkins",
        files=multipart(
            {"topic": "green_commute", "text": "x"}, [("b.png", bomb_png(), "image/png")]
        ),
        headers=ada.headers,
    )
    assert bomb.status_code == 422
    assert bomb.json()["type"] == "/problems/photo-too-large"


async def test_api5_broken_function_level_authorization(client, players):
    """Staff functions refuse players, whatever the method."""
    ada = await players.new("ada_roles")
    calls = [
        ("get", "/api/v1/moderation/queue", None),
        ("get", "/api/v1/moderation/audit", None),
        ("post", "/api/v1/moderation/actions",
         {"action": "warn", "target_kind": "player", "target_id": ada.id, "reason": "x"}),
        ("post", "/api/v1/admin/planting-partners", {"name": "Mine"}),
        ("get", "/api/v1/planting-partner/plantings", None),
        ("post", "/api/v1/plantings/1/verify", {}),
        ("post", "/api/v1/welfare-projects", {"name": "x", "beneficiary": "me"}),
    ]  # fmt: skip
    for method, path, body in calls:
        response = await client.request(method, path, json=body, headers=ada.headers)
        assert response.status_code == 403, (path, response.text)


async def test_api6_unrestricted_access_to_sensitive_business_flows(client, players):
    """Value-moving flows hold under bursts: one donation per key, waterings capped per day."""
    ada, bob = await players.new("ada_flows"), await players.new("bob_flows")
    await players.befriend(ada, bob)
    await players.grant(ada, 1_000)
    _, welfare = await open_welfare(client, players)
    headers = {**ada.headers, "Idempotency-Key": "burst"}
    burst = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/welfare-projects/{welfare['id']}/donate", json={"grams": 10},
                headers=headers,
            )
            for _ in range(10)
        )
    )  # fmt: skip
    assert {b.status_code for b in burst} == {201}
    assert await Donation.filter(user_id=ada.id).count() == 1
    waters = await asyncio.gather(
        *(
            client.post(f"/api/v1/friends/{bob.id}/water", json={"grams": 10}, headers=ada.headers)
            for _ in range(8)
        )
    )
    assert sorted(w.status_code for w in waters) == [200, 200, 200] + [429] * 5
    assert await reconcile() == []


async def test_api8_security_misconfiguration(client, settings, clock):
    """No internals in errors, no cross-origin access unless configured, problems everywhere."""
    unknown = await client.get("/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    cross = await client.options(
        "/api/v1/me",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in cross.headers
    broken = await client.post(
        "/api/v1/auth/login", content=b"{", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert "Traceback" not in broken.text and 'File "' not in broken.text
    assert not create_app(settings, clock).debug


async def test_api9_improper_inventory_management(client):
    """Every route the app serves is in the published OpenAPI document, and nothing else."""
    app = client._transport.app
    document = (await client.get("/schema/openapi.json")).json()
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    served = {
        (method, route.path_format)
        for route in app.routes
        if route.path_format.startswith("/api/")
        for method in getattr(route, "methods", ())
        if method not in ("OPTIONS", "HEAD")
    }
    assert served == documented, (served - documented, documented - served)
