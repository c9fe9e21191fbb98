"""Privacy: a player's data export, and account deletion with a grace period.

See docs/reliability.md#privacy.
"""
