"""Problem responses in the OpenAPI document: every operation lists the errors it can answer.

Litestar documents each handler's success response (and a 400 of its own shape); clients need
the problem documents too (docs/api.md#problem-types). Rather than write them on every route,
this step adds them to the generated document once, by what each operation is: public or
behind a token, with path parameters or not, reading or changing, with a body or not.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
)

from app.errors import PROBLEM_MEDIA_TYPE

PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    description="An RFC 9457 problem document; `type` is stable (docs/api.md#problem-types)",
    required=["type", "title", "status"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, examples=["/problems/bubble-not-ripe"]),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(type=OpenAPIType.OBJECT),
            description="validation-failed: what was wrong with which field",
        ),
    },
)

MEANING = {
    "400": "Malformed request: bad JSON, wrong types, unknown fields, out-of-range parameters",
    "401": "Missing, invalid, expired or revoked access token",
    "403": "The caller may not do this (role, suspension, not a friend, not the owner)",
    "404": "No such object, or not one the caller may know of",
    "409": "Conflicts with the current state (see the problem type)",
    "410": "No longer available (an expired bubble)",
    "413": "Body over the size limit",
    "415": "Body in a format this operation does not take",
    "422": "Well formed but refused by a rule (see the problem type)",
    "429": "A limit was reached; Retry-After says when to try again",
    "503": "Redis or the database is unreachable; nothing was changed; Retry-After says when",
}
WRITES = {"post", "put", "patch", "delete"}


def _statuses(path: str, method: str, operation: Operation, public: bool) -> list[str]:
    """The problem statuses one operation can answer."""
    statuses = {"400", "503"}
    if not public:
        statuses |= {"401", "403"}
    elif method == "post":
        statuses.add("401")  # login and refresh refuse credentials
    if "{" in path:
        statuses.add("404")
    if operation.parameters or method in WRITES:
        statuses.add("422")
    if method in WRITES:
        statuses |= {"409", "404"}
    if method == "post":
        statuses |= {"410", "429"}
    if operation.request_body is not None:
        statuses |= {"413", "415"}
    return sorted(statuses)


def add_problem_responses(document: OpenAPI, public_paths: list[str]) -> OpenAPI:
    """Add the Problem schema and each operation's problem responses to the document.

    Operations on `public_paths` (regular expressions) are marked as needing no token.
    """
    public_patterns = [re.compile(p) for p in public_paths]
    components = document.components
    if not isinstance(components, Components):
        components = document.components = Components()
    components.schemas = {**(components.schemas or {}), "Problem": PROBLEM_SCHEMA}
    problem = OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))
    _describe_metrics(document)
    for path, item in (document.paths or {}).items():
        if not path.startswith("/api/"):
            continue
        for method in ("get", "put", "post", "patch", "delete"):
            operation: Operation | None = getattr(item, method, None)
            if operation is None:
                continue
            public = any(p.search(path) for p in public_patterns)
            if public:
                operation.security = []
            responses: dict[str, Any] = dict(operation.responses or {})
            for status in _statuses(path, method, operation, public):
                responses[status] = OpenAPIResponse(
                    description=MEANING[status], content={PROBLEM_MEDIA_TYPE: problem}
                )
            operation.responses = responses
    return document


def _describe_metrics(document: OpenAPI) -> None:
    """`/metrics` answers Prometheus text, which Litestar's own controller documents as JSON."""
    item = (document.paths or {}).get("/metrics")
    operation = item.get if item is not None else None
    if operation is None or not operation.responses:
        return
    operation.summary = "Prometheus metrics"
    operation.security = []
    operation.responses = {
        "200": OpenAPIResponse(
            description="Metrics in the Prometheus text format",
            content={"text/plain": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))},
        )
    }


def document_problems(app: Litestar, public_paths: list[str]) -> None:
    """Add the problems to the app's OpenAPI document, the one object it serves from then on."""
    add_problem_responses(app.openapi_schema, public_paths)
