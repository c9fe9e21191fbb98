"""Partner checks: every partner credit had a consent in force covering its scenario, and no
partner's daily budget was exceeded (docs/rules.md#reconciliation)."""

from __future__ import annotations

from core.reconcile import Checks

PARTNER_CHECKS = Checks(
    rows={
        "every partner credit had a consent in force for its player and scenario": """
            SELECT c.id, c.action_id, c.consent_id FROM partner_credits c
            JOIN carbon_actions a ON a.id = c.action_id
            LEFT JOIN partner_consents k ON k.id = c.consent_id
            LEFT JOIN partner_consent_scenarios s
                ON s.consent_id = c.consent_id AND s.scenario = a.scenario
            WHERE k.id IS NULL OR s.id IS NULL
               OR k.user_id <> a.user_id OR k.platform_id <> c.platform_id
               OR k.granted_at > a.created_at
               OR (k.revoked_at IS NOT NULL AND k.revoked_at < a.created_at)
        """,
        "every partner action is a partner credit of that partner, for its grams": """
            SELECT a.id, a.source, c.platform_id, a.grams, c.grams AS credit_grams
            FROM carbon_actions a LEFT JOIN partner_credits c ON c.action_id = a.id
            WHERE a.source LIKE 'partner:%'
              AND (c.id IS NULL OR a.source <> 'partner:' || c.platform_id OR a.grams <> c.grams)
        """,
        "partner daily budgets never exceeded": """
            SELECT platform_id, day, budget, used FROM partner_budget_days
            WHERE used > budget OR used < 0
        """,
        "budget used = grams of the day's partner credits": """
            SELECT b.platform_id, b.day, b.used, COALESCE(SUM(c.grams), 0) AS credited
            FROM partner_budget_days b
            LEFT JOIN partner_credits c ON c.platform_id = b.platform_id AND c.budget_day = b.day
            GROUP BY b.platform_id, b.day, b.used
            HAVING b.used <> COALESCE(SUM(c.grams), 0)
        """,
        "every partner credit drew on a budget day": """
            SELECT c.id, c.platform_id, c.budget_day FROM partner_credits c
            LEFT JOIN partner_budget_days b
                ON b.platform_id = c.platform_id AND b.day = c.budget_day
            WHERE b.id IS NULL
        """,
    },
    totals={
        "grams credited through partners = grams of partner credits": (
            "SELECT COALESCE(SUM(grams), 0) AS total FROM carbon_actions "
            "WHERE source LIKE 'partner:%'",
            "SELECT COALESCE(SUM(grams), 0) AS total FROM partner_credits",
        ),
    },
)
