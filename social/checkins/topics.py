"""The check-in topics, read from assets/topics.json."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import orjson

from core.assets import ASSETS
from core.errors import Invalid

TOPICS_FILE = ASSETS / "topics.json"


class UnknownTopic(Invalid):
    """The topic code is not in the topic list."""

    code = "unknown-topic"
    title = "Unknown topic"


@dataclass(frozen=True)
class Topic:
    """One subject a check-in can be about."""

    code: str
    name: str
    description: str


@lru_cache(maxsize=1)
def load_topics() -> dict[str, Topic]:
    """Every topic by code, in file order."""
    raw = orjson.loads(TOPICS_FILE.read_bytes())
    return {
        t["code"]: Topic(code=t["code"], name=t["name"], description=t["description"])
        for t in raw["topics"]
    }


def require_topic(code: str) -> Topic:
    """The topic with this code, or UnknownTopic."""
    topic = load_topics().get(code)
    if topic is None:
        raise UnknownTopic(f"no topic is called {code!r}")
    return topic
