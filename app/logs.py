"""Secrets never reach a log line: tokens and tickets in URLs are redacted wherever logged.

The websocket handshake carries a single-use ticket in its URL, and a client may still put a
token in a query string; uvicorn logs websocket URLs ("WebSocket /api/v1/ws?ticket=…
[accepted]") and the request logger logs query parameters. Both pass through here.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import MutableMapping
from typing import Any

SECRET_NAMES = frozenset({"token", "ticket", "access_token", "refresh_token", "password"})
_IN_TEXT = re.compile(
    r"(?i)\b(" + "|".join(sorted(SECRET_NAMES)) + r")=([^&\s\"']+)",
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with the value of every `token=…`, `ticket=…` (and such) replaced."""
    return _IN_TEXT.sub(lambda m: f"{m.group(1)}={REDACTED}", text)


def redact_secrets(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: secret query parameters and secrets in text are redacted."""
    for field, value in list(event.items()):
        if isinstance(value, dict):
            event[field] = {
                k: (REDACTED if str(k).lower() in SECRET_NAMES else v) for k, v in value.items()
            }
        elif isinstance(value, str) and "=" in value:
            event[field] = redact(value)
    return event


class RedactSecrets(logging.Filter):
    """A logging filter that redacts secrets from the formatted message (uvicorn's logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drop the record."""
        message = record.getMessage()
        if "=" in message:
            record.msg, record.args = redact(message), ()
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration with the redacting filter on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": f"{__name__}.RedactSecrets"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    return config
