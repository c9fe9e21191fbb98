"""Power-event checks: outcomes follow from the readings kept, rewards equal what pools paid."""

from __future__ import annotations

from core.reconcile import Checks

POWER_EVENT_CHECKS = Checks(
    rows={
        "a settled household saved max(0, baseline - actual), rewarded at most at the rate": """
            SELECT en.id, en.baseline_wh, en.actual_wh, en.saved_wh, en.reward_fen
            FROM power_event_entries en JOIN power_events ev ON ev.id = en.event_id
            WHERE en.status = 'settled' AND (en.baseline_wh IS NULL OR en.actual_wh IS NULL
                OR en.saved_wh <> CASE WHEN en.baseline_wh > en.actual_wh
                                       THEN en.baseline_wh - en.actual_wh ELSE 0 END
                OR en.reward_fen > en.saved_wh * ev.rate_fen_per_kwh / 1000)
        """,
        "a household's reward is what its grant cost, from the event's pool": """
            SELECT en.id, en.reward_fen, g.cost, g.pool_id, ev.pool_id AS event_pool
            FROM power_event_entries en JOIN power_events ev ON ev.id = en.event_id
            LEFT JOIN reward_grants g ON g.id = en.grant_id
            WHERE (en.grant_id IS NULL AND en.reward_fen <> 0)
               OR (en.grant_id IS NOT NULL AND (g.id IS NULL OR g.cost <> en.reward_fen
                   OR g.pool_id <> ev.pool_id OR g.user_id <> en.user_id
                   OR g.source <> 'power_event'))
        """,
        "a household not settled has no outcome yet": """
            SELECT id, status, saved_wh, reward_fen, grant_id FROM power_event_entries
            WHERE status <> 'settled' AND (saved_wh <> 0 OR reward_fen <> 0
                OR grant_id IS NOT NULL OR action_id IS NOT NULL)
        """,
    }
)
