"""Energy conservation: bubbles, balances and the ledger (docs/rules.md#reconciliation)."""

from __future__ import annotations

from core.reconcile import Checks
from game.energy.ledger import GATHERING_KINDS

_GATHERING = ", ".join(f"'{kind}'" for kind in sorted(GATHERING_KINDS))

# Each check is a query that returns the offending rows; none may return any.
ROW_CHECKS: dict[str, str] = {
    "bubble amount = collected + stolen + remaining + expired": """
        SELECT id, amount, collected, stolen, remaining, expired FROM bubbles
        WHERE amount <> collected + stolen + remaining + expired
           OR collected < 0 OR stolen < 0 OR remaining < 0 OR expired < 0 OR amount <= 0
    """,
    "bubble revived energy is part of its expired energy": """
        SELECT id, expired, revived FROM bubbles WHERE revived < 0 OR revived > expired
    """,
    "balance = sum of ledger deltas, never negative": """
        SELECT a.user_id, a.balance, COALESCE(SUM(l.delta), 0) AS ledger_sum
        FROM energy_accounts a LEFT JOIN energy_ledger l ON l.user_id = a.user_id
        GROUP BY a.user_id, a.balance
        HAVING a.balance <> COALESCE(SUM(l.delta), 0) OR a.balance < 0
    """,
    "lifetime total = sum of gathering deltas": f"""
        SELECT a.user_id, a.lifetime_collected, COALESCE(SUM(l.delta), 0) AS gathered
        FROM energy_accounts a
        LEFT JOIN energy_ledger l
            ON l.user_id = a.user_id AND l.kind IN ({_GATHERING})
        GROUP BY a.user_id, a.lifetime_collected
        HAVING a.lifetime_collected <> COALESCE(SUM(l.delta), 0)
    """,  # noqa: S608  (the kinds are constants of the code)
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
}

# Each check is a pair of totals that must be equal.
TOTAL_CHECKS: dict[str, tuple[str, str]] = {
    "energy collected from bubbles = collect and help_collect entries": (
        "SELECT COALESCE(SUM(collected), 0) AS total FROM bubbles",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger"
        " WHERE kind IN ('collect', 'help_collect')",
    ),
    "energy revived from bubbles = revive entries": (
        "SELECT COALESCE(SUM(revived), 0) AS total FROM bubbles",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'revive'",
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
    "all balances = all ledger deltas": (
        "SELECT COALESCE(SUM(balance), 0) AS total FROM energy_accounts",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger",
    ),
}

ENERGY_CHECKS = Checks(rows=ROW_CHECKS, totals=TOTAL_CHECKS)
