"""Moderation: reports, the review queue, moderators' actions, the audit log, suspensions."""
