"""Recycling pick-ups booked in slots, confirmed and weighed by the recycling partner."""
