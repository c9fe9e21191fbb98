"""Partner keys: a public key id and a secret shown once, sealed at rest; rotation with an
overlap, revocation (docs/partners.md#what-you-get-from-us).

The server must read a secret back to check an HMAC, so secrets cannot be hashed like
passwords. They are sealed with AES-GCM under a key derived from GREENSPARK_PARTNER_SECRETS_KEY
(or the signing key), with the key id as associated data: a copy of the database alone reveals
no secret, and a sealed secret moved to another key's row does not open.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from core.clock import Clock
from core.db import in_transaction
from core.errors import NotFound
from core.settings import Settings
from game.partners.platforms.models import PartnerKey, PartnerPlatform

KeyStatus = Literal["active", "expiring", "expired", "revoked"]
_NONCE_BYTES = 12


class PartnerNotFound(NotFound):
    """No partner platform has this id or name."""

    code = "partner-not-found"
    title = "Partner platform not found"


class PartnerKeyNotFound(NotFound):
    """No partner key has this key id."""

    code = "partner-key-not-found"
    title = "Partner key not found"


class SecretUnreadable(Exception):
    """A sealed secret does not open: the secrets key changed or the row was tampered with."""


@dataclass(frozen=True)
class SecretBox:
    """Seals and opens partner secrets."""

    key: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        """A box keyed by GREENSPARK_PARTNER_SECRETS_KEY, or derived from the signing key."""
        material = settings.partner_secrets_key or settings.signing_key
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"greenspark partner secrets"
        ).derive(material.encode())
        return cls(key=derived)

    def seal(self, key_id: str, secret: str) -> bytes:
        """Nonce and ciphertext of a secret, bound to its key id."""
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + AESGCM(self.key).encrypt(nonce, secret.encode(), key_id.encode())

    def open(self, key_id: str, sealed: bytes) -> str:
        """The secret sealed for this key id, or SecretUnreadable."""
        nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
        try:
            return AESGCM(self.key).decrypt(nonce, body, key_id.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise SecretUnreadable(key_id) from exc


@dataclass(frozen=True)
class IssuedKey:
    """A new key and its secret, which is shown this once and never again."""

    key: PartnerKey
    secret: str


def key_status(key: PartnerKey, now: datetime) -> KeyStatus:
    """Whether a key signs calls now, will stop (after a rotation), or no longer does."""
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is None:
        return "active"
    return "expiring" if key.expires_at > now else "expired"


async def issue_key(
    conn: BaseDBAsyncClient, clock: Clock, box: SecretBox, platform_id: int
) -> IssuedKey:
    """A fresh key id and secret for a platform, inside the caller's transaction."""
    key_id = "pk_" + secrets.token_hex(10)
    secret = "pss_" + secrets.token_urlsafe(32)
    key = await PartnerKey.create(
        using_db=conn,
        platform_id=platform_id,
        key_id=key_id,
        sealed_secret=box.seal(key_id, secret),
        created_at=clock.now(),
    )
    return IssuedKey(key=key, secret=secret)


@dataclass(frozen=True)
class Rotation:
    """The new key, and the older keys with the moment they stop working."""

    issued: IssuedKey
    retiring: list[PartnerKey]


async def rotate_secret(
    clock: Clock, box: SecretBox, platform_id: int, overlap: timedelta
) -> Rotation:
    """Issue a new key; the platform's older usable keys keep working for `overlap` more."""
    now = clock.now()
    ends = now + overlap
    async with in_transaction() as conn:
        platform = (
            await PartnerPlatform.filter(id=platform_id).using_db(conn).select_for_update().first()
        )
        if platform is None:
            raise PartnerNotFound(f"no partner platform {platform_id}")
        # Shorten, never lengthen: a key already on its way out keeps its earlier end.
        await (
            PartnerKey.filter(platform_id=platform_id, revoked_at=None)
            .filter(Q(expires_at=None) | Q(expires_at__gt=ends))
            .using_db(conn)
            .update(expires_at=ends)
        )
        retiring = list(
            await PartnerKey.filter(platform_id=platform_id, revoked_at=None, expires_at__gt=now)
            .using_db(conn)
            .order_by("id")
        )
        issued = await issue_key(conn, clock, box, platform_id)
    return Rotation(issued=issued, retiring=retiring)


async def revoke_key(
    clock: Clock, key_id: str, reason: str, platform_id: int | None = None
) -> PartnerKey:
    """Stop a key at once; revoking a revoked key changes nothing."""
    keys = PartnerKey.filter(key_id=key_id)
    if platform_id is not None:
        keys = keys.filter(platform_id=platform_id)
    key = await keys.first()
    if key is None:
        raise PartnerKeyNotFound(f"no partner key {key_id!r}")
    await PartnerKey.filter(id=key.id, revoked_at=None).update(
        revoked_at=clock.now(), revoked_reason=reason.strip()[:200]
    )
    await key.refresh_from_db()
    return key


async def keys_of(platform_id: int) -> list[PartnerKey]:
    """A platform's keys, oldest first."""
    return list(await PartnerKey.filter(platform_id=platform_id).order_by("id"))
