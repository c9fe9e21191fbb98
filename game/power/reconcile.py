"""Power checks: one reading per meter and interval, each equal to its last correction."""

from __future__ import annotations

from core.reconcile import Checks

POWER_CHECKS = Checks(
    rows={
        "meter readings unique per (meter, interval)": """
            SELECT meter_id, interval_start, COUNT(*) AS n FROM power_meter_readings
            GROUP BY meter_id, interval_start HAVING COUNT(*) > 1
        """,
        "a corrected reading holds its last correction's value": """
            SELECT r.id, r.wh, r.revision, c.new_wh FROM power_meter_readings r
            LEFT JOIN power_reading_corrections c ON c.reading_id = r.id AND c.revision = r.revision
            WHERE r.wh < 0 OR (r.revision > 0 AND (c.id IS NULL OR c.new_wh <> r.wh))
        """,
        "each correction starts from the value before it": """
            SELECT c.id, c.old_wh, p.new_wh FROM power_reading_corrections c
            JOIN power_reading_corrections p
              ON p.reading_id = c.reading_id AND p.revision = c.revision - 1
            WHERE p.new_wh <> c.old_wh
        """,
    }
)
