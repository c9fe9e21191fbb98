"""The demo data's partner platform: its printed demo key signs a call the README shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domains import reconcile
from tests.partners import Partner
from tests.servers import run_cli


async def test_the_demo_partner_credits_a_demo_player(client, partners, settings, clock):
    seeded = run_cli(settings, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    clock.set(datetime.now(UTC))  # the seed ran on the wall clock
    key = re.search(r"demo partner platform (.+) \(id (\d+)\): key id (\S+)", seeded.stdout)
    secret = re.search(r"demo partner secret \(DEMO ONLY[^)]*\): (\S+)", seeded.stdout)
    assert key and secret, seeded.stdout
    demo = Partner(
        id=int(key.group(2)), name=key.group(1), key_id=key.group(3), secret=secret.group(1)
    )
    sent = await partners.actions(demo, [partners.item("card-ada", "metro_ride", "12")])
    assert sent.status_code == 200, sent.text
    assert (sent.json()["items"][0]["status"], sent.json()["grams"]) == ("credited", 514)
    login = await client.post(
        "/api/v1/auth/login", json={"username": "ada", "password": "greenspark-demo"}
    )
    ada = {"Authorization": f"Bearer {login.json()['access_token']}"}
    consents = (await client.get("/api/v1/me/consents", headers=ada)).json()["items"]
    assert [(c["partner_name"], c["user_ref"]) for c in consents] == [(demo.name, "card-ada")]
    yesterday = (clock.now().astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date()
    meter = await client.get(
        "/api/v1/me/meter", params={"month": yesterday.strftime("%Y-%m")}, headers=ada
    )
    day = {d["date"]: d for d in meter.json()["days"]}[yesterday.isoformat()]
    assert (day["intervals"], day["kwh"]) == (96, "21.320")
    assert await reconcile() == []
