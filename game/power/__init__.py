"""Household power: smart meters and their 15-minute readings (docs/rules.md#meter-readings)."""
