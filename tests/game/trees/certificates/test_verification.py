"""Public verification by code: any malformed code is a 404, never a server error."""

from __future__ import annotations


async def test_codes_of_any_shape_answer_404(client):
    for code in (
        "ABCDEFGHIJKLMNOPQ",
        "A" * 40,
        "ABCD",
        "abcd-efgh-jkmn",
        "0000-1111-IIII",
        "Z" * 13,
    ):
        response = await client.get(f"/api/v1/certificates/{code}")
        assert response.status_code == 404, (code, response.text)
        assert response.json()["type"] == "/problems/certificate-not-found"
    too_long = await client.get("/api/v1/certificates/" + "A" * 41)
    assert too_long.status_code == 400
