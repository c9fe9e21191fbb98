"""HTTP endpoints for friends, requests, blocks and finding players."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from core.clock import Clock
from core.errors import Invalid
from core.events import EventSink
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, IntId, Limit, RowId
from core.settings import Settings
from core.users import User
from social.friends.access import PlayerNotFound
from social.friends.friendships import (
    accept_friend_request,
    block_player,
    blocked_players,
    decline_friend_request,
    find_players,
    friends_page,
    pending_requests,
    remove_friend,
    send_friend_request,
    unblock_player,
)
from social.friends.models import FriendRequest
from social.friends.schemas import (
    FriendRequestIn,
    FriendRequestOut,
    FriendsPageOut,
    PlayerOut,
    SentRequestOut,
    SuggestionOut,
    player_out,
    request_out,
)
from social.friends.suggestions import suggest_friends


class WhomToAsk(Invalid):
    """Name the player by id or by username, not both, not neither."""

    code = "friend-target-required"
    title = "Give exactly one of user_id and username"


async def _target_id(data: FriendRequestIn) -> int:
    if (data.user_id is None) == (data.username is None):
        raise WhomToAsk()
    if data.user_id is not None:
        return data.user_id
    user = await User.get_or_none(username=str(data.username).lower())
    if user is None:
        raise PlayerNotFound(f"no player is called {data.username!r}")
    return user.id


async def _shown(request: FriendRequest) -> FriendRequestOut:
    await request.fetch_related("sender", "recipient")
    return request_out(request, request.sender, request.recipient)


class FriendsController(Controller):
    """Friend requests, friendships and blocks."""

    tags = ["friends"]

    @post(
        "/api/v1/friends/requests",
        summary="Ask a player to be friends",
        responses={
            200: ResponseSpec(SentRequestOut, description="They had asked first: now friends")
        },
    )
    async def send_request(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[FriendRequestIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> Response[SentRequestOut]:
        """Send a friend request; if they had already asked you, you become friends."""
        target = await _target_id(data)
        outcome = await send_friend_request(clock, events, request.user.id, target)
        shown = SentRequestOut(
            request=await _shown(outcome.request), became_friends=outcome.became_friends
        )
        return Response(
            shown, status_code=HTTP_200_OK if outcome.became_friends else HTTP_201_CREATED
        )

    @get("/api/v1/friends/requests", summary="My pending friend requests")
    async def list_requests(
        self,
        request: Request[User, Any, Any],
        direction: Annotated[Literal["incoming", "outgoing"], Parameter()] = "incoming",
    ) -> list[FriendRequestOut]:
        """Pending requests to me (incoming) or from me (outgoing), newest first."""
        rows = await pending_requests(request.user.id, incoming=direction == "incoming")
        return [request_out(r, r.sender, r.recipient) for r in rows]

    @post(
        "/api/v1/friends/requests/{request_id:int}/accept",
        status_code=HTTP_200_OK,
        summary="Accept a friend request",
    )
    async def accept(
        self,
        request: Request[User, Any, Any],
        request_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> FriendRequestOut:
        """Accept a request addressed to me."""
        accepted = await accept_friend_request(clock, events, request.user.id, request_id)
        return await _shown(accepted)

    @post(
        "/api/v1/friends/requests/{request_id:int}/decline",
        status_code=HTTP_200_OK,
        summary="Decline (or withdraw) a friend request",
    )
    async def decline(
        self, request: Request[User, Any, Any], request_id: RowId, clock: NamedDependency[Clock]
    ) -> FriendRequestOut:
        """Decline a request to me, or withdraw one I sent."""
        return await _shown(await decline_friend_request(clock, request.user.id, request_id))

    @get("/api/v1/friends", summary="My friends")
    async def list_friends(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 50
    ) -> FriendsPageOut:
        """My friends, in the order we became friends, with cursor pagination."""
        friends, next_id = await friends_page(request.user.id, decode_cursor(cursor), limit)
        return FriendsPageOut(
            items=[player_out(f) for f in friends], next_cursor=encode_cursor(next_id)
        )

    @get("/api/v1/friends/suggestions", summary="Players I might befriend")
    async def suggestions(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        limit: Annotated[int, Parameter(ge=1, le=50)] = 20,
    ) -> list[SuggestionOut]:
        """Friends of friends (most mutual friends first), then active players of my region."""
        active = timedelta(seconds=settings.suggestion_active_seconds)
        found = await suggest_friends(clock, request.user, active, limit)
        return [SuggestionOut(player_out(s.player), s.reason, s.mutual_friends) for s in found]

    @delete("/api/v1/friends/{user_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Unfriend")
    async def unfriend(self, request: Request[User, Any, Any], user_id: IntId) -> None:
        """End a friendship, both ways."""
        await remove_friend(request.user.id, user_id)

    @post("/api/v1/blocks/{user_id:int}", status_code=HTTP_201_CREATED, summary="Block a player")
    async def block(
        self, request: Request[User, Any, Any], user_id: IntId, clock: NamedDependency[Clock]
    ) -> PlayerOut:
        """Block a player: friendship and requests end; no requests, visits or steals either way."""
        await block_player(clock, request.user.id, user_id)
        blocked = await User.get(id=user_id)
        return player_out(blocked)

    @delete("/api/v1/blocks/{user_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Unblock")
    async def unblock(self, request: Request[User, Any, Any], user_id: IntId) -> None:
        """Lift a block I made."""
        await unblock_player(request.user.id, user_id)

    @get("/api/v1/blocks", summary="Players I blocked")
    async def list_blocks(self, request: Request[User, Any, Any]) -> list[PlayerOut]:
        """Everyone I have blocked, most recent first."""
        return [player_out(u) for u in await blocked_players(request.user.id)]

    @get("/api/v1/players", summary="Find players by username")
    async def search(
        self,
        request: Request[User, Any, Any],
        q: Annotated[str, Parameter(pattern=r"^[A-Za-z0-9_]{1,32}$")],
        limit: Annotated[int, Parameter(ge=1, le=50)] = 20,
    ) -> list[PlayerOut]:
        """Players whose username starts with `q` (blocked players either way are hidden)."""
        return [player_out(u) for u in await find_players(request.user.id, q, limit)]
