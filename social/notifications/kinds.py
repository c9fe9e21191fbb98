"""Which live events become notifications, of which kind, and the words a push carries.

An event type not listed here stays a live event only. Adding a kind: list its event type in
KINDS (with a filter when only some of its events matter) and its words in PUSH_TEXT, then
document it in docs/notifications.md#kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its name, and which events of its type count."""

    name: str
    wanted: Callable[[Mapping[str, Any]], bool] = lambda data: True
    # For a notice about something that ends (a bubble's expiry), when a push becomes pointless.
    stale_at: Callable[[Mapping[str, Any]], datetime | None] = lambda data: None


def _expires_at(data: Mapping[str, Any]) -> datetime | None:
    value = data.get("expires_at")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


KINDS: dict[str, Kind] = {
    "bubble.stolen": Kind("stolen_from"),
    "friend.watered": Kind("watered"),
    "bubble.helped": Kind("helped"),
    "bubble.revived": Kind("revived"),
    "friend.request": Kind("friend_request"),
    "planting.status": Kind("planting_verified", lambda data: data.get("status") == "verified"),
    "moderation.action": Kind("moderation"),
    "campaign.started": Kind("campaign_started"),
    "campaign.completed": Kind("campaign_completed"),
    "reward.granted": Kind("reward_granted"),
    "bubble.expiring": Kind("bubble_expiring", stale_at=_expires_at),
    "weekly.results": Kind("weekly_results"),
    "power_event.invited": Kind("power_event_invited"),
    "power_event.settled": Kind("power_saving_result"),
    "bill.judged": Kind("bill_voucher", lambda data: data.get("outcome") == "voucher"),
    "pickup.confirmed": Kind("pickup_confirmed"),
    "pickup.completed": Kind("pickup_completed"),
}

KIND_NAMES: tuple[str, ...] = tuple(sorted({kind.name for kind in KINDS.values()}))

# Title and body of each kind's push; {grams} and {name} (the other player) are filled in.
PUSH_TEXT: dict[str, tuple[str, str]] = {
    "stolen_from": ("Energy taken", "{name} took {grams} g from your forest"),
    "watered": ("Your forest was watered", "{name} gave you {grams} g"),
    "helped": ("A friend helped", "{name} collected {grams} g for you before it expired"),
    "revived": ("Energy revived", "{name} brought back {grams} g of your expired energy"),
    "friend_request": ("Friend request", "{name} wants to be friends"),
    "planting_verified": ("Your tree is verified", "Your tree is in the ground and verified"),
    "moderation": ("A moderator acted", "A moderator acted on your account or content"),
    "campaign_started": ("A campaign started", "A new campaign is on"),
    "campaign_completed": ("Campaign completed", "A campaign you are in has completed"),
    "reward_granted": ("Reward", "You received a reward"),
    "bubble_expiring": ("Energy about to expire", "{grams} g in your forest expires soon"),
    "weekly_results": ("Your week", "You ranked {rank} of {players} among friends"),
    "power_event_invited": (
        "Save power at peak time",
        "Opt in: {rate_fen_per_kwh} fen per kWh saved",
    ),
    "power_saving_result": ("Your peak-hour saving", "{message}"),
    "bill_voucher": ("Your bill dropped", "A voucher for your lower power bill is ready"),
    "pickup_confirmed": ("Pick-up confirmed", "Your recycling pick-up is confirmed"),
    "pickup_completed": ("Pick-up done", "Your recyclables were weighed and credited"),
}

# Fields of an event's data that name the other player, in the order they are looked for.
ACTOR_FIELDS = ("by_user_id", "from_user_id")


def kind_of(event_type: str, data: Mapping[str, Any]) -> Kind | None:
    """The notification kind of an event, or None when it is not one players are notified of."""
    kind = KINDS.get(event_type)
    return kind if kind is not None and kind.wanted(data) else None


def actor_of(data: Mapping[str, Any]) -> int | None:
    """The other player an event names, if any."""
    for field in ACTOR_FIELDS:
        value = data.get(field)
        if isinstance(value, int):
            return value
    return None


def push_text(kind: str, data: Mapping[str, Any], name: str) -> tuple[str, str]:
    """A push's title and body, in English."""
    title, body = PUSH_TEXT.get(kind, ("Green Spark", "Something happened in your forest"))
    values = {"name": name or "A friend", **{k: v for k, v in data.items() if k != "name"}}
    try:
        return title, body.format(**values)
    except (KeyError, IndexError, ValueError):
        # An event without the fields its words need still gets its title.
        return title, title
