"""Accounts: registration, login, rotating refresh tokens, roles."""
