"""Privacy: a player downloads everything held about them, and deletes their account; after the
grace period their personal data and photos are gone while ledgers, boards and other players'
timelines stay consistent (docs/reliability.md#privacy)."""

from __future__ import annotations

import io
import zipfile

import orjson
import pytest

from app.domains import reconcile
from app.privacy.erasure import erase_due_accounts
from core.events import OutboxEvent
from core.users import User
from game.leaderboards.energy import Boards
from game.leaderboards.rebuild import rebuild_boards
from social.checkins.models import CheckIn, Comment, Like
from social.friends.models import Friendship
from social.notifications.models import Device, Notification, NotificationSettings
from tests.game.trees.welfare.test_welfare import open_welfare
from tests.images import jpeg, patterned
from tests.players import PASSWORD


async def _story(client, players):
    """Ada plays: a cup, a collect, a friend, a watering, a photo check-in, a like, a comment."""
    ada, bob = await players.new("ada_priv"), await players.new("bob_priv")
    await players.befriend(ada, bob)
    await players.earn(ada, 200)
    await players.earn(bob, 150)
    watered = await client.post(
        f"/api/v1/friends/{bob.id}/water", json={"grams": 18}, headers=ada.headers
    )
    assert watered.status_code == 200, watered.text
    _, welfare = await open_welfare(client, players)
    donated = await client.post(
        f"/api/v1/welfare-projects/{welfare['id']}/donate", json={"grams": 50},
        headers=ada.headers,
    )  # fmt: skip
    assert donated.status_code == 201, donated.text
    mine = await players.posted(
        ada, text="Biked along the river", photos=[("ride.jpg", jpeg(patterned(7)), "image/jpeg")]
    )
    theirs = await players.posted(bob, text="Thrift haul")
    liked = await client.post(f"/api/v1/checkins/{theirs['id']}/like", headers=ada.headers)
    assert liked.status_code == 201, liked.text
    commented = await client.post(
        f"/api/v1/checkins/{theirs['id']}/comments", json={"text": "Lovely!"}, headers=ada.headers
    )
    assert commented.status_code == 201, commented.text
    liked_back = await client.post(f"/api/v1/checkins/{mine['id']}/like", headers=bob.headers)
    assert liked_back.status_code == 201
    device = await client.post(
        "/api/v1/me/devices", json={"platform": "ios", "token": "ada-phone-token-123456"},
        headers=ada.headers,
    )  # fmt: skip
    assert device.status_code == 201, device.text
    quiet = {"kinds": {"stolen_from": {"inbox": True, "push": False}},
             "quiet_hours": {"start": "22:00", "end": "07:00"}}  # fmt: skip
    chosen = await client.put("/api/v1/me/notification-settings", json=quiet, headers=ada.headers)
    assert chosen.status_code == 200, chosen.text
    return ada, bob, mine, theirs


async def test_export_holds_every_section_and_the_photos(client, players):
    ada, bob, mine, _ = await _story(client, players)
    response = await client.get("/api/v1/me/export", headers=ada.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = orjson.loads(archive.read("export.json"))
    assert document["profile"]["username"] == "ada_priv"
    sections = document["sections"]
    assert set(sections) >= {
        "sessions", "carbon_actions", "energy", "forest", "props", "trees", "friends",
        "timeline", "checkins", "moderation", "notifications", "leaderboards",
    }  # fmt: skip
    assert sections["energy"]["account"]["balance"] == 200 - 18 - 50
    assert [w["grams"] for w in sections["forest"]["waterings_given"]] == [18]
    assert [f["friend_id"] for f in sections["friends"]["friends"]] == [bob.id]
    assert [d["grams"] for d in sections["trees"]["donations"]] == [50]
    assert [c["text"] for c in sections["checkins"]["checkins"]] == ["Biked along the river"]
    assert [c["text"] for c in sections["checkins"]["comments"]] == ["Lovely!"]
    inbox = sections["notifications"]
    assert [d["token_ends_with"] for d in inbox["devices"]] == ["123456"]
    assert "ada-phone-token-123456" not in archive.read("export.json").decode()
    assert inbox["settings"]["push_off"] == ["stolen_from"]
    photo = mine["photos"][0]
    files = sections["checkins"]["photos"][0]["files"]
    assert len(files) == 2 and set(files) <= set(archive.namelist())
    served = await client.get(photo["url"])
    assert archive.read(files[0]) == served.content
    # Nothing of Bob's private side: his ledger is not in Ada's archive.
    assert all(e["delta"] != 150 for e in sections["energy"]["ledger"])
    assert (
        "access_token" not in response.text
        and ada.access_token not in archive.read("export.json").decode()
    )


async def test_deletion_waits_for_the_grace_period_and_a_login_cancels_it(
    client, players, clock, app
):
    ada = await players.new("ada_keep")
    deleted = await client.delete("/api/v1/me", headers=ada.headers)
    assert deleted.status_code == 202, deleted.text
    assert deleted.json()["status"] == "scheduled"
    # Logged out everywhere at once.
    assert (await client.get("/api/v1/me", headers=ada.headers)).status_code == 401
    # Logging in within the grace period keeps the account.
    ada = await players.log_in("ada_keep", ada.id)
    clock.advance(days=8)
    assert await erase_due_accounts(clock, app.state.media, app.state.settings) == 0
    ada = await players.log_in("ada_keep", ada.id)
    assert (await client.get("/api/v1/me", headers=ada.headers)).json()["username"] == "ada_keep"


async def _names_of_ada_in_bobs_events(bob) -> set[str]:
    """The names Bob's inbox and kept live events (watered, liked, commented) give Ada."""
    kept = [
        *await Notification.filter(user_id=bob.id).values_list("data", flat=True),
        *await OutboxEvent.filter(user_id=bob.id).values_list("data", flat=True),
    ]
    named = [d["by_name"] for d in kept if isinstance(d, dict) and "by_name" in d]
    assert len(named) >= 3, kept
    return set(named)


async def test_erasure_removes_personal_data_and_keeps_every_total(client, players, clock, app):
    ada, bob, mine, theirs = await _story(client, players)
    media = app.state.media
    photo_names = [p["url"].rsplit("/", 1)[1] for p in mine["photos"]]
    boards: Boards = app.state.boards
    board_before = (await client.get("/api/v1/leaderboards/energy", headers=bob.headers)).json()
    bob_balance = await players.balance(bob)
    assert await _names_of_ada_in_bobs_events(bob) == {"ada_priv"}
    assert (await client.delete("/api/v1/me", headers=ada.headers)).status_code == 202
    clock.advance(seconds=app.state.settings.account_deletion_grace_seconds + 1)
    bob = await players.refresh(bob)
    assert await erase_due_accounts(clock, media, app.state.settings) == 1
    assert await erase_due_accounts(clock, media, app.state.settings) == 0

    # Personal data and photos are gone.
    user = await User.get(id=ada.id)
    assert (user.username, user.display_name) == (f"deleted-{ada.id}", "Deleted player")
    login = await client.post(
        "/api/v1/auth/login", json={"username": "ada_priv", "password": PASSWORD}
    )
    assert login.status_code == 401
    assert not await CheckIn.filter(author_id=ada.id).exists()
    assert not await Comment.filter(author_id=ada.id).exists()
    assert not await Like.filter(user_id=ada.id).exists()
    assert not await Friendship.filter(friend_id=ada.id).exists()
    for personal in (Notification, Device, NotificationSettings):
        assert not await personal.filter(user_id=ada.id).exists()
    for name in photo_names:
        assert await media.get(name) is None
        assert (await client.get(f"/api/v1/media/{name}")).status_code == 404
    # Bob's notifications and kept events still say what happened, no longer who did it.
    assert await _names_of_ada_in_bobs_events(bob) == {"Deleted player"}
    # Bob's check-in lost Ada's like and comment from its counts.
    shown = (await client.get(f"/api/v1/checkins/{theirs['id']}", headers=bob.headers)).json()
    assert (shown["like_count"], shown["comment_count"]) == (0, 0)

    # Every total still balances, Bob's world included.
    assert await reconcile() == []
    assert await players.balance(bob) == bob_balance
    timeline = (await client.get("/api/v1/me/timeline", headers=bob.headers)).json()
    assert [(t["actor_id"], t["actor_username"], t["grams"]) for t in timeline["items"]] == [
        (ada.id, f"deleted-{ada.id}", 18)
    ]
    await rebuild_boards(boards, clock)
    board_after = (await client.get("/api/v1/leaderboards/energy", headers=bob.headers)).json()
    assert [(e["user_id"], e["score"]) for e in board_after["entries"]] == [
        (e["user_id"], e["score"]) for e in board_before["entries"]
    ]


async def test_deletion_needs_the_account_holder(client, players):
    assert (await client.delete("/api/v1/me")).status_code == 401
    assert (await client.get("/api/v1/me/export")).status_code == 401
    forged = {"Authorization": "Bearer not-a-token"}
    assert (await client.delete("/api/v1/me", headers=forged)).status_code == 401


@pytest.fixture
def settings(settings):
    """Players of these stories log in from one address many times."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})
