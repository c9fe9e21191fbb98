"""Game domains: carbon accounting, energy and bubbles, and (later) trees, boards, campaigns."""
