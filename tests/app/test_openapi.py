"""The OpenAPI document: what clients are generated from changes only on purpose."""

from __future__ import annotations

import difflib

from scripts.openapi import REFERENCE, rendered, served_document


def test_the_served_document_is_the_committed_one():
    served = rendered(served_document()).decode().splitlines()
    committed = REFERENCE.read_text().splitlines()
    diff = "\n".join(difflib.unified_diff(committed, served, "docs/openapi.json", "served", n=1))
    assert not diff, f"the API surface changed; run python -m scripts.openapi\n{diff[:4000]}"


async def test_every_operation_documents_its_problem_responses(client):
    """Generated clients can handle errors: each operation lists its problems (RFC 9457)."""
    document = (await client.get("/schema/openapi.json")).json()
    assert document["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status"]
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 60
    for path, method, operation in operations:
        responses = operation["responses"]
        for status in ("400", "503"):
            assert status in responses, (method, path, status)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                content = response["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
        if operation.get("security") != []:
            assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method == "post":
            assert {"409", "422", "429"} <= set(responses), (method, path)
    collect = document["paths"]["/api/v1/bubbles/{bubble_id}/collect"]["post"]["responses"]
    assert {"401", "403", "404", "409", "410", "422", "429"} <= set(collect)
    public = document["paths"]["/api/v1/auth/login"]["post"]
    assert public["security"] == []
    assert "401" in public["responses"]  # wrong credentials
