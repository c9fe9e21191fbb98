"""Prometheus counters of the 07:00 peak, served at /metrics with the request metrics.

With `greenspark serve --workers N` (N > 1) the processes write their metrics to files under
`PROMETHEUS_MULTIPROC_DIR` (set by `serve` when missing) and /metrics sums them across processes;
gauges say how (`livesum`: the sum over live processes, `max`). See docs/benchmarks.md.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

ENERGY_GATHERED = Counter(
    "greenspark_energy_gathered_grams",
    "Grams of energy gathered, by ledger kind (collect, steal, help_collect, revive, water_in)",
    ["kind"],
)
EVENTS_PUBLISHED = Counter(
    "greenspark_events_published",
    "Events handed to Redis by this process (first attempts and relay)",
)
EVENTS_DELIVERED = Counter(
    "greenspark_events_delivered", "Events queued on a socket of this process"
)
SOCKETS = Gauge("greenspark_sockets_connected", "Websockets open", multiprocess_mode="livesum")
OUTBOX_LAG = Gauge(
    "greenspark_outbox_lag_seconds",
    "Age of the oldest unsent event the relay found on its last pass (0: none waiting)",
    multiprocess_mode="max",
)
