"""Unguessable codes that people read and type: certificates, vouchers."""

from __future__ import annotations

import secrets

# Crockford-style alphabet: no 0/O or 1/I/L to misread on a printed certificate.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


CODE_LENGTH = 12


def new_code() -> str:
    """A random verification code for a certificate."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
