"""Planting partners report trees planted with date, plot, GPS and photo; admins verify."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from app.domains import reconcile
from game.trees.plantings.models import Planting
from tests.game.trees.test_trees import SAXAUL, assert_not_blank, events_of, plant, set_up_project
from tests.servers import run_cli


@pytest.fixture
def settings(settings):
    """Small photo limits so the tests can cross them cheaply."""
    return settings.model_copy(
        update={"planting_photo_max_bytes": 200_000, "planting_photo_max_pixels": 1_000_000}
    )


def jpeg_with_exif(size=(60, 40)):
    """A JPEG carrying a camera name, a GPS position and a 'rotate 90' orientation."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (38.0, 51.0, 7.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def image_bytes(kind, size=(32, 32), noise=False):
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else None
    image = image or Image.new("RGB", size, (200, 180, 120))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


FORM = {"planted_on": "2026-06-10", "plot": "A-17", "latitude": "38.8521", "longitude": "105.6738"}


async def report(client, who, planting_id, photo=None, **fields):
    files = {"photo": ("tree.jpg", jpeg_with_exif() if photo is None else photo, "image/jpeg")}
    return await client.post(
        f"/api/v1/planting-partner/plantings/{planting_id}/report",
        data={**FORM, **fields},
        files=files,
        headers=who.headers,
    )


async def partner_user(client, players, project):
    """A planting_partner user attached to the project's partner organisation."""
    reporter = await players.staff("planting_partner")
    attached = await client.post(
        f"/api/v1/admin/planting-partners/{project['partner']['id']}/members",
        json={"user_id": reporter.id},
        headers=project["admin"].headers,
    )
    assert attached.status_code == 200, attached.text
    return reporter


async def planted_tree(client, players, project, display_name="Ada"):
    ada = await players.new(display_name=display_name)
    await players.grant(ada, SAXAUL)
    response = await plant(client, ada)
    assert response.status_code == 201, response.text
    return ada, response.json()


async def test_a_tree_goes_from_allocated_to_planted_to_verified(app, client, players):
    project = await set_up_project(client, players)
    reporter = await partner_user(client, players, project)
    ada, tree = await planted_tree(client, players, project, "Ada Lovelace")
    todo = await client.get(
        "/api/v1/planting-partner/plantings",
        params={"status": "allocated"},
        headers=reporter.headers,
    )
    assert [p["id"] for p in todo.json()["items"]] == [tree["id"]]
    certificate = f"/api/v1/plantings/{tree['id']}/certificate.png"
    first = await client.get(certificate, headers=ada.headers)
    reported = await report(client, reporter, tree["id"], note="spring campaign")
    assert reported.status_code == 200, reported.text
    body = reported.json()
    assert (body["status"], body["version"], body["plot"], body["planted_on"]) == (
        "planted", 2, "A-17", "2026-06-10"
    )  # fmt: skip
    assert (body["latitude"], body["longitude"]) == (38.8521, 105.6738)
    photo = await client.get(body["photo"], headers=ada.headers)
    assert photo.headers["content-type"] == "image/jpeg"
    stored = Image.open(io.BytesIO(photo.content))
    assert (stored.size, dict(stored.getexif())) == ((40, 60), {})
    verified = await client.post(
        f"/api/v1/plantings/{tree['id']}/verify", json={"note": "survey ok"},
        headers=project["admin"].headers,
    )  # fmt: skip
    assert (verified.json()["status"], verified.json()["version"]) == ("verified", 3)
    shown = (await client.get(f"/api/v1/plantings/{tree['id']}", headers=ada.headers)).json()
    assert [(h["status"], h["version"]) for h in shown["history"]] == [
        ("allocated", 1), ("planted", 2), ("verified", 3)
    ]  # fmt: skip
    events = await events_of(app, ada.id, "planting.status")
    assert [(e["status"], e["version"]) for e in events] == [
        ("allocated", 1), ("planted", 2), ("verified", 3)
    ]  # fmt: skip
    # Only the verification waits in the owner's inbox.
    inbox = (await client.get("/api/v1/me/notifications", headers=ada.headers)).json()
    assert [(n["kind"], n["data"]["status"]) for n in inbox["items"]] == [
        ("planting_verified", "verified")
    ]
    after = await client.get(certificate, headers=ada.headers)
    assert after.headers["x-render-cache"] == "miss" and after.content != first.content
    image = Image.open(io.BytesIO(after.content))
    assert_not_blank(image, (600, 620, 900, 660))  # the GPS row appears once planted
    code = (await client.get(f"/api/v1/certificates/{tree['verification_code']}")).json()
    assert ["Status", "verified"] in code["details"]
    assert ["GPS", "38.85210, 105.67380"] in code["details"]
    assert await reconcile() == []


async def test_bad_reports_are_refused_and_change_nothing(client, players, settings):
    project = await set_up_project(client, players)
    reporter = await partner_user(client, players, project)
    stranger_project = await set_up_project(client, players)
    stranger = await partner_user(client, players, stranger_project)
    unattached = await players.staff("planting_partner")
    ada, tree = await planted_tree(client, players, project)
    tid = tree["id"]
    cases = [
        (ada, tid, {}, None, 403, "forbidden"),
        (unattached, tid, {}, None, 403, "not-attached-to-a-planting-partner"),
        (stranger, tid, {}, None, 403, "planting-of-another-partner"),
        (reporter, 99_999, {}, None, 404, "planting-not-found"),
        (reporter, tid, {"latitude": "91"}, None, 422, "gps-out-of-range"),
        (reporter, tid, {"longitude": "-180.5"}, None, 422, "gps-out-of-range"),
        (reporter, tid, {"latitude": "nan"}, None, 422, "gps-out-of-range"),
        (reporter, tid, {"latitude": "north"}, None, 400, "validation-failed"),
        (reporter, tid, {"planted_on": "2026-06-12"}, None, 422, "planted-date-out-of-range"),
        (reporter, tid, {"planted_on": "2025-01-01"}, None, 422, "planted-date-out-of-range"),
        (reporter, tid, {"planted_on": "yesterday"}, None, 400, "validation-failed"),
        (reporter, tid, {"plot": "x" * 65}, None, 400, "validation-failed"),
        (reporter, tid, {"plot": ""}, None, 400, "validation-failed"),
        (reporter, tid, {"colour": "red"}, None, 400, "validation-failed"),
        (reporter, tid, {}, b"#!/bin/sh\necho not a photo\n", 422, "invalid-photo"),
        (reporter, tid, {}, b"", 422, "invalid-photo"),
        (reporter, tid, {}, image_bytes("GIF"), 422, "invalid-photo"),
        (reporter, tid, {}, jpeg_with_exif()[:200], 422, "invalid-photo"),
        (reporter, tid, {}, image_bytes("PNG", (1100, 1000)), 422, "photo-too-large"),
        (reporter, tid, {}, image_bytes("BMP", (300, 300), noise=True), 422, "photo-too-large"),
    ]
    for who, planting_id, fields, photo, status, code in cases:
        response = await report(client, who, planting_id, photo, **fields)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}"), (
            fields, code
        )  # fmt: skip
    no_photo = await client.post(
        f"/api/v1/planting-partner/plantings/{tid}/report", data=FORM, headers=reporter.headers
    )
    assert no_photo.status_code == 400
    as_json = await client.post(
        f"/api/v1/planting-partner/plantings/{tid}/report", json=FORM, headers=reporter.headers
    )
    assert as_json.status_code == 400
    unsigned = await client.post(f"/api/v1/planting-partner/plantings/{tid}/report", data=FORM)
    assert unsigned.status_code == 401
    planting = await Planting.get(id=tid)
    assert (planting.status, planting.version, planting.photo) == ("allocated", 1, "")
    assert not (settings.data_dir / "media").exists()
    early = await client.post(f"/api/v1/plantings/{tid}/verify", headers=project["admin"].headers)
    assert (early.status_code, early.json()["type"]) == (409, "/problems/planting-status-conflict")
    assert (await report(client, reporter, tid)).status_code == 200
    twice = await report(client, reporter, tid)
    assert (twice.status_code, twice.json()["type"]) == (409, "/problems/planting-status-conflict")
    by_manager = await client.post(
        f"/api/v1/plantings/{tid}/verify", json={}, headers=project["manager"].headers
    )
    assert by_manager.status_code == 403
    assert (await Planting.get(id=tid)).version == 2


async def test_partners_only_see_their_own_trees(client, players):
    project = await set_up_project(client, players)
    reporter = await partner_user(client, players, project)
    other = await partner_user(client, players, await set_up_project(client, players))
    _, tree = await planted_tree(client, players, project)
    mine = await client.get(f"/api/v1/plantings/{tree['id']}", headers=reporter.headers)
    assert mine.status_code == 200
    theirs = await client.get(f"/api/v1/plantings/{tree['id']}", headers=other.headers)
    assert theirs.status_code == 404
    listed = await client.get("/api/v1/planting-partner/plantings", headers=other.headers)
    assert listed.json()["items"] == []
    bad = await client.get(
        "/api/v1/planting-partner/plantings", params={"status": "lost"}, headers=reporter.headers
    )
    assert bad.status_code == 400
    player = await players.new()
    refused = await client.get("/api/v1/planting-partner/plantings", headers=player.headers)
    assert refused.status_code == 403
    not_partner = await client.post(
        f"/api/v1/admin/planting-partners/{project['partner']['id']}/members",
        json={"user_id": player.id}, headers=project["admin"].headers,
    )  # fmt: skip
    assert not_partner.json()["type"] == "/problems/not-a-planting-partner-user"


async def test_cli_creates_and_attaches_a_partner_user(client, players, settings):
    made = run_cli(settings, "create-user", "--username", "alxa_staff", "--password",
                "partner-pass-1", "--role", "planting_partner")  # fmt: skip
    assert made.returncode == 0, made.stderr
    attached = run_cli(settings, "attach-partner", "--username", "alxa_staff",
                    "--partner", "Alxa SEE Foundation", "--region", "CN-15")  # fmt: skip
    assert attached.returncode == 0, attached.stderr
    assert "reports for Alxa SEE Foundation" in attached.stdout
    login = await client.post(
        "/api/v1/auth/login", json={"username": "alxa_staff", "password": "partner-pass-1"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    listed = await client.get("/api/v1/planting-partner/plantings", headers=headers)
    assert (listed.status_code, listed.json()["items"]) == (200, [])
    missing = run_cli(settings, "attach-partner", "--username", "nobody", "--partner", "X")
    assert missing.returncode != 0
