"""Recycling checks: slots never overbooked, each completed pick-up credited once."""

from __future__ import annotations

from core.reconcile import Checks

RECYCLING_CHECKS = Checks(
    rows={
        "a slot's booked = its live bookings, never above its capacity": """
            SELECT s.id, s.booked, s.capacity,
                (SELECT COUNT(*) FROM recycling_pickups p
                 WHERE p.slot_id = s.id AND p.status <> 'cancelled') AS live
            FROM recycling_slots s
            WHERE s.booked < 0 OR s.booked > s.capacity OR s.booked <> (
                SELECT COUNT(*) FROM recycling_pickups p
                WHERE p.slot_id = s.id AND p.status <> 'cancelled')
        """,
        "a completed pick-up's energy is its recycling_pickup action": """
            SELECT p.id, p.grams, a.grams AS action_grams FROM recycling_pickups p
            LEFT JOIN carbon_actions a ON a.id = p.action_id
            WHERE (p.status = 'completed' AND p.action_id IS NOT NULL AND (a.id IS NULL
                   OR a.grams <> p.grams OR a.scenario <> 'recycling_pickup'
                   OR a.user_id <> p.user_id))
               OR (p.status <> 'completed' AND (p.action_id IS NOT NULL OR p.grams <> 0))
        """,
    }
)
