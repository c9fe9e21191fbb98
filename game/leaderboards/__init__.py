"""Leaderboards on Redis sorted sets (DESIGN §5): a general board, and the energy boards."""
