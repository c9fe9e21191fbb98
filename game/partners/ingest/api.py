"""The signed partner API: batches of actions and of meter readings (docs/partners.md).

These routes take no bearer token. Each is given a `signed_call` (the raw body, so that the
signature is checked over the exact bytes sent, with the signing headers) and runs the work to do
through the gate rule once the call is in. Other domains' signed routes do the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast

import msgspec
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_200_OK

from core.errors import Malformed
from game.partners.gate.gate import Gate, Outcome, PartnerCaller, partner_call
from game.partners.gate.signing import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignedRequest,
)
from game.partners.ingest.actions import BatchOutcome, Crediting, ingest_actions
from game.partners.ingest.readings import ReadingBatchOutcome, ingest_readings
from game.partners.ingest.schemas import (
    ActionBatchIn,
    ActionBatchOut,
    ReadingBatchIn,
    ReadingBatchOut,
    action_batch_out,
    reading_batch_out,
)
from game.partners.platforms.registry import PartnerRules
from game.power.readings import ReadingRules

KeyIdHeader = Annotated[
    str | None, HeaderParameter(name=KEY_HEADER, description="The partner key id", required=False)
]
TimestampHeader = Annotated[
    str | None,
    HeaderParameter(name=TIMESTAMP_HEADER, description="Unix seconds when signed", required=False),
]
SignatureHeader = Annotated[
    str | None,
    HeaderParameter(
        name=SIGNATURE_HEADER,
        description="hex HMAC-SHA256 of METHOD\\nPATH\\nTIMESTAMP\\nBODY",
        required=False,
    ),
]
SIGNED: list[dict[str, list[str]]] = [{"partner_signature": []}]
R = TypeVar("R", bound=Outcome)
S = TypeVar("S", bound=msgspec.Struct)


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A msgspec JSON schema with its $defs written in place (OpenAPI resolves refs elsewhere)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return cast(dict[str, Any], walk(schema))


def documented_body(shape: type[msgspec.Struct]) -> type[Operation]:
    """An OpenAPI operation that shows `shape` as the JSON body the handler reads raw."""
    schema = _inline(msgspec.json.schema(shape))

    class WithBody(Operation):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.request_body = RequestBody(
                content={"application/json": OpenAPIMediaType(schema=cast(Schema, schema))},
                required=True,
            )

    return WithBody


def signed_request(
    request: Request[Any, Any, Any],
    body: bytes,
    key_id: str | None,
    timestamp: str | None,
    signature: str | None,
) -> SignedRequest:
    """The request as the gate checks it: method, path with query, headers and raw body."""
    path = request.scope["raw_path"].decode("latin-1")
    query = request.scope["query_string"].decode("latin-1")
    return SignedRequest(
        method=request.method,
        path=f"{path}?{query}" if query else path,
        key_id=key_id,
        timestamp=timestamp,
        signature=signature,
        body=body,
        address=request.client.host if request.client else "",
    )


@dataclass(frozen=True)
class SignedCall:
    """A partner's call as it arrived, signed, and the gate it has to pass."""

    gate: Gate
    request: SignedRequest

    def decode(self, shape: type[S], expected: str) -> S:
        """The body as `shape`, or a malformed-request problem saying what was `expected`."""
        try:
            return msgspec.json.decode(self.request.body, type=shape)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise Malformed(f"{expected}: {exc}") from None

    async def run(
        self, work: Callable[[PartnerCaller], Awaitable[R]], scope: str | None = None
    ) -> R:
        """Audit the call, check its signature, freshness and `scope`, then run `work`."""
        return await partner_call(self.gate, self.request, work, scope=scope)


async def provide_signed_call(
    request: Request[Any, Any, Any],
    partner_gate: NamedDependency[Gate],
    key_id: KeyIdHeader = None,
    timestamp: TimestampHeader = None,
    signature: SignatureHeader = None,
) -> SignedCall:
    """The `signed_call` of a signed route: its raw body and signing headers, and the gate."""
    body = await request.body()
    return SignedCall(partner_gate, signed_request(request, body, key_id, timestamp, signature))


class PartnerApiController(Controller):
    """Signed batches from partner platforms."""

    tags = ["partner API (signed)"]

    @post(
        "/api/v1/partner/actions",
        status_code=HTTP_200_OK,
        security=SIGNED,
        operation_class=documented_body(ActionBatchIn),
        summary="Report a batch of players' actions (signed)",
    )
    async def actions(
        self,
        signed_call: NamedDependency[SignedCall],
        crediting: NamedDependency[Crediting],
        partner_rules: NamedDependency[PartnerRules],
    ) -> ActionBatchOut:
        """Each item is credited once per (partner, external_id); each gets its outcome."""
        body = signed_call.request.body

        async def work(caller: PartnerCaller) -> BatchOutcome:
            return await ingest_actions(crediting, partner_rules.batch_max_items, caller, body)

        return action_batch_out(await signed_call.run(work))

    @post(
        "/api/v1/partner/meter-readings",
        status_code=HTTP_200_OK,
        security=SIGNED,
        operation_class=documented_body(ReadingBatchIn),
        summary="Send a batch of 15-minute smart-meter readings (signed)",
    )
    async def meter_readings(
        self,
        signed_call: NamedDependency[SignedCall],
        reading_rules: NamedDependency[ReadingRules],
        partner_rules: NamedDependency[PartnerRules],
    ) -> ReadingBatchOut:
        """Stored once per (meter, interval); a resent interval with a new value is corrected."""
        body, clock = signed_call.request.body, signed_call.gate.clock

        async def work(caller: PartnerCaller) -> ReadingBatchOutcome:
            return await ingest_readings(
                clock, reading_rules, partner_rules.batch_max_items, caller, body
            )

        return reading_batch_out(await signed_call.run(work))
