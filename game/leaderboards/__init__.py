"""Leaderboards on Redis sorted sets: a general board and the energy boards (docs/rules.md)."""
