"""The banned-words filter: text matching assets/banned_words.txt is held for review."""

from __future__ import annotations

import re
from functools import lru_cache

from core.assets import ASSETS

WORDS_FILE = ASSETS / "banned_words.txt"


@lru_cache(maxsize=1)
def banned_pattern() -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any listed word or phrase on word boundaries."""
    words = [
        line.strip()
        for line in WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not words:
        return None
    # Phrases match across any run of whitespace; longest first so phrases win over words.
    alternatives = sorted(
        (r"\s+".join(re.escape(part) for part in w.split()) for w in words), key=len, reverse=True
    )
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def has_banned_words(text: str) -> bool:
    """Whether the text contains a banned word or phrase."""
    pattern = banned_pattern()
    return bool(pattern and pattern.search(text))
