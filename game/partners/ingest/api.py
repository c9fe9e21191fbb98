"""The signed partner API: batches of actions and of meter readings (docs/partners.md).

These routes take no bearer token. Each reads the raw body, so the signature is checked over
the exact bytes sent, and hands it to the gate rule with the work to do once the call is in.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

import msgspec
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_200_OK

from game.partners.gate.gate import Gate, PartnerCaller, partner_call
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
        request: Request[Any, Any, Any],
        partner_gate: NamedDependency[Gate],
        crediting: NamedDependency[Crediting],
        partner_rules: NamedDependency[PartnerRules],
        key_id: KeyIdHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> ActionBatchOut:
        """Each item is credited once per (partner, external_id); each gets its outcome."""
        body = await request.body()

        async def work(caller: PartnerCaller) -> BatchOutcome:
            return await ingest_actions(crediting, partner_rules.batch_max_items, caller, body)

        signed = signed_request(request, body, key_id, timestamp, signature)
        return action_batch_out(await partner_call(partner_gate, signed, work))

    @post(
        "/api/v1/partner/meter-readings",
        status_code=HTTP_200_OK,
        security=SIGNED,
        operation_class=documented_body(ReadingBatchIn),
        summary="Send a batch of 15-minute smart-meter readings (signed)",
    )
    async def meter_readings(
        self,
        request: Request[Any, Any, Any],
        partner_gate: NamedDependency[Gate],
        reading_rules: NamedDependency[ReadingRules],
        partner_rules: NamedDependency[PartnerRules],
        key_id: KeyIdHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> ReadingBatchOut:
        """Stored once per (meter, interval); a resent interval with a new value is corrected."""
        body = await request.body()

        async def work(caller: PartnerCaller) -> ReadingBatchOutcome:
            return await ingest_readings(
                partner_gate.clock, reading_rules, partner_rules.batch_max_items, caller, body
            )

        signed = signed_request(request, body, key_id, timestamp, signature)
        return reading_batch_out(await partner_call(partner_gate, signed, work))
