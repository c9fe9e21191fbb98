"""Partner platforms: keys and signed calls, players' consents, and the batches partners send
(docs/partners.md, docs/rules.md#partner-platforms)."""
