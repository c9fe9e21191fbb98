"""Conservation checks for trees, run by `greenspark reconcile` with the energy checks.

Each quota, stock and budget pool must equal the rows drawn from it, and the energy each kind
of ledger entry took must equal what the rows it paid for cost.
"""

from __future__ import annotations

# Queries that return the offending rows; none may return any.
TREE_ROW_CHECKS: dict[str, str] = {
    "project year quota = used + remaining, none negative": """
        SELECT id, project_id, year, quota, used, remaining FROM planting_project_years
        WHERE quota <> used + remaining OR used < 0 OR remaining < 0
    """,
    "project year quota used = plantings allocated in it": """
        SELECT y.project_id, y.year, y.used, COUNT(p.id) AS plantings
        FROM planting_project_years y
        LEFT JOIN plantings p ON p.project_id = y.project_id AND p.year = y.year
        GROUP BY y.id, y.project_id, y.year, y.used
        HAVING y.used <> COUNT(p.id)
    """,
    "planting cost = energy its owners gave": """
        SELECT p.id, p.cost, COALESCE(SUM(o.grams), 0) AS given
        FROM plantings p LEFT JOIN planting_owners o ON o.planting_id = p.id
        GROUP BY p.id, p.cost HAVING p.cost <> COALESCE(SUM(o.grams), 0)
    """,
}

# Pairs of totals that must be equal.
TREE_TOTAL_CHECKS: dict[str, tuple[str, str]] = {
    "energy spent on plantings = plant entries": (
        "SELECT COALESCE(SUM(cost), 0) AS total FROM plantings WHERE coplanting_id IS NULL",
        "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'plant'",
    ),
}
