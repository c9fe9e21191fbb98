"""Store checks: stock, per-player limits, every purchase paid once, store credit balanced and
equal to what pools paid for it (docs/store.md#reconciliation)."""

from __future__ import annotations

from core.reconcile import Checks

STORE_CHECKS = Checks(
    rows={
        "item stock and sold never negative, sold = its redemptions": """
            SELECT i.id, i.stock, i.sold, COUNT(r.id) AS redemptions FROM store_items i
            LEFT JOIN store_redemptions r ON r.item_id = i.id
            GROUP BY i.id, i.stock, i.sold
            HAVING i.stock < 0 OR i.sold < 0 OR i.sold <> COUNT(r.id)
        """,
        "an item's restocked = the sum of its stock moves; its initial stock never negative": """
            SELECT i.id, i.stock, i.sold, i.restocked, COALESCE(SUM(m.quantity), 0) AS moved
            FROM store_items i LEFT JOIN store_stock_moves m ON m.item_id = i.id
            GROUP BY i.id, i.stock, i.sold, i.restocked
            HAVING i.restocked <> COALESCE(SUM(m.quantity), 0)
                OR i.stock + i.sold - i.restocked < 0
        """,
        "each stock move adds units": """
            SELECT id, item_id, quantity FROM store_stock_moves WHERE quantity <= 0
        """,
        "a voucher is void exactly when it was voided": """
            SELECT id, code, status, voided_at FROM reward_vouchers
            WHERE (status = 'void') <> (voided_at IS NOT NULL)
        """,
        "a player's count of an item = their redemptions, within its limit": """
            SELECT h.item_id, h.user_id, h.count, i.per_player_limit,
                (SELECT COUNT(*) FROM store_redemptions r
                 WHERE r.item_id = h.item_id AND r.user_id = h.user_id) AS redemptions
            FROM store_item_holdings h JOIN store_items i ON i.id = h.item_id
            WHERE h.count > i.per_player_limit OR h.count <> (
                SELECT COUNT(*) FROM store_redemptions r
                WHERE r.item_id = h.item_id AND r.user_id = h.user_id)
        """,
        "each energy purchase has its store_purchase ledger row, for its price": """
            SELECT r.id, r.price, l.delta FROM store_redemptions r
            LEFT JOIN energy_ledger l ON l.key = 'store:' || r.id
            WHERE r.currency = 'energy' AND (l.id IS NULL OR l.delta <> -r.price
                OR l.kind <> 'store_purchase' OR l.user_id <> r.user_id)
        """,
        "each credit purchase has its store-credit ledger row, for its price": """
            SELECT r.id, r.price, c.delta FROM store_redemptions r
            LEFT JOIN store_credit_entries c ON c.key = 'store:' || r.id
            WHERE r.currency = 'credit' AND (c.id IS NULL OR c.delta <> -r.price
                OR c.kind <> 'purchase' OR c.user_id <> r.user_id)
        """,
        "each store_purchase ledger row pays a redemption": """
            SELECT l.id, l.key FROM energy_ledger l
            LEFT JOIN store_redemptions r ON l.key = 'store:' || r.id AND r.currency = 'energy'
            WHERE l.kind = 'store_purchase' AND r.id IS NULL
        """,
        "each voucher item's redemption issued one voucher of the item's value": """
            SELECT r.id, i.voucher_value_fen, v.face_value_fen FROM store_redemptions r
            JOIN store_items i ON i.id = r.item_id
            LEFT JOIN reward_vouchers v ON v.store_redemption_id = r.id
            WHERE (i.kind = 'voucher') <> (v.id IS NOT NULL)
               OR (v.id IS NOT NULL AND (v.face_value_fen <> i.voucher_value_fen
                   OR v.owner_id <> r.user_id))
        """,
        "store credit = sum of its ledger, never negative": """
            SELECT a.user_id, a.balance_fen, COALESCE(SUM(c.delta), 0) AS ledger_sum
            FROM store_credit_accounts a
            LEFT JOIN store_credit_entries c ON c.user_id = a.user_id
            GROUP BY a.user_id, a.balance_fen
            HAVING a.balance_fen <> COALESCE(SUM(c.delta), 0) OR a.balance_fen < 0
        """,
        "each store-credit row's balance_after = running sum of deltas": """
            SELECT id, user_id, balance_after, running FROM (
                SELECT id, user_id, balance_after,
                       SUM(delta) OVER (PARTITION BY user_id ORDER BY id) AS running
                FROM store_credit_entries
            ) chained WHERE balance_after <> running OR balance_after < 0
        """,
        "each credit grant a pool paid has its store-credit row, for its cost": """
            SELECT g.id, g.cost, c.delta FROM reward_grants g
            LEFT JOIN store_credit_entries c ON c.key = 'grant:' || g.id
            WHERE g.kind = 'credit' AND g.outcome = 'granted'
              AND (c.id IS NULL OR c.delta <> g.cost OR c.user_id <> g.user_id
                   OR c.kind <> 'grant')
        """,
        "each granted store-credit row comes from a credit grant": """
            SELECT c.id, c.key FROM store_credit_entries c
            LEFT JOIN reward_grants g ON c.key = 'grant:' || g.id AND g.kind = 'credit'
            WHERE c.kind = 'grant' AND g.id IS NULL
        """,
    },
    totals={
        "store credit issued = what pools spent on credit grants": (
            """SELECT COALESCE(SUM(delta), 0) AS total FROM store_credit_entries
               WHERE kind = 'grant'""",
            """SELECT COALESCE(SUM(cost), 0) AS total FROM reward_grants
               WHERE kind = 'credit' AND outcome = 'granted'""",
        ),
    },
)
