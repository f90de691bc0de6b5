"""`policyc init`: write a starting policy that passes `policyc check`."""

from __future__ import annotations

from pathlib import Path

import click

from policyc.cli.common import write_output

STARTER = """\
# yaml-language-server: $schema=https://policyc.dev/schemas/policy.schema.json
# A starting policy: replace the names, hours and targets with your own, then run
#   policyc check {file}
policyc: 1

organisation:
  name: {name}
  currency: USD
  timezone: America/New_York
  contract:
    effective_date: {year}-01-01
    parties:
      provider: {name}
      customer: "[Customer legal name]"

defaults:
  calendar: business_hours

calendars:
  business_hours:
    name: Business hours
    timezone: America/New_York
    hours:
      mon-fri: 09:00-17:00
    holidays:
      country: US

channels:
  email:
    kind: email
  chat:
    kind: chat

priorities:
  P1:
    name: Urgent
    definition: The service is unavailable for all users.
  P2:
    name: Normal
    definition: Any other request.

tiers:
  standard:
    name: Standard
    price: included
    channels: [email]
  premium:
    name: Premium
    price: USD 199/month
    channels: [email, chat]

sla:
  - tiers: [standard]
    first_response: 1 business day
  - tiers: [premium]
    priorities: [P1]
    first_response: 1h
  - tiers: [premium]
    priorities: [P2]
    first_response: 4 business hours
"""


@click.command("init")
@click.argument("path", default="policy.yaml", required=False)
@click.option("--name", default="Example Co", show_default=True, help="The organisation's name.")
@click.option("--year", type=click.IntRange(2000, 2100), default=2026, show_default=True, help="Year the contract takes effect.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def command(path: str, name: str, year: int, force: bool) -> None:
    """Write a starting policy to PATH (default: policy.yaml)."""
    target = Path(path)
    if target.exists() and not force:
        raise click.UsageError(f"{path} already exists; use --force to overwrite it")
    quoted = name if name.replace(" ", "").isalnum() else '"' + name.replace('"', '\\"') + '"'
    write_output(target, STARTER.format(file=path, name=quoted, year=year))
    click.echo(f"Wrote {path}. Check it with: policyc check {path}")
