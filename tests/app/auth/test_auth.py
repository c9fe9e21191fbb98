"""Accounts: register, log in, rotate refresh tokens, log out, and what tokens are refused."""

from __future__ import annotations

import jwt

from tests.players import PASSWORD


async def test_register_then_me(client, players):
    ada = await players.new("Ada_Walks", display_name="Ada", region="CN-42")
    me = await client.get("/api/v1/me", headers=ada.headers)
    assert me.status_code == 200
    assert me.json() | {"created_at": None} == {
        "id": ada.id,
        "username": "ada_walks",
        "display_name": "Ada",
        "role": "player",
        "timezone": "Asia/Shanghai",
        "region": "CN-42",
        "created_at": None,
    }


async def test_usernames_are_unique_ignoring_case(client, players):
    await players.new("bob")
    again = await client.post(
        "/api/v1/auth/register", json={"username": "BOB", "password": PASSWORD}
    )
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/username-taken"


async def test_wrong_password_and_unknown_user_look_the_same(client, players):
    await players.new("chen")
    wrong = await client.post(
        "/api/v1/auth/login", json={"username": "chen", "password": "not the password"}
    )
    nobody = await client.post(
        "/api/v1/auth/login", json={"username": "nobody", "password": "not the password"}
    )
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json()["type"] == nobody.json()["type"] == "/problems/invalid-credentials"


async def test_refresh_rotates_and_a_reused_token_revokes_the_session(client, players):
    dara = await players.new("dara")
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": dara.refresh_token})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != dara.refresh_token
    new_headers = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert (await client.get("/api/v1/me", headers=new_headers)).status_code == 200

    replay = await client.post("/api/v1/auth/refresh", json={"refresh_token": dara.refresh_token})
    assert replay.status_code == 401
    assert replay.json()["type"] == "/problems/invalid-refresh-token"
    # The theft response ends the whole session: the rotated tokens stop working too.
    assert (await client.get("/api/v1/me", headers=new_headers)).status_code == 401
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    ).status_code == 401


async def test_logout_ends_access_and_refresh(client, players):
    eve = await players.new("eve")
    out = await client.post("/api/v1/auth/logout", headers=eve.headers)
    assert out.status_code == 204
    assert (await client.get("/api/v1/me", headers=eve.headers)).status_code == 401
    refused = await client.post("/api/v1/auth/refresh", json={"refresh_token": eve.refresh_token})
    assert refused.status_code == 401
    # Another session of the same player is untouched.
    again = await players.log_in("eve", eve.id)
    assert (await client.get("/api/v1/me", headers=again.headers)).status_code == 200


async def test_access_tokens_expire_by_the_clock(client, players, clock):
    fay = await players.new("fay")
    clock.advance(seconds=899)
    assert (await client.get("/api/v1/me", headers=fay.headers)).status_code == 200
    clock.advance(seconds=2)
    expired = await client.get("/api/v1/me", headers=fay.headers)
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"] == "Bearer"
    assert expired.headers["content-type"].startswith("application/problem+json")


async def test_missing_malformed_and_forged_tokens_are_refused(client, players):
    gus = await players.new("gus")
    claims = jwt.decode(gus.access_token, options={"verify_signature": False})
    forged = jwt.encode(claims, "a-different-key-of-sufficient-length-xx", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": f"Basic {gus.access_token}"},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": f"Bearer {unsigned}"},
    ):
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["type"] == "/problems/unauthorized"


async def test_login_is_rate_limited_per_account(client, players, settings):
    await players.new("hal")
    for _ in range(settings.login_failures_per_account):
        bad = await client.post("/api/v1/auth/login", json={"username": "hal", "password": "x"})
        assert bad.status_code == 401
    blocked = await client.post(
        "/api/v1/auth/login", json={"username": "hal", "password": PASSWORD}
    )
    assert blocked.status_code == 429
    assert blocked.json()["type"] == "/problems/too-many-login-attempts"
    assert int(blocked.headers["retry-after"]) > 0
    # Another account from the same address is still fine.
    await players.new("ivy")


async def test_login_is_rate_limited_per_address(client, players, settings):
    await players.new("jon")
    for _ in range(settings.login_attempts_per_address - 1):
        await client.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
    blocked = await client.post(
        "/api/v1/auth/login", json={"username": "jon", "password": PASSWORD}
    )
    assert blocked.status_code == 429


async def test_registration_rejects_bad_input_and_creates_nothing(client):
    cases = [
        ({"username": "ab", "password": PASSWORD}, 400),
        ({"username": "has space", "password": PASSWORD}, 400),
        ({"username": "x" * 33, "password": PASSWORD}, 400),
        ({"username": "kim", "password": "short"}, 400),
        ({"username": "kim", "password": "p" * 129}, 400),
        ({"username": "kim", "password": PASSWORD, "role": "admin"}, 400),
        ({"username": "kim", "password": PASSWORD, "timezone": "Mars/Olympus"}, 422),
        ({"username": "kim", "password": PASSWORD, "region": "no spaces allowed"}, 400),
        ({"username": 7, "password": PASSWORD}, 400),
        ({"password": PASSWORD}, 400),
    ]
    for body, status in cases:
        response = await client.post("/api/v1/auth/register", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    malformed = await client.post(
        "/api/v1/auth/register",
        content=b'{"username": "kim",',
        headers={"content-type": "application/json"},
    )
    assert malformed.status_code == 400
    login = await client.post("/api/v1/auth/login", json={"username": "kim", "password": PASSWORD})
    assert login.status_code == 401


async def test_time_zones_must_name_a_place(client):
    """`localtime` and `Factory` are in the zone database but are not IANA places."""
    for zone in ("localtime", "Factory", "posixrules", "posix/Asia/Shanghai", "right/UTC"):
        response = await client.post(
            "/api/v1/auth/register",
            json={"username": "tz_probe", "password": "long enough", "timezone": zone},
        )
        assert response.status_code == 422, (zone, response.text)
        assert response.json()["type"] == "/problems/unknown-timezone"
    ok = await client.post(
        "/api/v1/auth/register",
        json={"username": "tz_probe", "password": "long enough", "timezone": "Europe/Berlin"},
    )
    assert ok.status_code == 201, ok.text
