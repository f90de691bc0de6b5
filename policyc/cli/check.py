"""`policyc check PATH...`: validate and check policies, report diagnostics."""

from __future__ import annotations

import click

from policyc.cli.common import expand_paths, use_color, write_output
from policyc.diagnostics import exit_code
from policyc.diagnostics.render import FORMATS, RenderContext, render
from policyc.pipeline import check_paths


def _words(values: tuple[str, ...]) -> list[str]:
    """`--select PC5,PC7 --select PC801` -> ["PC5", "PC7", "PC801"]."""
    return [word for value in values for word in value.split(",") if word.strip()]


@click.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True, help="How to report diagnostics.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--select",
    multiple=True,
    metavar="CODE",
    help="Report only these checker rules: a code (PC504), the start of codes (PC5) or a rule name; repeat or separate with commas.",
)
@click.option("--ignore", multiple=True, metavar="CODE", help="Do not report these checker rules (same forms as --select).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file instead of standard output.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour text output (auto: only on a terminal).")
def command(
    paths: tuple[str, ...], format_: str, strict: bool, select: tuple[str, ...], ignore: tuple[str, ...], output: str | None, color: str
) -> None:
    """Check policy files (YAML or DSL) and report every problem found.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 a file could not
    be read or parsed.
    """
    from policyc.checks import checker_rules, chosen_codes

    try:
        chosen = chosen_codes(_words(select), _words(ignore))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--select' / '--ignore'") from None
    files = expand_paths(paths)
    result = check_paths(files)
    checker = {rule.code for rule in checker_rules()}
    diagnostics = [d for d in result.sorted_diagnostics() if d.code not in checker or d.code in chosen]
    context = RenderContext(
        sources=result.sources,
        files=files,
        color=format_ == "text" and output is None and use_color(color),
        suppressed=len(result.suppressed),
        silenced=result.suppressed,
    )
    report = render(format_, diagnostics, context)
    if output is not None:
        write_output(output, report)
    else:
        # click strips colour from output that is not a terminal unless told otherwise;
        # the choice was made above (--color, NO_COLOR, FORCE_COLOR).
        click.echo(report, nl=False, color=context.color)
    raise click.exceptions.Exit(exit_code(diagnostics, strict=strict))
