"""Friendship rules: ask, answer, list, remove, block (docs/rules.md#friends-and-blocks)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, NotFound
from core.events import EventSink
from core.paging import keyset_page
from core.users import User
from social.friends.access import (
    Blocked,
    NotFriends,
    PlayerNotFound,
    SelfTarget,
    are_friends,
    is_blocked_between,
)
from social.friends.models import Block, FriendRequest, Friendship


class RequestStatus(StrEnum):
    """Where a friend request stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class AlreadyFriends(Conflict):
    """The two are friends already."""

    code = "already-friends"
    title = "Already friends"


class RequestPending(Conflict):
    """A request between the two is waiting for an answer."""

    code = "request-pending"
    title = "A friend request is already pending"


class RequestNotFound(NotFound):
    """No such request addressed to or sent by the caller."""

    code = "friend-request-not-found"
    title = "Friend request not found"


class RequestAnswered(Conflict):
    """The request is no longer pending."""

    code = "friend-request-answered"
    title = "The friend request has already been answered"


class AlreadyBlocked(Conflict):
    """The caller has blocked this player already."""

    code = "already-blocked"
    title = "Already blocked"


class NotBlocked(NotFound):
    """The caller has not blocked this player."""

    code = "not-blocked"
    title = "Not blocked"


@dataclass(frozen=True)
class RequestOutcome:
    """What sending a request did: a pending request, or a friendship if they had asked too."""

    request: FriendRequest
    became_friends: bool


async def _require_player(user_id: int) -> User:
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise PlayerNotFound(f"no player {user_id}")
    return user


async def send_friend_request(
    clock: Clock, events: EventSink, sender_id: int, recipient_id: int
) -> RequestOutcome:
    """Ask a player to be friends; if they already asked us, this accepts their request."""
    if sender_id == recipient_id:
        raise SelfTarget()
    await _require_player(recipient_id)
    async with in_transaction() as conn:
        # Lock both players (in id order, so no deadlock) so that two people asking each
        # other at the same moment are served one after the other.
        locked = await (
            User.filter(id__in=sorted((sender_id, recipient_id)))
            .order_by("id")
            .using_db(conn)
            .select_for_update()
        )
        sender_name = next((u.display_name for u in locked if u.id == sender_id), "")
        if await is_blocked_between(sender_id, recipient_id, conn):
            raise Blocked()
        if await are_friends(sender_id, recipient_id, conn):
            raise AlreadyFriends()
        theirs = (
            await FriendRequest.filter(
                sender_id=recipient_id, recipient_id=sender_id, status=RequestStatus.PENDING
            )
            .using_db(conn)
            .select_for_update()
            .first()
        )
        if theirs is not None:
            await _accept(conn, clock, theirs)
            await _announce_friendship(conn, events, theirs)
            return RequestOutcome(request=theirs, became_friends=True)
        mine = await _open_request(conn, clock, sender_id, recipient_id)
        await events.publish(
            conn, recipient_id, "friend.request",
            {"request_id": mine.id, "from_user_id": sender_id, "from_name": sender_name},
        )  # fmt: skip
    return RequestOutcome(request=mine, became_friends=False)


async def _announce_friendship(
    conn: BaseDBAsyncClient, events: EventSink, request: FriendRequest
) -> None:
    for user_id, friend_id in (
        (request.sender_id, request.recipient_id),
        (request.recipient_id, request.sender_id),
    ):
        await events.publish(
            conn, user_id, "friend.accepted", {"request_id": request.id, "friend_id": friend_id}
        )


async def _open_request(
    conn: BaseDBAsyncClient, clock: Clock, sender_id: int, recipient_id: int
) -> FriendRequest:
    existing = (
        await FriendRequest.filter(sender_id=sender_id, recipient_id=recipient_id)
        .using_db(conn)
        .select_for_update()
        .first()
    )
    if existing is None:
        try:
            return await FriendRequest.create(
                using_db=conn,
                sender_id=sender_id,
                recipient_id=recipient_id,
                status=RequestStatus.PENDING,
                created_at=clock.now(),
            )
        except IntegrityError:
            raise RequestPending() from None
    if existing.status == RequestStatus.PENDING:
        raise RequestPending()
    # An old answered request is reopened rather than duplicated.
    existing.status = RequestStatus.PENDING
    existing.created_at = clock.now()
    existing.answered_at = None
    await existing.save(using_db=conn)
    return existing


async def _accept(conn: BaseDBAsyncClient, clock: Clock, request: FriendRequest) -> None:
    now = clock.now()
    request.status = RequestStatus.ACCEPTED
    request.answered_at = now
    await request.save(using_db=conn)
    a, b = request.sender_id, request.recipient_id
    await Friendship.bulk_create(
        [
            Friendship(user_id=a, friend_id=b, created_at=now),
            Friendship(user_id=b, friend_id=a, created_at=now),
        ],
        ignore_conflicts=True,
        using_db=conn,
    )


async def _pending_request(
    conn: BaseDBAsyncClient, request_id: int, *, recipient_id: int | None = None
) -> FriendRequest:
    request = await FriendRequest.filter(id=request_id).using_db(conn).select_for_update().first()
    if request is None or (recipient_id is not None and request.recipient_id != recipient_id):
        raise RequestNotFound()
    if request.status != RequestStatus.PENDING:
        raise RequestAnswered()
    return request


async def accept_friend_request(
    clock: Clock, events: EventSink, user_id: int, request_id: int
) -> FriendRequest:
    """The recipient accepts: the two become friends."""
    async with in_transaction() as conn:
        request = await _pending_request(conn, request_id, recipient_id=user_id)
        if await is_blocked_between(request.sender_id, user_id, conn):
            raise Blocked()
        await _accept(conn, clock, request)
        await _announce_friendship(conn, events, request)
    return request


async def decline_friend_request(clock: Clock, user_id: int, request_id: int) -> FriendRequest:
    """The recipient declines, or the sender withdraws, a pending request."""
    async with in_transaction() as conn:
        request = await _pending_request(conn, request_id)
        if user_id == request.recipient_id:
            request.status = RequestStatus.DECLINED
        elif user_id == request.sender_id:
            request.status = RequestStatus.CANCELLED
        else:
            raise RequestNotFound()
        request.answered_at = clock.now()
        await request.save(using_db=conn)
    return request


async def pending_requests(user_id: int, incoming: bool) -> list[FriendRequest]:
    """Pending requests to (incoming) or from the player, newest first."""
    mine = {"recipient_id": user_id} if incoming else {"sender_id": user_id}
    return (
        await FriendRequest.filter(status=RequestStatus.PENDING, **mine)
        .select_related("sender", "recipient")
        .order_by("-created_at", "-id")
        .limit(200)
    )


async def friends_page(
    user_id: int, after_id: int | None, limit: int
) -> tuple[list[User], int | None]:
    """A page of a player's friends in the order they became friends."""
    query = Friendship.filter(user_id=user_id)
    rows, next_id = await keyset_page(
        query, after_id, limit, newest_first=False, related=["friend"]
    )
    return [r.friend for r in rows], next_id


async def remove_friend(user_id: int, friend_id: int) -> None:
    """End a friendship, both ways."""
    async with in_transaction() as conn:
        removed = (
            await Friendship.filter(
                Q(user_id=user_id, friend_id=friend_id) | Q(user_id=friend_id, friend_id=user_id)
            )
            .using_db(conn)
            .delete()
        )
    if removed == 0:
        raise NotFriends()


async def block_player(clock: Clock, user_id: int, target_id: int) -> Block:
    """Block a player: any friendship and pending requests between the two end."""
    if user_id == target_id:
        raise SelfTarget()
    await _require_player(target_id)
    async with in_transaction() as conn:
        try:
            block = await Block.create(
                using_db=conn, blocker_id=user_id, blocked_id=target_id, created_at=clock.now()
            )
        except IntegrityError:
            raise AlreadyBlocked() from None
        between = Q(user_id=user_id, friend_id=target_id) | Q(user_id=target_id, friend_id=user_id)
        await Friendship.filter(between).using_db(conn).delete()
        requests = Q(sender_id=user_id, recipient_id=target_id) | Q(
            sender_id=target_id, recipient_id=user_id
        )
        await (
            FriendRequest.filter(requests, status=RequestStatus.PENDING)
            .using_db(conn)
            .update(status=RequestStatus.CANCELLED, answered_at=clock.now())
        )
    return block


async def unblock_player(user_id: int, target_id: int) -> None:
    """Lift a block the caller made (friendship does not come back by itself)."""
    if await Block.filter(blocker_id=user_id, blocked_id=target_id).delete() == 0:
        raise NotBlocked()


async def blocked_players(user_id: int) -> list[User]:
    """Players the caller has blocked."""
    rows = await Block.filter(blocker_id=user_id).select_related("blocked").order_by("-id")
    return [r.blocked for r in rows]


async def find_players(user_id: int, prefix: str, limit: int = 20) -> list[User]:
    """Players whose username starts with `prefix`, hiding blocks either way."""
    blocked = await Block.filter(blocker_id=user_id).values_list("blocked_id", flat=True)
    blockers = await Block.filter(blocked_id=user_id).values_list("blocker_id", flat=True)
    hidden = {*cast(list[int], blocked), *cast(list[int], blockers), user_id}
    rows = (
        await User.filter(username__startswith=prefix.lower())
        .exclude(id__in=list(hidden))
        .order_by("username")
        .limit(limit)
    )
    return list(rows)
