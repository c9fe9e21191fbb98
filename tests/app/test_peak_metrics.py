"""The peak's domain counters on /metrics (docs/benchmarks.md)."""

from __future__ import annotations

import re


def _value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.MULTILINE)
    assert match is not None, f"{name} missing from /metrics"
    return float(match.group(1))


async def test_gathered_energy_and_events_are_counted(app, client, players):
    ada = await players.new()
    before = (await client.get("/metrics")).text
    collected = 'greenspark_energy_gathered_grams_total{kind="collect"}'
    start = _value(before, collected) if collected in before else 0.0
    await players.earn(ada, 40)
    await app.state.relay.drain()
    text = (await client.get("/metrics")).text
    assert _value(text, collected) == start + 40
    for name in ("greenspark_sockets_connected", "greenspark_outbox_lag_seconds"):
        _value(text, name)
    assert "greenspark_events_published_total" in text
