"""Social domains: friends, visits, timeline, check-ins and moderation."""
