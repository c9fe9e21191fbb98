"""Bill checks: a voucher only for a drop above the threshold, equal to the drop, once a month."""

from __future__ import annotations

from core.reconcile import Checks

BILL_CHECKS = Checks(
    rows={
        "a bill's grant pays exactly its drop, from its programme's pool": """
            SELECT b.id, b.drop_fen, g.cost, g.outcome FROM bill_bills b
            JOIN bill_households h ON h.id = b.household_id
            JOIN bill_programmes p ON p.id = h.programme_id
            LEFT JOIN reward_grants g ON g.id = b.grant_id
            WHERE b.grant_id IS NOT NULL AND (g.id IS NULL OR g.pool_id <> p.pool_id
                OR g.user_id <> h.user_id OR g.source <> 'bill' OR g.kind <> 'voucher'
                OR (g.outcome = 'granted' AND g.cost <> b.drop_fen)
                OR (b.outcome = 'voucher') <> (g.outcome = 'granted'))
        """,
        "a voucher only for a drop above the threshold against last year's bill": """
            SELECT b.id, b.amount_fen, b.compared_fen, b.drop_fen, b.outcome FROM bill_bills b
            JOIN bill_households h ON h.id = b.household_id
            JOIN bill_programmes p ON p.id = h.programme_id
            WHERE b.outcome IN ('voucher', 'pool-exhausted', 'pool-closed') AND (
                b.compared_fen IS NULL
                OR (b.compared_fen - b.amount_fen) * 10000 <= b.compared_fen * p.min_drop_bp
                OR b.drop_fen <> b.compared_fen - b.amount_fen
                OR NOT EXISTS (SELECT 1 FROM bill_bills l WHERE l.household_id = b.household_id
                    AND l.amount_fen = b.compared_fen AND l.month < b.month))
        """,
        "a bill without a voucher outcome has no paid grant": """
            SELECT b.id, b.outcome, b.grant_id FROM bill_bills b
            WHERE b.outcome IN ('no-comparison', 'below-threshold') AND b.grant_id IS NOT NULL
        """,
    }
)
