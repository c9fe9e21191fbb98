"""Partner commands against the same database: create, rotate, revoke, list."""

from __future__ import annotations

import re

from tests.partners import Partner
from tests.servers import run_cli


def _key(output: str) -> tuple[str, str]:
    key_id = re.search(r"key id:\s+(\S+)", output)
    secret = re.search(r"secret:\s+(\S+)", output)
    assert key_id and secret, output
    return key_id.group(1), secret.group(1)


async def test_create_rotate_revoke_and_list_partners(client, players, partners, settings, clock):
    made = run_cli(settings, "create-partner", "--name", "City Metro", "--scenarios",
                   "metro_ride,bus_ride", "--timezone", "Asia/Shanghai", "--contact",
                   "ops@metro.example", "--daily-budget-grams", "100000")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "shown this once" in made.stderr
    key_id, secret = _key(made.stdout)
    partner_id = int(re.search(r"\(id (\d+)\)", made.stdout).group(1))  # type: ignore[union-attr]
    metro = Partner(id=partner_id, name="City Metro", key_id=key_id, secret=secret)
    ada = await players.new()
    await partners.link(ada, metro, "card-ada")
    first = await partners.actions(metro, [partners.item("card-ada")])
    assert first.json()["counts"] == {"credited": 1}

    rotated = run_cli(settings, "rotate-partner-secret", "--partner", "City Metro")
    assert rotated.returncode == 0, rotated.stderr
    assert f"key {key_id} keeps working until" in rotated.stdout
    new_id, new_secret = _key(rotated.stdout)
    clock.advance(seconds=1)
    assert (await partners.actions(metro, [], key_id=new_id, secret=new_secret)).status_code == 200

    revoked = run_cli(settings, "revoke-partner-key", "--key-id", key_id, "--reason", "rotated")
    assert revoked.returncode == 0, revoked.stderr
    clock.advance(seconds=1)
    refused = await partners.actions(metro, [partners.item("card-ada")])
    assert refused.json()["type"] == "/problems/partner-key-revoked"

    listed = run_cli(settings, "list-partners")
    assert listed.returncode == 0, listed.stderr
    assert "City Metro" in listed.stdout and f"{key_id} revoked" in listed.stdout
    assert f"{new_id} active" in listed.stdout
    assert secret not in listed.stdout and new_secret not in listed.stdout

    taken = run_cli(settings, "create-partner", "--name", "City Metro", "--scenarios", "bus_ride",
                    "--timezone", "UTC", "--contact", "x@y.z")  # fmt: skip
    assert taken.returncode != 0 and "partner-exists" in taken.stderr
    unknown = run_cli(settings, "revoke-partner-key", "--key-id", "pk_none", "--reason", "x")
    assert unknown.returncode != 0 and "partner-key-not-found" in unknown.stderr
