"""Check-ins in a player's export (with the photo files) and their erasure: the player's check-ins,
photos, comments and likes are deleted, and the counts on other players' check-ins follow."""

from __future__ import annotations

from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.db import run_after_commit
from core.privacy import Erasure, ExportPart, ExportRequest
from social.checkins.models import CheckIn, Comment, Like, Photo
from social.checkins.posting import discard_media, media_names
from social.checkins.reactions import refresh_comment_count
from social.checkins.review import DeletedContent, content_deleted


async def export_checkins(request: ExportRequest) -> ExportPart:
    """My check-ins with their photo files, my comments and my likes."""
    me = request.user_id
    checkins = (
        await CheckIn.filter(author_id=me)
        .order_by("id")
        .values("id", "topic", "text", "state", "like_count", "comment_count", "created_at")
    )
    photos = (
        await Photo.filter(author_id=me)
        .order_by("checkin_id", "position")
        .values("checkin_id", "position", "media_key", "width", "height", "created_at")
    )
    files: dict[str, bytes] = {}
    for photo in photos:
        names = media_names(photo["media_key"])
        photo["files"] = [f"photos/{name}" for name in names]
        for name in names:
            stored = await request.media.get(name)
            if stored is not None:
                files[f"photos/{name}"] = stored
    data: dict[str, object] = {
        "checkins": checkins,
        "photos": photos,
        "comments": await Comment.filter(author_id=me)
        .order_by("id")
        .values("checkin_id", "text", "state", "created_at"),
        "likes": await Like.filter(user_id=me).order_by("id").values("checkin_id", "created_at"),
    }
    return ExportPart("checkins", data, files)


async def erase_checkins(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Delete the player's check-ins (photos included), comments and likes."""
    me = erasure.user_id
    own = cast(
        list[int], await CheckIn.filter(author_id=me).using_db(conn).values_list("id", flat=True)
    )
    keys = cast(
        list[str],
        await Photo.filter(checkin_id__in=own).using_db(conn).values_list("media_key", flat=True),
    )
    comments = await Comment.filter(author_id=me).using_db(conn).values("id", "checkin_id")
    on_own = cast(
        list[int],
        await Comment.filter(checkin_id__in=own).using_db(conn).values_list("id", flat=True),
    )
    comment_ids = sorted({c["id"] for c in comments} | set(on_own))
    await content_deleted.fire(conn, DeletedContent("comment", comment_ids))
    await content_deleted.fire(conn, DeletedContent("checkin", own))
    liked = cast(
        list[int], await Like.filter(user_id=me).using_db(conn).values_list("checkin_id", flat=True)
    )
    await Like.filter(user_id=me).using_db(conn).delete()
    others = [c for c in liked if c not in own]
    if others:
        await CheckIn.filter(id__in=others).using_db(conn).update(like_count=F("like_count") - 1)
    await Comment.filter(author_id=me).using_db(conn).delete()
    for checkin_id in sorted({c["checkin_id"] for c in comments} - set(own)):
        await refresh_comment_count(conn, checkin_id)
    await CheckIn.filter(id__in=own).using_db(conn).delete()

    async def delete_files() -> None:
        await discard_media(erasure.media, keys)

    await run_after_commit(delete_files)
