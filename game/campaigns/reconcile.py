"""Conservation checks for campaigns: progress is what counted, rewards went to completions.

Run by `greenspark reconcile` with the other domains' checks (docs/rules.md#reconciliation).
"""

from __future__ import annotations

from core.reconcile import Checks

CAMPAIGN_ROW_CHECKS: dict[str, str] = {
    "participant progress = sum of its contributions (a streak: at most its days)": """
        SELECT p.id, p.campaign_id, p.user_id, p.progress, c.goal_kind,
               COALESCE(SUM(k.amount), 0) AS counted, COUNT(DISTINCT k.local_date) AS days
        FROM campaign_participants p
        JOIN campaigns c ON c.id = p.campaign_id
        LEFT JOIN campaign_contributions k
            ON k.campaign_id = p.campaign_id AND k.user_id = p.user_id
        GROUP BY p.id, p.campaign_id, p.user_id, p.progress, c.goal_kind
        HAVING (c.goal_kind <> 'streak' AND p.progress <> COALESCE(SUM(k.amount), 0))
            OR (c.goal_kind = 'streak' AND p.progress > COUNT(DISTINCT k.local_date))
            OR p.progress < 0
    """,
    "every contribution belongs to a participant, inside the campaign's window": """
        SELECT k.id, k.campaign_id, k.user_id, k.occurred_at FROM campaign_contributions k
        JOIN campaigns c ON c.id = k.campaign_id
        LEFT JOIN campaign_participants p
            ON p.campaign_id = k.campaign_id AND p.user_id = k.user_id
        WHERE p.id IS NULL OR k.occurred_at < c.starts_at OR k.occurred_at >= c.ends_at
           OR k.amount <= 0
    """,
    "team and region totals = contributions counted for them": """
        SELECT g.id, g.campaign_id, g.kind, g.key, g.total,
               (SELECT COALESCE(SUM(k.amount), 0) FROM campaign_contributions k
                WHERE k.campaign_id = g.campaign_id
                  AND ((g.kind = 'team' AND CAST(k.team_id AS TEXT) = g.key)
                       OR (g.kind = 'region' AND k.region = g.key))) AS counted
        FROM campaign_group_totals g
        WHERE g.total <> (SELECT COALESCE(SUM(k.amount), 0) FROM campaign_contributions k
                WHERE k.campaign_id = g.campaign_id
                  AND ((g.kind = 'team' AND CAST(k.team_id AS TEXT) = g.key)
                       OR (g.kind = 'region' AND k.region = g.key)))
    """,
    "a completed individual goal reached its target": """
        SELECT p.id, p.campaign_id, p.user_id, p.progress, c.goal_target
        FROM campaign_participants p
        JOIN campaigns c ON c.id = p.campaign_id
        WHERE c.goal_scope = 'individual' AND p.completed_at IS NOT NULL
          AND p.progress < c.goal_target
    """,
    "a completed team or region reached its target": """
        SELECT g.id, g.campaign_id, g.kind, g.key, g.total, c.goal_target
        FROM campaign_group_totals g JOIN campaigns c ON c.id = g.campaign_id
        WHERE g.completed_at IS NOT NULL AND (g.total < c.goal_target OR c.goal_scope <> g.kind)
    """,
    "campaign rewards go to participants who completed the goal": """
        SELECT g.id, g.campaign_id, g.user_id FROM reward_grants g
        LEFT JOIN campaign_participants p
            ON p.campaign_id = g.campaign_id AND p.user_id = g.user_id
        WHERE g.source = 'campaign' AND (p.id IS NULL OR p.completed_at IS NULL)
    """,
}

CAMPAIGN_CHECKS = Checks(rows=CAMPAIGN_ROW_CHECKS)
