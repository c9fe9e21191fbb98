"""Rewards: budget pools, grants (energy, props, medals, vouchers) and monthly medals."""
