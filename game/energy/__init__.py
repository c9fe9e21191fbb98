"""Green energy: bubbles that ripen and expire, collecting, and the append-only ledger."""
