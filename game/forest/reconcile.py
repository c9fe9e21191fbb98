"""Conservation of what friends move: steal and watering records against the ledger."""

from __future__ import annotations

from core.reconcile import Checks

FOREST_CHECKS = Checks(
    totals={
        "energy stolen = sum of steal records": (
            "SELECT COALESCE(SUM(stolen), 0) AS total FROM bubbles",
            "SELECT COALESCE(SUM(grams), 0) AS total FROM energy_steals",
        ),
        "watering ledger = sum of watering records": (
            "SELECT COALESCE(SUM(delta), 0) AS total FROM energy_ledger WHERE kind = 'water_in'",
            "SELECT COALESCE(SUM(grams), 0) AS total FROM energy_waterings",
        ),
    }
)
