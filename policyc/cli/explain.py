"""`policyc explain CODE`: what a diagnostic means, why it matters, and how to fix it."""

from __future__ import annotations

import click

from policyc.diagnostics.rules import all_rules, lookup


@click.command("explain", short_help="Explain a diagnostic: what it means and how to fix it.")
@click.argument("code", required=False)
@click.option("--list", "list_", is_flag=True, help="List every rule with its code and summary.")
def command(code: str | None, list_: bool) -> None:
    """Explain a diagnostic code (e.g. PC201) or name (e.g. unknown-reference).

    Prints what the rule reports, why it matters, a failing example with what
    `policyc check` says about it, and a passing example. Without a code, lists
    every rule.
    """
    if list_ or code is None:
        for rule in all_rules():
            click.echo(f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary}")
        return
    rule = lookup(code)
    if rule is None:
        raise click.UsageError(f"no rule is called `{code}`; `policyc explain --list` lists them all")
    from policyc.diagnostics.reference import rule_page

    click.echo(rule_page(rule), nl=False)
