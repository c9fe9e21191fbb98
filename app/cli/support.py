"""Support commands: create users, attach partner staff, correct energy, grant props."""

from __future__ import annotations

import uuid

import click

from app.auth.rules import create_user
from app.cli.base import main, run_rule, user_named
from core.clock import SystemClock
from core.settings import Settings
from core.users import Role, User
from game.energy.ledger import adjust_energy
from game.props.inventory import PropKind, grant_prop
from game.trees.projects.partners import (
    PartnerNotFound,
    attach_partner_user,
    create_partner,
    partner_by_name,
)


@main.command("create-user")
@click.option("--username", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.PLAYER.value)
@click.option("--timezone", default=None, help="IANA time zone; the default one if omitted.")
@click.option("--region", default="")
def create_user_command(
    username: str, password: str, role: str, timezone: str | None, region: str
) -> None:
    """Create an account with a role (see --role; planting_partner for partner staff)."""
    settings = Settings()

    async def work() -> User:
        return await create_user(
            settings,
            SystemClock(),
            username=username,
            password=password,
            role=Role(role),
            timezone=timezone,
            region=region,
        )

    user = run_rule(settings, work)
    click.echo(f"created {user.username} (id {user.id}, role {user.role})")


@main.command("attach-partner")
@click.option("--username", required=True, help="A user created with --role planting_partner.")
@click.option("--partner", required=True, help="Organisation name; created if it does not exist.")
@click.option("--region", default="", help="Region of a new organisation.")
def attach_partner_command(username: str, partner: str, region: str) -> None:
    """Let a planting_partner user report plantings for an organisation."""

    async def work() -> str:
        user = await user_named(username)
        clock = SystemClock()
        try:
            organisation = await partner_by_name(partner)
        except PartnerNotFound:
            organisation = await create_partner(clock, partner, region)
        await attach_partner_user(clock, organisation.id, user.id)
        return f"{user.username} reports for {organisation.name} (id {organisation.id})"

    click.echo(run_rule(Settings(), work))


@main.command("adjust-energy")
@click.option("--username", required=True)
@click.option("--grams", required=True, type=int, help="Positive to add, negative to remove.")
@click.option("--reason", required=True, help="Why; kept on the ledger row.")
@click.option("--key", default=None, help="Idempotency key; a retry with it changes nothing.")
def adjust_energy_command(username: str, grams: int, reason: str, key: str | None) -> None:
    """Support correction: writes one `adjustment` ledger row with its reason."""

    async def work() -> int:
        user = await user_named(username)
        return await adjust_energy(SystemClock(), user.id, grams, reason, key or uuid.uuid4().hex)

    balance = run_rule(Settings(), work)
    click.echo(f"adjusted {username} by {grams} g; balance now {balance} g")


@main.command("grant-prop")
@click.option("--username", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in PropKind]))
@click.option("--quantity", default=1, show_default=True, type=click.IntRange(1, 1000))
@click.option("--reason", required=True, help="Why; kept on the prop ledger row.")
@click.option("--key", default=None, help="Idempotency key; a retry with it changes nothing.")
def grant_prop_command(
    username: str, kind: str, quantity: int, reason: str, key: str | None
) -> None:
    """Give a player props (protection_cover, double_collect, revive_card)."""

    async def work() -> int:
        user = await user_named(username)
        return await grant_prop(
            SystemClock(), user.id, PropKind(kind), quantity, reason, key or uuid.uuid4().hex
        )

    held = run_rule(Settings(), work)
    click.echo(f"granted {quantity} {kind} to {username}; they hold {held}")
