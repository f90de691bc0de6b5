"""`policyc explain CODE`: what a diagnostic means, why it matters, and how to fix it."""

from __future__ import annotations

import click

from policyc.diagnostics.rules import Rule, all_rules, lookup, rule_doc


def example_report(rule: Rule) -> str:
    """What `policyc check` says about the rule's failing example, run live, so the
    documentation can never drift from the checker."""
    from policyc.diagnostics.render import RenderContext, render
    from policyc.pipeline import analyse, parse_policy
    from policyc.span import Source, SourceMap

    name = rule.example_file
    source = Source(name, rule.example_fail or "")
    front = parse_policy(source)
    diagnostics = list(front.diagnostics)
    if front.policy is not None and not any(d.severity.value == "error" for d in diagnostics):
        diagnostics += analyse(front.policy)[1]
    shown = sorted({d for d in diagnostics if d.code == rule.code}, key=lambda d: d.sort_key)
    sources = SourceMap()
    sources.add(source)
    text = render("text", shown, RenderContext(sources=sources, files=[name]))
    return text.rsplit("\n", 2)[0] + "\n" if shown else ""


@click.command("explain")
@click.argument("code", required=False)
@click.option("--list", "list_", is_flag=True, help="List every rule with its code and summary.")
def command(code: str | None, list_: bool) -> None:
    """Explain a diagnostic code (e.g. PC201) or name (e.g. unknown-reference).

    Without a code, lists every rule.
    """
    if list_ or code is None:
        for rule in all_rules():
            click.echo(f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary}")
        return
    rule = lookup(code)
    if rule is None:
        raise click.UsageError(f"no rule is called `{code}`; `policyc explain --list` lists them all")
    text = rule_doc(rule)
    report = example_report(rule) if rule.example_fail is not None else ""
    if report:
        marker = "\n### Use instead"
        addition = "\n`policyc check` reports:\n\n```text\n" + report.rstrip("\n") + "\n```\n"
        if marker in text:
            head, tail = text.split(marker, 1)
            text = head + addition + marker + tail
        else:
            text += addition
    click.echo(text, nl=False)
