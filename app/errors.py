"""RFC 9457 problem responses for every error, with stable `type` URIs.

The types are listed in docs/api.md#problem-types.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import orjson
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from redis.exceptions import RedisError
from tortoise.exceptions import DBConnectionError

from core.errors import DomainError, ErrorKind

log = structlog.get_logger("greenspark.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "/problems/"

STATUS_BY_KIND: dict[ErrorKind, int] = {
    "malformed": 400,
    "invalid": 422,
    "unauthorized": 401,
    "not_found": 404,
    "forbidden": 403,
    "conflict": 409,
    "gone": 410,
    "limited": 429,
}

# Stable problem codes for the framework's own HTTP errors.
CODE_BY_STATUS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "The request is malformed"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflicts with the current state"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("rate-limited", "Too many requests"),
    503: ("unavailable", "Service unavailable"),
}


def problem_body(
    status: int, code: str, title: str, detail: str, instance: str = "", **extra: Any
) -> bytes:
    """Serialise one problem document."""
    document: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        document["instance"] = instance
    document.update({k: v for k, v in extra.items() if v is not None})
    return orjson.dumps(document)


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[bytes]:
    """A Litestar response carrying a problem document."""
    return Response(
        content=problem_body(status, code, title, detail, instance, **extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    """Map a rule's refusal to its problem response."""
    status = STATUS_BY_KIND[exc.kind]
    retry_after = exc.extra.get("retry_after")
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return problem_response(
        status, exc.code, exc.title, exc.detail, request.url.path, headers, **exc.extra
    )


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[bytes]:
    """Malformed JSON, wrong types, out-of-range values: 400 with the field errors."""
    errors = exc.extra if isinstance(exc.extra, list) else None
    return problem_response(
        400,
        "validation-failed",
        "The request does not match the expected shape",
        exc.detail or "Validation failed",
        request.url.path,
        errors=errors,
    )


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    """Framework HTTP errors (401, 404, 405, 413 …) as problems."""
    status = exc.status_code
    if status >= 500 and status != 503:
        return internal_error_handler(request, exc)
    code, title = CODE_BY_STATUS.get(status, (f"http-{status}", "Request failed"))
    headers = dict(exc.headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    detail = exc.detail if exc.detail and exc.detail != title else title
    extra = exc.extra if isinstance(exc.extra, dict) else {}
    return problem_response(status, code, title, detail, request.url.path, headers, **extra)


def _retry_after(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"Retry-After": str(request.app.state.settings.unavailable_retry_after_seconds)}


def redis_unavailable_handler(request: Request[Any, Any, Any], exc: RedisError) -> Response[bytes]:
    """Redis refused or timed out: what needed it cannot be answered now (docs/reliability.md)."""
    log.warning("redis unavailable", method=request.method, path=request.url.path, error=str(exc))
    return problem_response(
        503,
        "redis-unavailable",
        "Temporarily unavailable",
        "a service this request needs is unreachable; nothing was changed, retry later",
        request.url.path,
        _retry_after(request),
    )


def _database_unreachable(exc: BaseException) -> bool:
    """True when the exception, or one it was raised from, says the database cannot be reached."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(
            seen,
            DBConnectionError
            | ConnectionError
            | TimeoutError
            | asyncpg.PostgresConnectionError
            | asyncpg.InterfaceError
            # A pooled connection whose server went away mid-conversation.
            | asyncpg.InternalClientError
            | asyncpg.CannotConnectNowError
            | asyncpg.AdminShutdownError,
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Anything unexpected: logged with its trace, answered without internals."""
    if isinstance(exc, RecursionError):
        # A body nested deeper than the decoder's recursion limit (100,000 `[`, say).
        return problem_response(
            400,
            "validation-failed",
            "The request does not match the expected shape",
            "the body is nested too deeply",
            request.url.path,
        )
    if _database_unreachable(exc):
        # The database went away mid-request: its transaction did not commit.
        log.warning("database unavailable", method=request.method, path=request.url.path)
        return problem_response(
            503,
            "database-unavailable",
            "Temporarily unavailable",
            "the database is unreachable; nothing was changed, retry later",
            request.url.path,
            _retry_after(request),
        )
    log.error("unhandled error", method=request.method, path=request.url.path, exc_info=exc)
    return problem_response(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "internal-error",
        "Internal error",
        "The server failed to handle the request",
        request.url.path,
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    RedisError: redis_unavailable_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_MEDIA_TYPE", "MediaType", "problem_body"]
