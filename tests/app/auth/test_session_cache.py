"""Sessions remembered by the process: every way a session ends still ends it at once."""

from __future__ import annotations

import asyncio

from app.auth.cache import SESSIONS, SESSIONS_CHANNEL
from app.auth.models import AuthSession
from tests.players import Player
from tests.stores import direct_redis


async def _listening() -> None:
    """The cache answers only while its Redis subscription is up; wait for it (real time)."""
    async with asyncio.timeout(5):
        while not SESSIONS.listening:  # noqa: ASYNC110  (a flag another task sets)
            await asyncio.sleep(0.01)


def _session_of(player: Player) -> str:
    import jwt

    return str(jwt.decode(player.access_token, options={"verify_signature": False})["sid"])


async def _remembered(client, player: Player) -> str:
    await _listening()
    assert (await client.get("/api/v1/me", headers=player.headers)).status_code == 200
    sid = _session_of(player)
    assert sid in SESSIONS.sessions
    return sid


async def test_a_remembered_session_ends_at_logout(client, players):
    ada = await players.new()
    await _remembered(client, ada)
    assert (await client.post("/api/v1/auth/logout", headers=ada.headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=ada.headers)).status_code == 401


async def test_a_suspension_reaches_a_remembered_session(client, players):
    ada = await players.new()
    moderator = await players.moderator()
    await _remembered(client, ada)
    suspended = await client.post(
        "/api/v1/moderation/actions",
        json={"action": "suspend", "target_kind": "player", "target_id": ada.id,
              "reason": "per community rules", "duration_seconds": 3600},
        headers=moderator.headers,
    )  # fmt: skip
    assert suspended.status_code == 201, suspended.text
    refused = await players.checkin(ada)
    assert (refused.status_code, refused.json()["type"]) == (403, "/problems/account-suspended")


async def test_a_deletion_request_ends_remembered_sessions(client, players):
    ada = await players.new()
    await _remembered(client, ada)
    assert (await client.delete("/api/v1/me", headers=ada.headers)).status_code == 202
    assert (await client.get("/api/v1/me", headers=ada.headers)).status_code == 401


async def test_a_revocation_from_another_process_arrives_through_redis(
    client, players, settings, clock
):
    ada = await players.new()
    sid = await _remembered(client, ada)
    # Another process revokes the session in the database...
    await AuthSession.filter(id=sid).update(revoked_at=clock.now(), revoked_reason="logout")
    # ...until its message arrives this process answers from what it remembered,
    assert (await client.get("/api/v1/me", headers=ada.headers)).status_code == 200
    # ...and publishes the revocation, which every process hears.
    redis = direct_redis(settings)
    try:
        await redis.publish(SESSIONS_CHANNEL.format(settings.redis_prefix), f"s:{sid}")
    finally:
        await redis.aclose()
    async with asyncio.timeout(5):
        while sid in SESSIONS.sessions:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    assert (await client.get("/api/v1/me", headers=ada.headers)).status_code == 401
