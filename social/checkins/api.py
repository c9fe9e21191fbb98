"""HTTP endpoints for check-ins, topics, feeds, likes, comments and photo files."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, Router, delete, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, JSONBody, Parameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from core.clock import Clock
from core.events import EventSink
from core.media import MediaStore
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit, RedisClient, RowId
from core.settings import Settings
from core.users import User
from social.checkins.feed import Scope, feed_page, views_of
from social.checkins.photos import PhotoTooLarge
from social.checkins.posting import Draft, delete_checkin, photo_file, post_checkin, visible_checkin
from social.checkins.reactions import add_comment, comments_page, like_checkin, unlike_checkin
from social.checkins.schemas import (
    CheckinForm,
    CheckinOut,
    CommentIn,
    CommentOut,
    CommentsPageOut,
    FeedPageOut,
    LikeOut,
    TopicOut,
    checkin_out,
    comment_out,
    like_out,
    topic_out,
)
from social.checkins.topics import load_topics

# Parts of a check-in form: topic, text and nine photos, with room for a few stray fields.
FORM_PART_LIMIT = 16
MEDIA_CACHE_CONTROL = "public, max-age=3600"


async def _read_photo(upload: UploadFile, max_bytes: int) -> bytes:
    # One byte more than allowed is enough to know the photo is too large.
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoTooLarge(f"a photo is over {max_bytes} bytes", max_bytes=max_bytes)
    return data


async def _read_photos(uploads: list[UploadFile], max_bytes: int) -> list[bytes]:
    try:
        return [await _read_photo(upload, max_bytes) for upload in uploads]
    finally:
        for upload in uploads:
            await upload.close()


async def _shown(checkin_id: int, viewer: User) -> CheckinOut:
    checkin = await visible_checkin(viewer, checkin_id, as_staff=True)
    await checkin.fetch_related("author")
    return checkin_out((await views_of([checkin], viewer.id))[0])


class CheckinUploadController(Controller):
    """Posting a check-in: multipart, under its own body limit (see checkin_upload_router)."""

    tags = ["community"]

    @post("/api/v1/checkins", summary="Post a check-in with up to nine photos")
    async def create(
        self,
        request: Request[User, Any, Any],
        data: Annotated[
            CheckinForm,
            Body(
                media_type=RequestEncodingType.MULTI_PART,
                multipart_form_part_limit=FORM_PART_LIMIT,
            ),
        ],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        redis: RedisClient,
        media: NamedDependency[MediaStore],
    ) -> CheckinOut:
        """Post a check-in; photos are cleaned (EXIF stripped, upright, re-encoded)."""
        photos = await _read_photos(data.photos, settings.max_photo_bytes)
        draft = Draft(topic=data.topic, text=data.text, photos=photos)
        checkin = await post_checkin(clock, settings, redis, media, request.user, draft)
        return await _shown(checkin.id, request.user)


def checkin_upload_router(settings: Settings) -> Router:
    """The upload route with a body limit of GREENSPARK_MAX_UPLOAD_BYTES instead of the app's."""
    return Router(
        path="/",
        route_handlers=[CheckinUploadController],
        request_max_body_size=settings.max_upload_bytes,
    )


class CheckinsController(Controller):
    """Check-ins, feeds, likes, comments and photo files."""

    tags = ["community"]

    @get("/api/v1/topics", summary="Check-in topics")
    async def topics(self) -> list[TopicOut]:
        """Every topic a check-in can be about."""
        return [topic_out(t) for t in load_topics().values()]

    @get("/api/v1/checkins/{checkin_id:int}", summary="One check-in")
    async def show(self, request: Request[User, Any, Any], checkin_id: RowId) -> CheckinOut:
        """A check-in I may see (moderators see every state)."""
        return await _shown(checkin_id, request.user)

    @delete(
        "/api/v1/checkins/{checkin_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete my check-in",
    )
    async def remove(
        self,
        request: Request[User, Any, Any],
        checkin_id: RowId,
        media: NamedDependency[MediaStore],
    ) -> None:
        """Delete my check-in with its photos, likes and comments."""
        await delete_checkin(media, request.user, checkin_id)

    @get("/api/v1/feed", summary="Check-in feed")
    async def feed(
        self,
        request: Request[User, Any, Any],
        feed_scope: Annotated[Scope, QueryParameter(name="scope")] = "global",
        topic: Annotated[str | None, Parameter(max_length=32)] = None,
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> FeedPageOut:
        """Newest first: my friends' and my check-ins, everyone's, or one topic's."""
        views, next_id = await feed_page(
            request.user.id, feed_scope, topic, decode_cursor(cursor), limit
        )
        return FeedPageOut(
            items=[checkin_out(v) for v in views], next_cursor=encode_cursor(next_id)
        )

    @post(
        "/api/v1/checkins/{checkin_id:int}/like",
        summary="Like a check-in",
        responses={200: ResponseSpec(LikeOut, description="Already liked; nothing changed")},
    )
    async def like(
        self,
        request: Request[User, Any, Any],
        checkin_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> Response[LikeOut]:
        """Like a check-in (201); liking it again changes nothing (200)."""
        outcome = await like_checkin(clock, events, request.user, checkin_id)
        status = HTTP_201_CREATED if outcome.changed else HTTP_200_OK
        return Response(like_out(outcome), status_code=status)

    @delete("/api/v1/checkins/{checkin_id:int}/like", status_code=HTTP_200_OK, summary="Unlike")
    async def unlike(self, request: Request[User, Any, Any], checkin_id: RowId) -> LikeOut:
        """Take my like back (no error if I did not like it)."""
        return like_out(await unlike_checkin(request.user, checkin_id))

    @post("/api/v1/checkins/{checkin_id:int}/comments", summary="Comment on a check-in")
    async def comment(
        self,
        request: Request[User, Any, Any],
        checkin_id: RowId,
        data: JSONBody[CommentIn],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        redis: RedisClient,
        events: NamedDependency[EventSink],
    ) -> CommentOut:
        """Add a comment; one with banned words is held for review."""
        comment = await add_comment(
            clock, settings, redis, events, request.user, checkin_id, data.text
        )
        comment.author = request.user
        return comment_out(comment)

    @get("/api/v1/checkins/{checkin_id:int}/comments", summary="Comments on a check-in")
    async def comments(
        self,
        request: Request[User, Any, Any],
        checkin_id: RowId,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> CommentsPageOut:
        """Comments, oldest first, with cursor pagination."""
        rows, next_id = await comments_page(request.user, checkin_id, decode_cursor(cursor), limit)
        return CommentsPageOut(
            items=[comment_out(c) for c in rows], next_cursor=encode_cursor(next_id)
        )

    @get("/api/v1/media/{name:str}", summary="A photo file", media_type="image/jpeg")
    async def media_file(
        self,
        request: Request[Any, Any, Any],
        name: Annotated[str, Parameter(max_length=64)],
        media: NamedDependency[MediaStore],
    ) -> Response[bytes]:
        """The JPEG bytes; the file behind a name never changes, so clients may cache it."""
        data = await photo_file(media, name)
        etag = f'"{name}"'
        headers = {
            "Cache-Control": MEDIA_CACHE_CONTROL,
            "ETag": etag,
            "X-Content-Type-Options": "nosniff",
        }
        if request.headers.get("if-none-match") == etag:
            return Response(b"", status_code=304, headers=headers, media_type="image/jpeg")
        return Response(data, headers=headers, media_type="image/jpeg")
