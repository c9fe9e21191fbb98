"""Domain errors. Each carries a stable code; the shell maps its kind to an HTTP status once."""

from __future__ import annotations

from typing import ClassVar, Literal

ErrorKind = Literal[
    "malformed", "invalid", "unauthorized", "not_found", "forbidden", "conflict", "gone", "limited"
]


class DomainError(Exception):
    """A rule refused to act; `code` is stable and becomes the problem `type`."""

    kind: ClassVar[ErrorKind] = "invalid"
    code: ClassVar[str] = "invalid-request"
    title: ClassVar[str] = "The request cannot be carried out"

    def __init__(self, detail: str | None = None, **extra: object) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra


class NotFound(DomainError):
    """The thing asked for does not exist, or the caller may not know it exists."""

    kind = "not_found"
    code = "not-found"
    title = "Not found"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    kind = "forbidden"
    code = "forbidden"
    title = "Not allowed"


class Conflict(DomainError):
    """The request clashes with the current state of the world."""

    kind = "conflict"
    code = "conflict"
    title = "Conflicts with the current state"


class Invalid(DomainError):
    """The request is well formed but asks for something the rules do not allow."""

    kind = "invalid"
    code = "invalid-request"
    title = "Invalid request"


class Malformed(DomainError):
    """The request cannot be read: bytes a rule parses itself are not the expected shape."""

    kind = "malformed"
    code = "malformed-request"
    title = "The request is malformed"


class Limited(DomainError):
    """A rate or quota limit has been reached."""

    kind = "limited"
    code = "limit-reached"
    title = "Limit reached"


class Unauthorized(DomainError):
    """The caller could not be identified (bad credentials or token)."""

    kind = "unauthorized"
    code = "unauthorized"
    title = "Authentication failed"


class Gone(DomainError):
    """The thing existed but can no longer be acted on."""

    kind = "gone"
    code = "gone"
    title = "No longer available"
