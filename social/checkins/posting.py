"""Check-in rules: post one with photos, see one, delete one's own (docs/rules.md)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from core.clock import Clock
from core.db import in_transaction
from core.errors import Forbidden, Invalid, NotFound
from core.media import MEDIA_NAME, MediaStore
from core.settings import Settings
from core.users import Role, User, require_not_suspended
from social.checkins.limits import count_activity
from social.checkins.models import CheckIn, Comment, Photo, State
from social.checkins.moments import CheckinPosted, checkin_posted
from social.checkins.photos import (
    REPOST_DISTANCE,
    PhotoLimits,
    ProcessedPhoto,
    hash_distance,
    process_photo,
)
from social.checkins.review import DeletedContent, FlaggedContent, content_deleted, content_flagged
from social.checkins.topics import require_topic
from social.checkins.words import has_banned_words
from social.friends.access import is_blocked_between

STAFF = frozenset({Role.MODERATOR, Role.ADMIN})


class TextTooLong(Invalid):
    """The text is over the length cap."""

    code = "text-too-long"
    title = "The text is too long"


class EmptyText(Invalid):
    """A comment needs some text."""

    code = "empty-text"
    title = "The text is empty"


class TooManyPhotos(Invalid):
    """A check-in carries at most nine photos."""

    code = "too-many-photos"
    title = "Too many photos"


class EmptyCheckin(Invalid):
    """A check-in needs text or at least one photo."""

    code = "empty-checkin"
    title = "A check-in needs text or a photo"


class CheckinNotFound(NotFound):
    """No such check-in, or not one the caller may see."""

    code = "checkin-not-found"
    title = "Check-in not found"


class NotYourCheckin(Forbidden):
    """Only a check-in's author may do this."""

    code = "not-your-checkin"
    title = "Not your check-in"


@dataclass(frozen=True)
class Draft:
    """What a player submits: a topic, text, and the raw bytes of each photo."""

    topic: str
    text: str
    photos: Sequence[bytes]


def media_names(key: str) -> tuple[str, str]:
    """The stored names of a photo's display image and thumbnail."""
    return f"{key}.jpg", f"{key}.thumb.jpg"


def check_text(text: str, cap: int) -> None:
    """Refuse text over the cap."""
    if len(text) > cap:
        raise TextTooLong(f"at most {cap} characters", max_length=cap)


def _process_all(photos: Sequence[bytes], limits: PhotoLimits) -> list[ProcessedPhoto]:
    return [process_photo(data, limits) for data in photos]


async def find_reposts(user_id: int, hashes: Sequence[int], scan: int) -> list[int | None]:
    """For each hash, the first photo that looks the same if another account posted it first.

    Exact matches come from the dhash index; near matches (at most REPOST_DISTANCE bits apart)
    from the `scan` most recent photos, which bounds the work per upload. A player posting
    their own photo again is not a repost, even if someone copied it in between.
    """
    if not hashes:
        return []
    exact = await Photo.filter(dhash__in=list(hashes)).values_list("id", "dhash", "author_id")
    recent = (
        await Photo.all().order_by("-id").limit(scan).values_list("id", "dhash", "author_id")
        if scan
        else []
    )
    candidates = sorted({*exact, *recent})
    found: list[int | None] = []
    for wanted in hashes:
        first = next(
            (c for c in candidates if hash_distance(c[1], wanted) <= REPOST_DISTANCE), None
        )
        found.append(first[0] if first is not None and first[2] != user_id else None)
    return found


async def _store(media: MediaStore, keys: Sequence[str], photos: Sequence[ProcessedPhoto]) -> None:
    for key, photo in zip(keys, photos, strict=True):
        display, thumb = media_names(key)
        await media.put(display, photo.display)
        await media.put(thumb, photo.thumb)


async def discard_media(media: MediaStore, keys: Sequence[str]) -> None:
    """Delete the stored files of these photo keys."""
    for key in keys:
        for name in media_names(key):
            await media.delete(name)


async def _validate(clock: Clock, settings: Settings, user: User, draft: Draft) -> None:
    require_not_suspended(user, clock)
    require_topic(draft.topic)
    check_text(draft.text, settings.checkin_text_max)
    if len(draft.photos) > settings.max_photos_per_checkin:
        raise TooManyPhotos(
            f"at most {settings.max_photos_per_checkin} photos",
            max_photos=settings.max_photos_per_checkin,
        )
    if not draft.text.strip() and not draft.photos:
        raise EmptyCheckin()


async def post_checkin(
    clock: Clock, settings: Settings, redis: Redis, media: MediaStore, user: User, draft: Draft
) -> CheckIn:
    """Publish a check-in: photos are cleaned off the event loop, stored, then recorded."""
    await _validate(clock, settings, user, draft)
    await count_activity(redis, settings, "checkin", user.id)
    limits = PhotoLimits(settings.max_photo_bytes, settings.max_photo_pixels)
    processed = await asyncio.to_thread(_process_all, draft.photos, limits)
    reposts = await find_reposts(user.id, [p.dhash for p in processed], settings.repost_scan_photos)
    flags = ["banned-words"] if has_banned_words(draft.text) else []
    flags += ["repost"] if any(r is not None for r in reposts) else []
    keys = [uuid.uuid4().hex for _ in processed]
    await _store(media, keys, processed)
    try:
        return await _record(clock, user, draft, processed, keys, reposts, flags)
    except BaseException:
        # Nothing stays behind for a check-in that was not recorded.
        await discard_media(media, keys)
        raise


async def _record(
    clock: Clock,
    user: User,
    draft: Draft,
    processed: Sequence[ProcessedPhoto],
    keys: Sequence[str],
    reposts: Sequence[int | None],
    flags: Sequence[str],
) -> CheckIn:
    now = clock.now()
    state = State.HELD if "banned-words" in flags else State.VISIBLE
    async with in_transaction() as conn:
        checkin = await CheckIn.create(
            using_db=conn,
            author_id=user.id,
            topic=draft.topic,
            text=draft.text,
            state=state,
            flags=",".join(flags),
            created_at=now,
        )
        rows = [
            Photo(
                checkin_id=checkin.id,
                author_id=user.id,
                position=i,
                media_key=key,
                width=p.width,
                height=p.height,
                thumb_width=p.thumb_width,
                thumb_height=p.thumb_height,
                dhash=p.dhash,
                repost_of_id=repost,
                created_at=now,
            )
            for i, (key, p, repost) in enumerate(zip(keys, processed, reposts, strict=True))
        ]
        await Photo.bulk_create(rows, using_db=conn)
        if flags:
            flagged = FlaggedContent("checkin", checkin.id, user.id, flags, now)
            await content_flagged.fire(conn, flagged)
        posted = CheckinPosted(checkin.id, user.id, draft.topic, state == State.VISIBLE, now)
        await checkin_posted.fire(conn, posted)
    return checkin


def is_staff(user: User) -> bool:
    """Moderators and admins see content in every state."""
    return user.role in STAFF


async def visible_checkin(viewer: User, checkin_id: int, *, as_staff: bool = False) -> CheckIn:
    """A check-in the viewer may see: visible and not blocked, their own, or (staff) any."""
    checkin = await CheckIn.get_or_none(id=checkin_id)
    if checkin is None:
        raise CheckinNotFound()
    if checkin.author_id == viewer.id or (as_staff and is_staff(viewer)):
        return checkin
    if checkin.state != State.VISIBLE or await is_blocked_between(viewer.id, checkin.author_id):
        raise CheckinNotFound()
    return checkin


async def delete_checkin(media: MediaStore, user: User, checkin_id: int) -> None:
    """The author deletes a check-in, its photos, likes and comments."""
    checkin = await visible_checkin(user, checkin_id)
    if checkin.author_id != user.id:
        raise NotYourCheckin()
    async with in_transaction() as conn:
        photos = Photo.filter(checkin_id=checkin_id).using_db(conn)
        keys = cast(list[str], await photos.values_list("media_key", flat=True))
        comments = Comment.filter(checkin_id=checkin_id).using_db(conn)
        comment_ids = cast(list[int], await comments.values_list("id", flat=True))
        await content_deleted.fire(conn, DeletedContent("comment", comment_ids))
        await content_deleted.fire(conn, DeletedContent("checkin", [checkin_id]))
        await CheckIn.filter(id=checkin_id).using_db(conn).delete()
    await discard_media(media, keys)


class MediaNotFound(NotFound):
    """No such media file, or its check-in was removed."""

    code = "media-not-found"
    title = "Media not found"


async def photo_file(media: MediaStore, name: str) -> bytes:
    """The bytes of a photo file, unless its check-in was removed or deleted."""
    if not MEDIA_NAME.match(name):
        raise MediaNotFound()
    key = name.split(".", 1)[0]
    photo = await Photo.filter(media_key=key).select_related("checkin").first()
    if photo is None or photo.checkin.state == State.REMOVED:
        raise MediaNotFound()
    data = await media.get(name)
    if data is None:
        raise MediaNotFound()
    return data
