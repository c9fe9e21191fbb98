"""Plantings: applying to plant a grown tree, partner reports, photos and verification."""
