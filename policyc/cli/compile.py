"""`policyc compile PATH -o DIR`: turn a policy into routing tables, contract text and
helpdesk configurations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from policyc.backends import TARGETS
from policyc.cli.common import use_color
from policyc.diagnostics import exit_code
from policyc.diagnostics.render import FORMATS, RenderContext, render


def _names(values: tuple[str, ...]) -> list[str]:
    """`--target a,b --target c` -> [a, b, c]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _lossy_codes(values: tuple[str, ...]) -> frozenset[str]:
    from policyc.backends.lossy import LOSSY_RULES
    from policyc.diagnostics.rules import lookup

    codes = set()
    for name in _names(values):
        rule = lookup(name)
        if rule is None or rule.code not in LOSSY_RULES:
            known = ", ".join(f"{code} ({r.name})" for code, r in LOSSY_RULES.items())
            raise click.UsageError(f"`{name}` is not a loss a target can be allowed; these are: {known}")
        codes.add(rule.code)
    return frozenset(codes)


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"--as-of `{value}` is not a date in YYYY-MM-DD form") from None


def _refuse_foreign_directory(directory: Path) -> None:
    """Compiling replaces target folders inside DIR; never point that at a folder that
    holds anything else (a home directory, a repository root)."""
    if not directory.exists():
        return
    if not directory.is_dir():
        raise click.UsageError(f"{directory} exists and is not a directory")
    foreign = sorted(entry.name for entry in directory.iterdir() if entry.name not in TARGETS)
    if foreign:
        raise click.UsageError(
            f"{directory} holds files policyc did not write ({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
            "give an empty or new directory: compile replaces its target folders"
        )


@click.command("compile", short_help="Compile a policy to routing tables, contracts and helpdesk setups.")
@click.argument("path", metavar="PATH")
@click.option("-o", "--output", "output", required=True, metavar="DIR", type=click.Path(file_okay=False), help="The directory to write (one folder per target inside it).")
@click.option("--target", "targets", multiple=True, metavar="NAMES", help=f"Targets to build, comma-separated or repeated: {', '.join(TARGETS)} (default: all).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if DIR differs from what the policy compiles to.")
@click.option("--allow-lossy", "allow_lossy", multiple=True, metavar="CODE", help="Accept a loss a target reports (e.g. PC955) for this run, as a warning instead of an error; to accept it for good, suppress it in the policy.")
@click.option("--as-of", "as_of", metavar="DATE", help="The date generated text is written for (default: the policy's effective date).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), help="A folder of contract templates that replace the shipped ones of the same name.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True, help="How to report diagnostics.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour text output (auto: only on a terminal).")
def command(
    path: str,
    output: str,
    targets: tuple[str, ...],
    check: bool,
    allow_lossy: tuple[str, ...],
    as_of: str | None,
    templates: str | None,
    format_: str,
    color: str,
) -> None:
    """Compile a policy into DIR: routing tables, contract text and helpdesk
    configurations, one folder per target.

    Refuses a policy with errors, including what a target cannot express, unless
    the policy accepts that loss (`suppress:` with the code and the reason, on the
    definition the loss points at) or, for one run, --allow-lossy CODE. Writes
    atomically: a failed compile leaves DIR as it was.

    Exit status: 0 compiled (or, with --check, DIR is up to date); 1 the policy has
    errors, or DIR drifted from the policy; 2 usage error or unreadable input.
    """
    from policyc.compile import compare, compile_options, compile_path

    directory = Path(output)
    try:
        options = compile_options(_names(targets), _lossy_codes(allow_lossy), _as_of(as_of), templates)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if not check:
        _refuse_foreign_directory(directory)
    from policyc.backends import TemplateError

    try:
        result = compile_path(path, options)
    except TemplateError as error:
        raise click.UsageError(str(error)) from None
    diagnostics = result.sorted_diagnostics()
    if diagnostics or result.suppressed or format_ != "text":
        context = RenderContext(
            sources=result.sources,
            files=[path],
            color=format_ == "text" and use_color(color),
            suppressed=len(result.suppressed),
            silenced=result.suppressed,
        )
        click.echo(render(format_, diagnostics, context), nl=False)
    status = exit_code(diagnostics)
    if status != 0:
        raise click.exceptions.Exit(status)
    say = (lambda text: click.echo(text)) if format_ == "text" else (lambda text: click.echo(text, err=True))
    if check:
        drift = compare(directory, result)
        if drift.clean:
            say(f"{directory} is up to date ({len(result.files)} files, targets: {', '.join(result.targets)}).")
            raise click.exceptions.Exit(0)
        lines = [f"{directory} has drifted from {path}:"]
        lines += [f"  changed: {name}" for name in drift.changed]
        lines += [f"  missing: {name}" for name in drift.missing]
        lines += [f"  extra:   {name}" for name in drift.extra]
        say("\n".join(lines))
        for diff in drift.changed.values():
            say(diff.rstrip("\n"))
        say(f"Run `policyc compile {path} -o {directory}` to regenerate.")
        raise click.exceptions.Exit(1)
    from policyc.write import write_tree_atomic

    try:
        write_tree_atomic(directory, result.files, replace=result.targets)
    except OSError as error:
        # A folder that cannot be written is a usage error, as for `check -o`; the
        # atomic write has left it as it was.
        failure = click.FileError(str(directory), hint=error.strerror or str(error))
        failure.exit_code = 2
        raise failure from None
    say(f"Wrote {len(result.files)} files to {directory} (targets: {', '.join(result.targets)}).")
