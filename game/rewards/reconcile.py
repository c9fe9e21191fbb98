"""Conservation checks for rewards: pools never overspent, every grant paid exactly once.

Run by `greenspark reconcile` with the other domains' checks (docs/rules.md#reconciliation).
"""

from __future__ import annotations

from core.reconcile import Checks

REWARD_ROW_CHECKS: dict[str, str] = {
    "pool total = spent + remaining, none negative, spent never above total": """
        SELECT id, total, spent, remaining, unit_cost FROM reward_pools
        WHERE total <> spent + remaining OR spent < 0 OR remaining < 0 OR unit_cost <= 0
           OR spent > total
    """,
    "pool total = its funding rows, spent = its grant rows = what its paid grants cost": """
        SELECT * FROM (
            SELECT p.id, p.total, p.spent, p.unit_cost,
                (SELECT COALESCE(SUM(e.amount), 0) FROM reward_pool_entries e
                 WHERE e.pool_id = p.id AND e.kind = 'fund') AS funded,
                (SELECT COALESCE(SUM(e.amount), 0) FROM reward_pool_entries e
                 WHERE e.pool_id = p.id AND e.kind = 'grant') AS drawn,
                (SELECT COALESCE(SUM(g.cost), 0) FROM reward_grants g
                 WHERE g.pool_id = p.id AND g.outcome = 'granted') AS paid
            FROM reward_pools p
        ) pools
        WHERE total <> funded OR spent <> drawn OR spent <> paid
    """,
    "a campaign or medal grant a pool paid cost its unit cost": """
        SELECT g.id, g.cost, p.unit_cost FROM reward_grants g
        JOIN reward_pools p ON p.id = g.pool_id
        WHERE g.outcome = 'granted' AND g.source IN ('campaign', 'medal')
          AND g.cost <> p.unit_cost
    """,
    "each pool grant row pays one granted grant of that pool, at its unit cost": """
        SELECT e.id, e.pool_id, e.amount, g.id AS grant_id, g.pool_id AS grant_pool, g.cost
        FROM reward_pool_entries e
        LEFT JOIN reward_grants g ON g.id = e.grant_id
        WHERE e.kind = 'grant' AND (g.id IS NULL OR g.pool_id <> e.pool_id
            OR g.outcome <> 'granted' OR g.cost <> e.amount)
    """,
    "a grant a pool could not pay cost nothing": """
        SELECT id, outcome, cost FROM reward_grants WHERE outcome <> 'granted' AND cost <> 0
    """,
    "one grant per player per campaign per reward": """
        SELECT user_id, campaign_id, reward_id, COUNT(*) AS grants FROM reward_grants
        WHERE source = 'campaign'
        GROUP BY user_id, campaign_id, reward_id HAVING COUNT(*) > 1
    """,
    "each energy grant has its campaign_reward ledger row, for its grams": """
        SELECT g.id, g.grams, l.id AS entry_id, l.delta, l.kind FROM reward_grants g
        LEFT JOIN energy_ledger l ON l.key = 'reward:' || g.id
        WHERE g.kind = 'energy' AND g.outcome = 'granted'
          AND (l.id IS NULL OR l.delta <> g.grams OR l.kind <> 'campaign_reward'
               OR l.user_id <> g.user_id)
    """,
    "each campaign_reward ledger row pays an energy grant": """
        SELECT l.id, l.key, l.delta FROM energy_ledger l
        LEFT JOIN reward_grants g ON l.key = 'reward:' || g.id AND g.kind = 'energy'
        WHERE l.kind = 'campaign_reward' AND g.id IS NULL
    """,
    "each prop grant has its prop ledger row, for its quantity": """
        SELECT g.id, g.quantity, p.id AS entry_id, p.delta FROM reward_grants g
        LEFT JOIN prop_ledger p ON p.key = 'reward:' || g.id
        WHERE g.kind = 'prop' AND g.outcome = 'granted'
          AND (p.id IS NULL OR p.delta <> g.quantity OR p.kind <> g.prop_kind)
    """,
    "each medal grant has its medal": """
        SELECT g.id FROM reward_grants g LEFT JOIN medal_awards m ON m.grant_id = g.id
        WHERE g.kind = 'medal' AND g.outcome = 'granted' AND m.id IS NULL
    """,
    "each granted voucher was issued by a granted voucher grant of its pool, at its cost": """
        SELECT v.id, v.pool_id, v.face_value_fen, g.id AS grant_id
        FROM reward_vouchers v
        LEFT JOIN reward_grants g ON g.id = v.grant_id
        WHERE v.store_redemption_id IS NULL AND (
            g.id IS NULL OR g.kind <> 'voucher' OR g.outcome <> 'granted'
            OR v.pool_id IS NULL OR g.pool_id <> v.pool_id OR g.user_id <> v.owner_id
            OR v.face_value_fen <> g.cost)
    """,
    "a voucher comes from a grant or from the store, never both": """
        SELECT id, grant_id, store_redemption_id FROM reward_vouchers
        WHERE (grant_id IS NULL) = (store_redemption_id IS NULL)
    """,
    "a redeemed voucher names its merchant and when, an unredeemed one neither": """
        SELECT id, status, merchant_id, redeemed_at FROM reward_vouchers
        WHERE (status = 'redeemed') <> (merchant_id IS NOT NULL AND redeemed_at IS NOT NULL)
    """,
}

REWARD_TOTAL_CHECKS: dict[str, tuple[str, str]] = {
    "energy rewards granted = campaign_reward ledger entries": (
        """SELECT COALESCE(SUM(grams), 0) AS total FROM reward_grants
           WHERE kind = 'energy' AND outcome = 'granted'""",
        "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'campaign_reward'",
    ),
    "vouchers issued = voucher grants paid by their pools": (
        "SELECT COUNT(*) AS total FROM reward_vouchers WHERE grant_id IS NOT NULL",
        """SELECT COUNT(*) AS total FROM reward_grants
           WHERE kind = 'voucher' AND outcome = 'granted' AND pool_id IS NOT NULL""",
    ),
}

REWARD_CHECKS = Checks(rows=REWARD_ROW_CHECKS, totals=REWARD_TOTAL_CHECKS)
