"""Request signing: HMAC-SHA256 over method, path, timestamp and the exact body bytes
(docs/partners.md#signing-a-call).

    signed = METHOD + "\n" + PATH + "\n" + TIMESTAMP + "\n" + BODY
    Greenspark-Signature = hex(HMAC-SHA256(secret, signed))

PATH is the request path as sent, with its query string if it has one. TIMESTAMP is Unix
seconds; the call must arrive within the window either side of it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.clock import Clock
from core.errors import Conflict, Unauthorized
from game.partners.platforms.keys import SecretBox, key_status
from game.partners.platforms.models import PartnerKey

KEY_HEADER = "Greenspark-Key-Id"
TIMESTAMP_HEADER = "Greenspark-Timestamp"
SIGNATURE_HEADER = "Greenspark-Signature"

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^[0-9a-fA-F]{64}$")


class SignatureMissing(Unauthorized):
    """A signing header is missing or malformed."""

    code = "partner-signature-missing"
    title = "Partner signature headers missing or malformed"


class TimestampOutOfWindow(Unauthorized):
    """The signed timestamp is too far from the server's time."""

    code = "partner-timestamp-out-of-window"
    title = "The request timestamp is outside the window"


class UnknownPartnerKey(Unauthorized):
    """No key has this key id."""

    code = "unknown-partner-key"
    title = "Unknown partner key"


class PartnerKeyRevoked(Unauthorized):
    """The key was revoked."""

    code = "partner-key-revoked"
    title = "The partner key was revoked"


class PartnerKeyExpired(Unauthorized):
    """The key was replaced and its overlap has ended."""

    code = "partner-key-expired"
    title = "The partner key has expired"


class BadSignature(Unauthorized):
    """The signature does not match the request: wrong secret, or a changed body or path."""

    code = "bad-signature"
    title = "The signature does not match the request"


class ReplayedRequest(Conflict):
    """This exact signed request was received before."""

    code = "replayed-request"
    title = "This signed request was already received"


@dataclass(frozen=True)
class SignedRequest:
    """The parts of a partner call that the signature covers, as they arrived."""

    method: str
    path: str
    key_id: str | None
    timestamp: str | None
    signature: str | None
    body: bytes
    address: str = ""


def signing_string(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    """The bytes a partner signs."""
    return f"{method.upper()}\n{path}\n{timestamp}\n".encode() + body


def sign(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of a request under a secret."""
    message = signing_string(method, path, timestamp, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Verified:
    """A call whose signature checked out: the key that signed it and when."""

    key: PartnerKey
    signed_at: datetime
    signature: str


def require_headers(signed: SignedRequest) -> None:
    """Refuse with SignatureMissing unless the three signing headers are present and well formed."""
    if not (signed.key_id and _KEY_ID.match(signed.key_id)):
        raise SignatureMissing(f"{KEY_HEADER} is required")
    if not (signed.timestamp and _TIMESTAMP.match(signed.timestamp)):
        raise SignatureMissing(f"{TIMESTAMP_HEADER} is required: Unix seconds")
    if not (signed.signature and _SIGNATURE.match(signed.signature)):
        raise SignatureMissing(f"{SIGNATURE_HEADER} is required: 64 hex digits")


def signed_moment(signed: SignedRequest, clock: Clock, window: timedelta) -> datetime:
    """The signed timestamp (headers checked), if it falls within the window of the clock."""
    assert signed.timestamp is not None
    moment = datetime.fromtimestamp(int(signed.timestamp), tz=UTC)
    skew = abs((clock.now() - moment).total_seconds())
    if skew > window.total_seconds():
        raise TimestampOutOfWindow(
            f"the timestamp is {int(skew)} s from the server's time; at most "
            f"{int(window.total_seconds())} s are allowed",
            server_time=int(clock.now().timestamp()),
        )
    return moment


def verify_signature(
    clock: Clock, box: SecretBox, key: PartnerKey | None, signed: SignedRequest, moment: datetime
) -> Verified:
    """Check the key is usable and the signature matches, comparing in constant time."""
    if key is None:
        raise UnknownPartnerKey(f"no partner key {signed.key_id!r}")
    status = key_status(key, clock.now())
    if status == "revoked":
        raise PartnerKeyRevoked(f"key {key.key_id} was revoked")
    if status == "expired":
        raise PartnerKeyExpired(f"key {key.key_id} stopped working after its rotation overlap")
    assert signed.timestamp is not None and signed.signature is not None
    expected = sign(box.open(key.key_id, key.sealed_secret), signed.method, signed.path,
                    signed.timestamp, signed.body)  # fmt: skip
    given = signed.signature.lower()
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise BadSignature("recompute the HMAC over the exact bytes sent (docs/partners.md)")
    return Verified(key=key, signed_at=moment, signature=given)
