"""The command line against the same database: reconcile, adjustments, users."""

from __future__ import annotations

from tortoise import connections

from app.domains import reconcile
from tests.servers import run_cli


async def test_reconcile_passes_then_fails_on_a_tampered_row(client, players, settings):
    ada = await players.new()
    bubble = await players.ripe_bubble(ada)
    await client.post(f"/api/v1/bubbles/{bubble['id']}/collect", headers=ada.headers)
    assert await reconcile() == []
    ok = run_cli(settings, "reconcile")
    assert ok.returncode == 0, ok.stderr
    assert "every check passed" in ok.stdout

    await connections.get("default").execute_script("UPDATE energy_ledger SET delta = delta + 5")
    checks = {m.check for m in await reconcile()}
    assert "balance = sum of ledger deltas, never negative" in checks
    assert "energy collected from bubbles = collect and help_collect entries" in checks
    failed = run_cli(settings, "reconcile")
    assert failed.returncode == 1
    assert "MISMATCH" in failed.stderr


async def test_adjustments_are_ledger_rows_that_reconcile(client, players, settings):
    bo = await players.new()
    added = run_cli(settings, "adjust-energy", "--username", bo.username, "--grams", "40",
                 "--reason", "lost bubble after outage", "--key", "ticket-1")  # fmt: skip
    assert added.returncode == 0, added.stderr
    repeated = run_cli(settings, "adjust-energy", "--username", bo.username, "--grams", "40",
                    "--reason", "lost bubble after outage", "--key", "ticket-1")  # fmt: skip
    assert repeated.returncode != 0
    overdraw = run_cli(settings, "adjust-energy", "--username", bo.username, "--grams", "-41",
                    "--reason", "too much")  # fmt: skip
    assert overdraw.returncode != 0
    assert "insufficient-energy" in overdraw.stderr
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=bo.headers)).json()
    assert [(e["kind"], e["delta"], e["reason"]) for e in ledger["items"]] == [
        ("adjustment", 40, "lost bubble after outage")
    ]
    assert await reconcile() == []


async def test_create_user_with_a_role(client, settings):
    made = run_cli(settings, "create-user", "--username", "mod_mo", "--password",
                "moderator-pass", "--role", "moderator")  # fmt: skip
    assert made.returncode == 0, made.stderr
    login = await client.post(
        "/api/v1/auth/login", json={"username": "mod_mo", "password": "moderator-pass"}
    )
    token = login.json()["access_token"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "moderator"


async def test_grant_prop_then_use_it(client, players, settings):
    ada = await players.new()
    granted = run_cli(settings, "grant-prop", "--username", ada.username, "--kind",
                   "protection_cover", "--quantity", "2", "--reason", "welcome gift")  # fmt: skip
    assert granted.returncode == 0, granted.stderr
    props = (await client.get("/api/v1/me/props", headers=ada.headers)).json()
    assert props["stock"] == {"protection_cover": 2, "double_collect": 0, "revive_card": 0}
    bad = run_cli(settings, "grant-prop", "--username", ada.username, "--kind", "cloak",
               "--reason", "x")  # fmt: skip
    assert bad.returncode != 0
