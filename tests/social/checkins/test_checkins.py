"""Check-ins with photos: the photo pipeline, storage, reading and deleting."""

from __future__ import annotations

import pytest

from core.settings import Settings
from tests.images import (
    bomb_png,
    encoded,
    gps_exif,
    jpeg,
    opened,
    patterned,
    sideways_jpeg,
)
from tests.players import multipart

MiB = 1_048_576


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Small upload limits, so over-size uploads are cheap to make."""
    return settings.model_copy(update={"max_upload_bytes": 3 * MiB, "max_photo_bytes": 2 * MiB})


def stored_files(settings: Settings) -> list[str]:
    """Every file in the media store."""
    root = settings.data_dir / "media"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def fetch(client, url):
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return response


async def test_topics_are_listed_without_a_token(client):
    response = await client.get("/api/v1/topics")
    assert response.status_code == 200
    codes = [t["code"] for t in response.json()]
    assert {"green_commute", "second_hand", "plastic_free", "recycling"} <= set(codes)


async def test_a_gps_tagged_jpeg_comes_back_without_any_exif(client, players, settings):
    ada = await players.new()
    original = jpeg(patterned(1, (1600, 1200)), gps_exif())
    assert opened(original).getexif().get_ifd(0x8825)  # the upload does carry GPS
    checkin = await players.posted(
        ada, text="Metro today", photos=[("trip.jpg", original, "image/jpeg")]
    )
    assert checkin["state"] == "visible"
    [photo] = checkin["photos"]
    assert (photo["width"], photo["height"]) == (1280, 960)
    for url in (photo["url"], photo["thumb_url"]):
        data = (await fetch(client, url)).content
        image = opened(data)
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info and b"Exif\x00\x00" not in data
        assert b"GreenPhone" not in data
    thumb = opened((await fetch(client, photo["thumb_url"])).content)
    assert max(thumb.size) == 320
    assert len(stored_files(settings)) == 2


async def test_a_sideways_photo_is_turned_upright(client, players):
    ada = await players.new()
    checkin = await players.posted(ada, photos=[("side.jpg", sideways_jpeg(), "image/jpeg")])
    [photo] = checkin["photos"]
    assert (photo["width"], photo["height"]) == (200, 400)
    image = opened((await fetch(client, photo["url"])).content).convert("RGB")
    top, bottom = image.getpixel((100, 50)), image.getpixel((100, 350))
    assert top[0] > 150 and top[2] < 100  # red on top
    assert bottom[2] > 150 and bottom[0] < 100  # blue below


async def test_png_and_webp_are_accepted_and_re_encoded(client, players):
    ada = await players.new()
    photos = [
        ("a.png", encoded(patterned(2).convert("RGBA"), "PNG"), "image/png"),
        ("b.webp", encoded(patterned(3), "WEBP"), "image/webp"),
    ]
    checkin = await players.posted(ada, photos=photos)
    assert len(checkin["photos"]) == 2
    for photo in checkin["photos"]:
        assert opened((await fetch(client, photo["url"])).content).format == "JPEG"


def _refused_cases() -> list[tuple[str, bytes, int, str]]:
    whole = jpeg(patterned(4, (1200, 900)))
    padded = whole + b"\0" * (2 * MiB)  # a valid JPEG dragging 2 MiB of trailing bytes
    return [
        ("bomb.png", bomb_png(), 422, "photo-too-large"),
        ("cut.jpg", whole[: len(whole) // 2], 422, "photo-damaged"),
        ("notes.jpg", b"These are my notes, not a photo.\n" * 20, 422, "photo-format-not-allowed"),
        ("anim.gif", encoded(patterned(5), "GIF"), 422, "photo-format-not-allowed"),
        ("heavy.jpg", padded, 422, "photo-too-large"),
    ]


@pytest.mark.parametrize(("name", "data", "status", "code"), _refused_cases())
async def test_bad_photos_are_refused_and_nothing_is_stored(
    client, players, settings, name, data, status, code
):
    ada = await players.new()
    good = ("good.jpg", jpeg(patterned(6)), "image/jpeg")
    response = await players.checkin(ada, photos=[good, (name, data, "image/jpeg")])
    assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    assert stored_files(settings) == []
    assert await players.feed_ids(ada) == []


async def test_an_upload_over_the_total_cap_is_refused(client, players, settings):
    ada = await players.new()
    photos = [
        (f"p{i}.jpg", jpeg(patterned(10 + i)) + b"\0" * (MiB + 1000), "image/jpeg")
        for i in range(3)
    ]
    response = await players.checkin(ada, photos=photos)
    assert (response.status_code, response.json()["type"]) == (413, "/problems/payload-too-large")
    assert stored_files(settings) == []
    assert await players.feed_ids(ada) == []


async def test_get_and_delete_my_checkin(client, players, settings):
    ada, bo = await players.new(), await players.new()
    checkin = await players.posted(
        ada, topic="second_hand", photos=[("x.jpg", jpeg(patterned(7)), "image/jpeg")]
    )
    url = f"/api/v1/checkins/{checkin['id']}"
    seen = await client.get(url, headers=bo.headers)
    assert seen.status_code == 200
    assert seen.json()["author"]["id"] == ada.id and seen.json()["topic"] == "second_hand"
    refused = await client.delete(url, headers=bo.headers)
    assert (refused.status_code, refused.json()["type"]) == (403, "/problems/not-your-checkin")
    assert (await client.delete(url, headers=ada.headers)).status_code == 204
    gone = await client.get(url, headers=ada.headers)
    assert (gone.status_code, gone.json()["type"]) == (404, "/problems/checkin-not-found")
    assert stored_files(settings) == []
    media = await client.get(checkin["photos"][0]["url"])
    assert (media.status_code, media.json()["type"]) == (404, "/problems/media-not-found")


async def test_media_carries_caching_headers_and_answers_revalidation(client, players):
    ada = await players.new()
    checkin = await players.posted(ada, photos=[("x.jpg", jpeg(patterned(8)), "image/jpeg")])
    url = checkin["photos"][0]["url"]
    first = await fetch(client, url)
    assert first.headers["content-type"] == "image/jpeg"
    assert "max-age" in first.headers["cache-control"]
    again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    for bad in ("/api/v1/media/../../etc/passwd", "/api/v1/media/nothing.jpg"):
        assert (await client.get(bad)).status_code == 404


async def test_the_same_photo_from_another_account_is_flagged_as_a_repost(client, players):
    ada, bo = await players.new(), await players.new()
    picture = patterned(9, (900, 600))
    await players.posted(ada, photos=[("a.jpg", jpeg(picture, quality=95), "image/jpeg")])
    # Re-encoded smaller and at a lower quality: the bytes differ, the picture does not.
    smaller = picture.resize((450, 300))
    repost = await players.posted(bo, photos=[("b.jpg", jpeg(smaller, quality=60), "image/jpeg")])
    mine_again = await players.posted(
        ada, photos=[("c.jpg", jpeg(picture, quality=70), "image/jpeg")]
    )
    moderator = await players.moderator()
    queue = (await client.get("/api/v1/moderation/queue", headers=moderator.headers)).json()
    flagged = {(i["target_kind"], i["target_id"]): i["flags"] for i in queue["items"]}
    assert flagged == {("checkin", repost["id"]): ["repost"]}
    assert mine_again["state"] == "visible"


async def test_bad_checkin_input_is_refused(client, players, settings):
    ada = await players.new()
    photo = ("x.jpg", jpeg(patterned(11)), "image/jpeg")
    cases = [
        ({"topic": "space_travel", "text": "hi"}, [], 422, "unknown-topic"),
        ({"topic": "recycling", "text": ""}, [], 422, "empty-checkin"),
        ({"topic": "recycling", "text": "x" * 2001}, [], 422, "text-too-long"),
        ({"topic": "recycling", "text": "hi"}, [photo] * 10, 422, "too-many-photos"),
        ({"text": "no topic"}, [], 400, "validation-failed"),
        ({"topic": "recycling", "photos": "not a file"}, [], 400, "validation-failed"),
        ({"topic": "recycling", "photo": "misnamed"}, [], 400, "validation-failed"),
    ]
    for form, photos, status, code in cases:
        response = await client.post(
            "/api/v1/checkins", files=multipart(form, photos), headers=ada.headers
        )
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}"), (
            form,
            response.text,
        )
    as_json = await client.post(
        "/api/v1/checkins", json={"topic": "recycling", "text": "hi"}, headers=ada.headers
    )
    assert as_json.status_code in (400, 415)
    no_token = await client.post("/api/v1/checkins", data={"topic": "recycling", "text": "x"})
    assert no_token.status_code == 401
    for url in ("/api/v1/checkins/999999", "/api/v1/checkins/0", "/api/v1/checkins/abc"):
        assert (await client.get(url, headers=ada.headers)).status_code in (400, 404)
    assert stored_files(settings) == []
    assert await players.feed_ids(ada) == []
