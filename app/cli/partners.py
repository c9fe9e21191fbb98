"""Partner platform commands: register, list, rotate a secret, revoke a key (docs/partners.md)."""

from __future__ import annotations

from datetime import timedelta

import click

from app.cli.base import main, run_rule
from core.clock import SystemClock
from core.settings import Settings
from game.carbon.catalog import load_catalog
from game.partners.platforms.keys import (
    IssuedKey,
    Rotation,
    SecretBox,
    key_status,
    keys_of,
    revoke_key,
    rotate_secret,
)
from game.partners.platforms.registry import (
    NewPartner,
    PartnerRules,
    Registered,
    list_partners,
    partner_named,
    register_partner,
)


def _show_secret(issued: IssuedKey) -> None:
    click.echo(f"key id:  {issued.key.key_id}")
    click.echo(f"secret:  {issued.secret}")
    click.echo("The secret is shown this once; store it with the partner now.", err=True)


@main.command("create-partner")
@click.option("--name", required=True)
@click.option("--scenarios", default="", help="Comma-separated scenario codes it may report.")
@click.option("--meter-readings", is_flag=True, help="It may send smart-meter readings.")
@click.option("--timezone", required=True, help="IANA time zone of its calendar (budgets).")
@click.option("--contact", required=True, help="Who to call about its integration.")
@click.option("--daily-budget-grams", type=click.IntRange(0), default=None)
@click.option("--requests-per-minute", type=click.IntRange(1), default=None)
def create_partner_command(
    name: str,
    scenarios: str,
    meter_readings: bool,
    timezone: str,
    contact: str,
    daily_budget_grams: int | None,
    requests_per_minute: int | None,
) -> None:
    """Register a partner platform and print its first key id and secret."""
    settings = Settings()
    given = NewPartner(
        name=name,
        timezone=timezone,
        contact=contact,
        scenarios=[s.strip() for s in scenarios.split(",") if s.strip()],
        meter_readings=meter_readings,
        daily_budget_grams=daily_budget_grams,
        requests_per_minute=requests_per_minute,
    )

    async def work() -> Registered:
        return await register_partner(
            SystemClock(),
            SecretBox.from_settings(settings),
            load_catalog(),
            PartnerRules.from_settings(settings),
            given,
        )

    made = run_rule(settings, work)
    click.echo(f"partner {made.platform.name} (id {made.platform.id})")
    _show_secret(made.issued)


@main.command("rotate-partner-secret")
@click.option("--partner", required=True, help="Name or id of the partner platform.")
@click.option(
    "--overlap-seconds",
    type=click.IntRange(0),
    default=None,
    help="How long older keys keep working (default GREENSPARK_PARTNER_KEY_OVERLAP_SECONDS).",
)
def rotate_partner_secret_command(partner: str, overlap_seconds: int | None) -> None:
    """Issue a new key; the partner's older keys stop after the overlap."""
    settings = Settings()
    rules = PartnerRules.from_settings(settings)
    overlap = rules.key_overlap if overlap_seconds is None else timedelta(seconds=overlap_seconds)

    async def work() -> Rotation:
        platform = await partner_named(partner)
        return await rotate_secret(
            SystemClock(), SecretBox.from_settings(settings), platform.id, overlap
        )

    rotation = run_rule(settings, work)
    for key in rotation.retiring:
        assert key.expires_at is not None
        click.echo(f"key {key.key_id} keeps working until {key.expires_at.isoformat()}")
    _show_secret(rotation.issued)


@main.command("revoke-partner-key")
@click.option("--key-id", required=True)
@click.option("--reason", required=True, help="Why; kept with the key.")
def revoke_partner_key_command(key_id: str, reason: str) -> None:
    """Stop a partner key at once."""

    async def work() -> str:
        key = await revoke_key(SystemClock(), key_id, reason)
        return f"key {key.key_id} revoked at {key.revoked_at.isoformat() if key.revoked_at else ''}"

    click.echo(run_rule(Settings(), work))


@main.command("list-partners")
def list_partners_command() -> None:
    """Partner platforms, what they report, and their keys' status."""

    async def work() -> list[str]:
        now = SystemClock().now()
        lines = []
        for platform in await list_partners():
            reports = ", ".join(
                platform.scenarios + (["meter readings"] if platform.meter_readings else [])
            )
            lines.append(
                f"{platform.id} {platform.name} [{platform.timezone}] reports: {reports}; "
                f"budget {platform.daily_budget_grams} g/day, {platform.requests_per_minute}/min"
            )
            for key in await keys_of(platform.id):
                lines.append(f"    {key.key_id} {key_status(key, now)}")
        return lines

    for line in run_rule(Settings(), work):
        click.echo(line)
