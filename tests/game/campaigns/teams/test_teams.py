"""Teams: start one, invite friends, join by invitation, leave; one team at a time; a size cap."""

from __future__ import annotations

import asyncio
import io
import zipfile

import orjson
import pytest

from app.domains import reconcile
from app.privacy.erasure import erase_due_accounts
from game.campaigns.teams.models import Team, TeamMember
from tests.events import events_of


@pytest.fixture
def settings(settings):
    """Small teams, so the cap is reached quickly."""
    return settings.model_copy(update={"team_size_max": 3, "login_attempts_per_address": 10_000})


async def start(client, player, name="Car sharers"):
    made = await client.post("/api/v1/teams", json={"name": name}, headers=player.headers)
    assert made.status_code == 201, made.text
    return made.json()


async def invite(client, inviter, team_id, friend):
    return await client.post(
        f"/api/v1/teams/{team_id}/members", json={"user_id": friend.id}, headers=inviter.headers
    )


async def join(client, player, team_id):
    return await client.post(f"/api/v1/teams/{team_id}/join", headers=player.headers)


async def test_friends_form_a_team_by_invitation(client, app, players):
    ada, bo, chen = await players.new(), await players.new(), await players.new()
    await players.befriend(ada, bo)
    team = await start(client, ada)
    assert (team["captain_id"], team["size"]) == (ada.id, 1)
    invited = await invite(client, ada, team["id"], bo)
    assert invited.status_code == 201, invited.text
    assert await events_of(app, bo, "team.invited") == [
        {"team_id": team["id"], "team_name": "Car sharers", "by_user_id": ada.id}
    ]
    mine = (await client.get("/api/v1/teams", headers=bo.headers)).json()
    assert (mine["team"], [i["team_id"] for i in mine["invitations"]]) == (None, [team["id"]])
    joined = await join(client, bo, team["id"])
    assert joined.status_code == 200, joined.text
    assert [m["user_id"] for m in joined.json()["members"]] == [ada.id, bo.id]
    not_friend = await invite(client, ada, team["id"], chen)
    assert (not_friend.status_code, not_friend.json()["type"]) == (403, "/problems/not-friends")
    uninvited = await join(client, chen, team["id"])
    assert (uninvited.status_code, uninvited.json()["type"]) == (
        404, "/problems/team-invite-not-found",
    )  # fmt: skip
    outsider = await invite(client, chen, team["id"], ada)
    assert (outsider.status_code, outsider.json()["type"]) == (403, "/problems/not-a-team-member")
    again = await invite(client, ada, team["id"], bo)
    assert (again.status_code, again.json()["type"]) == (409, "/problems/already-in-this-team")


async def test_one_team_at_a_time_and_the_captain_hands_over_on_leaving(client, players):
    ada, bo = await players.new(), await players.new()
    await players.befriend(ada, bo)
    first = await start(client, ada)
    second = await start(client, bo, "Night walkers")
    await invite(client, ada, first["id"], bo)
    busy = await join(client, bo, first["id"])
    assert (busy.status_code, busy.json()["type"]) == (409, "/problems/already-in-a-team")
    twice = await client.post("/api/v1/teams", json={"name": "Again"}, headers=ada.headers)
    assert (twice.status_code, twice.json()["type"]) == (409, "/problems/already-in-a-team")
    left = await client.post(f"/api/v1/teams/{second['id']}/leave", headers=bo.headers)
    assert left.status_code == 200, left.text
    assert (await join(client, bo, first["id"])).status_code == 200
    await client.post(f"/api/v1/teams/{first['id']}/leave", headers=ada.headers)
    team = (await client.get(f"/api/v1/teams/{first['id']}", headers=ada.headers)).json()
    assert (team["captain_id"], team["size"], [m["user_id"] for m in team["members"]]) == (
        bo.id, 1, [bo.id],
    )  # fmt: skip
    not_in = await client.post(f"/api/v1/teams/{first['id']}/leave", headers=ada.headers)
    assert (not_in.status_code, not_in.json()["type"]) == (403, "/problems/not-a-team-member")
    # The history is kept: ada was a member, and left.
    assert await TeamMember.filter(
        team_id=first["id"], user_id=ada.id, left_at__isnull=False
    ).exists()


async def test_simultaneous_joins_never_pass_the_size_cap(client, players):
    captain = await players.new()
    friends = await players.many(8, prefix="mate")
    for friend in friends:
        await players.befriend(captain, friend)
    team = await start(client, captain)
    for friend in friends:
        assert (await invite(client, captain, team["id"], friend)).status_code == 201
    answers = await asyncio.gather(*(join(client, f, team["id"]) for f in friends))
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 200] + [409] * 6
    assert {a.json()["type"] for a in answers if a.status_code == 409} == {"/problems/team-full"}
    assert (await Team.get(id=team["id"])).size == 3
    assert await TeamMember.filter(team_id=team["id"], active_user_id__isnull=False).count() == 3
    left_out = next(f for f, a in zip(friends, answers, strict=True) if a.status_code == 409)
    full = await invite(client, captain, team["id"], left_out)
    assert (full.status_code, full.json()["type"]) == (409, "/problems/team-full")


async def test_an_erased_captain_leaves_the_team_and_its_name(client, app, players, clock):
    ada, bo = await players.new(), await players.new()
    await players.befriend(ada, bo)
    team = await start(client, ada, name="Ada's carpool")
    assert (await invite(client, ada, team["id"], bo)).status_code == 201
    assert (await join(client, bo, team["id"])).status_code == 200
    exported = await client.get("/api/v1/me/export", headers=ada.headers)
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    sections = orjson.loads(archive.read("export.json"))["sections"]
    assert [t["team__name"] for t in sections["campaigns"]["teams"]] == ["Ada's carpool"]
    assert "rewards" in sections
    assert (await client.delete("/api/v1/me", headers=ada.headers)).status_code == 202
    clock.advance(days=30)
    assert await erase_due_accounts(clock, app.state.media, app.state.settings) == 1
    after = await Team.get(id=team["id"])
    assert (after.name, after.size, after.captain_id) == (f"Team {team['id']}", 1, bo.id)
    assert not await TeamMember.filter(active_user_id=ada.id).exists()
    assert await reconcile() == []
