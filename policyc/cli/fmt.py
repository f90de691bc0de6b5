"""`policyc fmt PATH...`: rewrite policies in the canonical layout, keeping comments."""

from __future__ import annotations

import difflib

import click

from policyc.cli.common import expand_paths, front_end_errors, refuse


@click.command("fmt")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--check", is_flag=True, help="Change no file: print a diff of what would change, exit 1 if any file is not formatted.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour diagnostics (auto: only on a terminal).")
def command(paths: tuple[str, ...], check: bool, color: str) -> None:
    """Format policy files (YAML or DSL) in their canonical layout.

    A file keeps its language and its comments; the layout, the order of sections and
    the spelling of values (`4 hours` becomes `4h`) become canonical. Formatting a
    formatted file changes nothing. Directories are searched for policy files.

    A file that cannot be read as a policy is left alone and its errors reported.

    Exit status: 0 all files formatted (or, with --check, already formatted); 1 with
    --check, a file is not formatted, or a file has errors; 2 a file could not be read
    or parsed.
    """
    from policyc.pipeline import language_of, read_policy
    from policyc.printer import reprint
    from policyc.write import write_text_atomic

    failed, changed, unchanged = [], [], 0
    for path in expand_paths(paths):
        front = read_policy(path)
        if front_end_errors(front):
            failed.append(front)
            continue
        formatted = reprint(front, language_of(path))
        if formatted == front.source.text:
            unchanged += 1
            continue
        changed.append(path)
        if check:
            diff = difflib.unified_diff(
                front.source.text.splitlines(keepends=True), formatted.splitlines(keepends=True), fromfile=path, tofile=path
            )
            click.echo("".join(diff), nl=False)
        else:
            write_text_atomic(path, formatted)
    status = refuse(failed, color) if failed else 0
    click.echo(_summary(len(changed), unchanged, len(failed), check), err=True)
    if check and changed:
        status = max(status, 1)
    raise click.exceptions.Exit(status)


def _summary(changed: int, unchanged: int, failed: int, check: bool) -> str:
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    parts = []
    if changed:
        parts.append(f"{files(changed)} {'would be reformatted' if check else 'reformatted'}")
    if unchanged:
        parts.append(f"{files(unchanged)} already formatted")
    if failed:
        parts.append(f"{files(failed)} with errors left alone")
    return ", ".join(parts) + "." if parts else "No policy files found."
