"""Teams of friends that take part in campaigns together (docs/rules.md#teams)."""
