"""Conservation checks for trees, run by `greenspark reconcile` with the energy checks.

Each quota, stock and budget pool must equal the rows drawn from it, and the energy each kind
of ledger entry took must equal what the rows it paid for cost.
"""

from __future__ import annotations

from core.reconcile import Checks

# Queries that return the offending rows; none may return any.
TREE_ROW_CHECKS: dict[str, str] = {
    "project year quota = used + remaining, none negative": """
        SELECT id, project_id, year, quota, used, remaining FROM planting_project_years
        WHERE quota <> used + remaining OR used < 0 OR remaining < 0
    """,
    "project year quota used = plantings allocated + open co-plantings holding a tree": """
        SELECT y.project_id, y.year, y.used FROM planting_project_years y
        WHERE y.used <> (
            SELECT COUNT(*) FROM plantings p WHERE p.project_id = y.project_id AND p.year = y.year
        ) + (
            SELECT COUNT(*) FROM coplantings c
            WHERE c.project_id = y.project_id AND c.year = y.year AND c.status = 'open'
        )
    """,
    "planting cost = energy its owners gave": """
        SELECT p.id, p.cost, COALESCE(SUM(o.grams), 0) AS given
        FROM plantings p LEFT JOIN planting_owners o ON o.planting_id = p.id
        GROUP BY p.id, p.cost HAVING p.cost <> COALESCE(SUM(o.grams), 0)
    """,
    "co-planting funded = contributions not refunded, never above its cost": """
        SELECT c.id, c.status, c.cost, c.funded, COALESCE(SUM(k.grams), 0) AS given
        FROM coplantings c
        LEFT JOIN coplanting_contributions k ON k.coplanting_id = c.id AND k.refunded = FALSE
        GROUP BY c.id, c.status, c.cost, c.funded
        HAVING c.funded <> COALESCE(SUM(k.grams), 0) OR c.funded > c.cost
            OR (c.status = 'cancelled' AND c.funded <> 0)
    """,
    "a co-planting is planted exactly when it is funded and has its planting": """
        SELECT c.id, c.status, c.cost, c.funded, p.id AS planting_id
        FROM coplantings c LEFT JOIN plantings p ON p.coplanting_id = c.id
        WHERE (c.status = 'planted' AND (p.id IS NULL OR c.funded <> c.cost
                                         OR c.planting_id IS NULL OR c.planting_id <> p.id))
           OR (c.status <> 'planted' AND p.id IS NOT NULL)
    """,
    "co-planted tree owners = their contributions": """
        SELECT o.planting_id, o.user_id, o.grams, SUM(k.grams) AS given
        FROM planting_owners o
        JOIN plantings p ON p.id = o.planting_id AND p.coplanting_id IS NOT NULL
        LEFT JOIN coplanting_contributions k
            ON k.coplanting_id = p.coplanting_id AND k.user_id = o.user_id
        GROUP BY o.id, o.planting_id, o.user_id, o.grams
        HAVING o.grams <> COALESCE(SUM(k.grams), 0)
    """,
    "area total = sold + remaining, sold = adoptions": """
        SELECT a.id, a.total_m2, a.sold_m2, a.remaining_m2,
               COALESCE(SUM(d.square_metres), 0) AS adopted
        FROM protected_areas a LEFT JOIN area_adoptions d ON d.area_id = a.id
        GROUP BY a.id, a.total_m2, a.sold_m2, a.remaining_m2
        HAVING a.total_m2 <> a.sold_m2 + a.remaining_m2 OR a.remaining_m2 < 0
            OR a.sold_m2 <> COALESCE(SUM(d.square_metres), 0)
    """,
    "adoption energy = square metres x price": """
        SELECT d.id, d.square_metres, d.grams, a.price_grams_per_m2
        FROM area_adoptions d JOIN protected_areas a ON a.id = d.area_id
        WHERE d.grams <> d.square_metres * a.price_grams_per_m2 OR d.square_metres <= 0
    """,
    "matching budget = spent + remaining, spent = matches, raised = donations": """
        SELECT w.id, w.match_budget, w.match_spent, w.match_remaining, w.raised,
               COALESCE(SUM(d.matched), 0) AS matched, COALESCE(SUM(d.grams), 0) AS donated
        FROM welfare_projects w LEFT JOIN welfare_donations d ON d.project_id = w.id
        GROUP BY w.id, w.match_budget, w.match_spent, w.match_remaining, w.raised
        HAVING w.match_budget <> w.match_spent + w.match_remaining OR w.match_remaining < 0
            OR w.match_spent <> COALESCE(SUM(d.matched), 0)
            OR w.raised <> COALESCE(SUM(d.grams), 0)
    """,
    "a donation is matched at most 1:1": """
        SELECT id, grams, matched FROM welfare_donations
        WHERE matched < 0 OR matched > grams OR grams <= 0
    """,
}

# Pairs of totals that must be equal.
TREE_TOTAL_CHECKS: dict[str, tuple[str, str]] = {
    "energy spent on plantings = plant entries": (
        "SELECT COALESCE(SUM(cost), 0) AS total FROM plantings WHERE coplanting_id IS NULL",
        "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'plant'",
    ),
    "energy given to co-plantings = coplant entries": (
        "SELECT COALESCE(SUM(grams), 0) AS total FROM coplanting_contributions",
        "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'coplant'",
    ),
    "co-planting refunds = coplant_refund entries": (
        "SELECT COALESCE(SUM(grams), 0) AS total FROM coplanting_contributions"
        " WHERE refunded = TRUE",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'coplant_refund'",
    ),
    "energy spent on protected land = adopt entries": (
        "SELECT COALESCE(SUM(grams), 0) AS total FROM area_adoptions",
        "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'adopt'",
    ),
    "energy donated = donate entries": (
        "SELECT COALESCE(SUM(grams), 0) AS total FROM welfare_donations",
        "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'donate'",
    ),
}


TREE_CHECKS = Checks(rows=TREE_ROW_CHECKS, totals=TREE_TOTAL_CHECKS)
