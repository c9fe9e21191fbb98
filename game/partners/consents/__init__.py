"""Players' consents: which partner may report what about them, kept as history."""
