"""Notifications: the inbox of what happened while a player was away, and push to their devices."""
