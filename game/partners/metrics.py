"""Prometheus metrics of the partner API, served at /metrics; the alerts watch these
(docs/partners.md#alerts). Labels carry partner ids, never key ids a caller made up."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

CALLS = Counter(
    "greenspark_partner_calls_total",
    "Partner calls by partner and outcome (ok or the problem code)",
    ["partner", "outcome"],
)
REFUSED_UNSIGNED = Counter(
    "greenspark_partner_auth_failures_total",
    "Partner calls refused before a partner was established, by problem code",
    ["outcome"],
)
ITEMS = Counter(
    "greenspark_partner_items_total",
    "Items of partner batches by kind, status and reason",
    ["partner", "kind", "status", "reason"],
)
GRAMS = Counter(
    "greenspark_partner_grams_total", "Grams of energy credited through partners", ["partner"]
)
BUDGET_USED = Gauge(
    "greenspark_partner_budget_used_ratio",
    "Share of the partner's daily gram budget used today (1.0 = exhausted)",
    ["partner"],
)
RATE_LIMITER_DOWN = Counter(
    "greenspark_partner_rate_limiter_unavailable_total",
    "Partner calls let through unmetered because Redis did not answer",
)
