"""Conservation of what friends move: steals, waterings, helps and revivals against the ledger.

See docs/rules.md#reconciliation: every `help_collect`, `revive` and `revive_pay` row has its
record, every record its rows, and kindness counts are the helps and friends' revivals made.
"""

from __future__ import annotations

from core.reconcile import Checks

FOREST_CHECKS = Checks(
    rows={
        "each help has its help_collect row, of its grams, to the bubble's owner": """
            SELECT h.id, h.grams, l.delta, l.user_id, h.owner_id FROM forest_helps h
            JOIN bubbles b ON b.id = h.bubble_id
            LEFT JOIN energy_ledger l
                ON l.key = 'help_collect:' || CAST(h.bubble_id AS VARCHAR(20))
            WHERE l.id IS NULL OR l.delta <> h.grams OR l.user_id <> h.owner_id
               OR b.owner_id <> h.owner_id
        """,
        "each revival gave its grams to the owner from the bubble's expired energy": """
            SELECT r.id, r.grams, b.revived, l.delta, l.user_id FROM forest_revivals r
            JOIN bubbles b ON b.id = r.bubble_id
            LEFT JOIN energy_ledger l ON l.key = 'revive:' || CAST(r.id AS VARCHAR(20))
            WHERE l.id IS NULL OR l.delta <> r.grams OR l.user_id <> r.owner_id
               OR l.kind <> 'revive' OR l.bubble_id <> r.bubble_id
               OR b.revived <> r.grams OR b.owner_id <> r.owner_id OR r.grams <= 0
        """,
        "a revived bubble has its revival": """
            SELECT b.id, b.revived FROM bubbles b
            LEFT JOIN forest_revivals r ON r.bubble_id = b.id
            WHERE b.revived > 0 AND r.id IS NULL
        """,
        "each friend's revival was paid by the friend, each owner's by a revive card": """
            SELECT r.id, r.paid_with, r.cost, l.delta, p.delta AS card FROM forest_revivals r
            LEFT JOIN energy_ledger l ON l.key = 'revive_pay:' || CAST(r.id AS VARCHAR(20))
            LEFT JOIN prop_ledger p ON p.key = 'revive:' || CAST(r.id AS VARCHAR(20))
            WHERE (r.paid_with = 'energy' AND (l.id IS NULL OR l.delta <> -r.cost
                       OR l.user_id <> r.reviver_id OR l.kind <> 'revive_pay'
                       OR r.cost <> r.grams OR r.reviver_id = r.owner_id OR p.id IS NOT NULL))
               OR (r.paid_with = 'card' AND (p.id IS NULL OR p.delta <> -1 OR r.cost <> 0
                       OR p.user_id <> r.owner_id OR p.kind <> 'revive_card'
                       OR r.reviver_id <> r.owner_id OR l.id IS NOT NULL))
               OR r.paid_with NOT IN ('energy', 'card')
        """,
        "kindness = helps given + friends' bubbles revived": """
            SELECT c.user_id, c.count, COALESCE(h.n, 0) + COALESCE(r.n, 0) AS deeds
            FROM board_counts c
            LEFT JOIN (SELECT helper_id, COUNT(*) AS n FROM forest_helps GROUP BY helper_id) h
                ON h.helper_id = c.user_id
            LEFT JOIN (SELECT reviver_id, COUNT(*) AS n FROM forest_revivals
                       WHERE paid_with = 'energy' GROUP BY reviver_id) r
                ON r.reviver_id = c.user_id
            WHERE c.board = 'kindness' AND c.count <> COALESCE(h.n, 0) + COALESCE(r.n, 0)
        """,
        "every kind player has a kindness count": """
            SELECT d.user_id FROM (
                SELECT helper_id AS user_id FROM forest_helps
                UNION SELECT reviver_id FROM forest_revivals WHERE paid_with = 'energy'
            ) d
            LEFT JOIN board_counts c ON c.board = 'kindness' AND c.user_id = d.user_id
            WHERE c.id IS NULL
        """,
    },
    totals={
        "energy stolen = sum of steal records": (
            "SELECT COALESCE(SUM(stolen), 0) AS total FROM bubbles",
            "SELECT COALESCE(SUM(grams), 0) AS total FROM energy_steals",
        ),
        "watering ledger = sum of watering records": (
            "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'water_in'",
            "SELECT COALESCE(SUM(grams), 0) AS total FROM energy_waterings",
        ),
        "help_collect ledger = sum of help records": (
            "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger"
            " WHERE kind = 'help_collect'",
            "SELECT COALESCE(SUM(grams), 0) AS total FROM forest_helps",
        ),
        "revive_pay ledger = what reviving friends paid": (
            "SELECT COALESCE(-SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'revive_pay'",
            "SELECT COALESCE(SUM(cost), 0) AS total FROM forest_revivals",
        ),
        "revive cards spent = revivals by owners": (
            "SELECT COALESCE(-SUM(delta), 0) AS total FROM prop_ledger"
            " WHERE kind = 'revive_card' AND key LIKE 'revive:%'",
            "SELECT COUNT(*) AS total FROM forest_revivals WHERE paid_with = 'card'",
        ),
    },
)
