"""The shared kernel: clock, domain errors, events outbox, database helpers, paging, settings and
the user identity; every domain may import it and it imports no domain."""
