"""The conservation checks of DESIGN §3, run by `greenspark reconcile`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise import connections

from game.trees.reconcile import TREE_ROW_CHECKS, TREE_TOTAL_CHECKS


@dataclass(frozen=True)
class Mismatch:
    """One broken invariant, with the rows that break it."""

    check: str
    detail: str


# Each check is a query that returns the offending rows; none may return any.
ROW_CHECKS: dict[str, str] = {
    "bubble amount = collected + stolen + remaining + expired": """
        SELECT id, amount, collected, stolen, remaining, expired FROM bubbles
        WHERE amount <> collected + stolen + remaining + expired
           OR collected < 0 OR stolen < 0 OR remaining < 0 OR expired < 0 OR amount <= 0
    """,
    "balance = sum of ledger deltas, never negative": """
        SELECT a.user_id, a.balance, COALESCE(SUM(l.delta), 0) AS ledger_sum
        FROM energy_accounts a LEFT JOIN energy_ledger l ON l.user_id = a.user_id
        GROUP BY a.user_id, a.balance
        HAVING a.balance <> COALESCE(SUM(l.delta), 0) OR a.balance < 0
    """,
    "lifetime total = sum of collect, steal and watering-received deltas": """
        SELECT a.user_id, a.lifetime_collected, COALESCE(SUM(l.delta), 0) AS gathered
        FROM energy_accounts a
        LEFT JOIN energy_ledger l
            ON l.user_id = a.user_id AND l.kind IN ('collect', 'steal', 'water_in')
        GROUP BY a.user_id, a.lifetime_collected
        HAVING a.lifetime_collected <> COALESCE(SUM(l.delta), 0)
    """,
    "each ledger row's balance_after = running sum of deltas": """
        SELECT id, user_id, balance_after, running FROM (
            SELECT id, user_id, balance_after,
                   SUM(delta) OVER (PARTITION BY user_id ORDER BY id) AS running
            FROM energy_ledger
        ) chained WHERE balance_after <> running OR balance_after < 0
    """,
    "ledger rows belong to an energy account": """
        SELECT l.id, l.user_id FROM energy_ledger l
        LEFT JOIN energy_accounts a ON a.user_id = l.user_id WHERE a.user_id IS NULL
    """,
    **TREE_ROW_CHECKS,
}

# Each check is a pair of totals that must be equal.
TOTAL_CHECKS: dict[str, tuple[str, str]] = {
    "energy collected from bubbles = collect entries": (
        "SELECT COALESCE(SUM(collected), 0) AS total FROM bubbles",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'collect'",
    ),
    "energy stolen from bubbles = steal entries": (
        "SELECT COALESCE(SUM(stolen), 0) AS total FROM bubbles",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'steal'",
    ),
    "energy in bubbles = energy credited by actions": (
        "SELECT COALESCE(SUM(amount), 0) AS total FROM bubbles",
        "SELECT COALESCE(SUM(grams), 0) AS total FROM carbon_actions",
    ),
    "energy given by watering = energy received by watering": (
        "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'water_out'",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'water_in'",
    ),
    "energy stolen = sum of steal records": (
        "SELECT COALESCE(SUM(stolen), 0) AS total FROM bubbles",
        "SELECT COALESCE(SUM(grams), 0) AS total FROM energy_steals",
    ),
    "watering ledger = sum of watering records": (
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'water_in'",
        "SELECT COALESCE(SUM(grams), 0) AS total FROM energy_waterings",
    ),
    "all balances = all ledger deltas": (
        "SELECT COALESCE(SUM(balance), 0) AS total FROM energy_accounts",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger",
    ),
    **TREE_TOTAL_CHECKS,
}

_SHOWN_ROWS = 5


async def reconcile() -> list[Mismatch]:
    """Run every check; an empty list means every gram is accounted for."""
    conn = connections.get("default")
    found: list[Mismatch] = []
    for name, sql in ROW_CHECKS.items():
        rows: list[dict[str, Any]] = await conn.execute_query_dict(sql)
        if rows:
            shown = ", ".join(str(dict(r)) for r in rows[:_SHOWN_ROWS])
            found.append(Mismatch(name, f"{len(rows)} row(s): {shown}"))
    for name, (left_sql, right_sql) in TOTAL_CHECKS.items():
        left = int((await conn.execute_query_dict(left_sql))[0]["total"])
        right = int((await conn.execute_query_dict(right_sql))[0]["total"])
        if left != right:
            found.append(Mismatch(name, f"{left} <> {right}"))
    return found
