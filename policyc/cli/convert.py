"""`policyc convert PATH --to yaml|dsl`: the same policy in the other language."""

from __future__ import annotations

import click

from policyc.cli.common import front_end_errors, refuse


@click.command("convert")
@click.argument("path")
@click.option("--to", "language", type=click.Choice(["yaml", "dsl"]), required=True, help="The language to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (`.pol` for the DSL, `.yaml` for YAML) instead of standard output.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour diagnostics (auto: only on a terminal).")
def command(path: str, language: str, output: str | None, color: str) -> None:
    """Convert a policy between YAML and the DSL.

    The result means exactly what the input means: reading it back gives the same
    policy. Comments move with the definitions they describe; the layout is the
    canonical one `policyc fmt` writes.

    A file that cannot be read as a policy is not converted: its errors are reported.

    Exit status: 0 converted; 1 the policy has errors; 2 the file could not be read or
    parsed, or a usage error.
    """
    from policyc.pipeline import language_of, read_policy
    from policyc.printer import reprint
    from policyc.write import write_text_atomic

    if output is not None and language_of(output) != language:
        wanted = "a `.pol` file" if language == "dsl" else "a `.yaml` file"
        raise click.UsageError(f"policyc reads {output} as {language_of(output).upper()}, but --to {language} writes {language.upper()}: name it as {wanted}")
    front = read_policy(path)
    if front_end_errors(front):
        raise click.exceptions.Exit(refuse([front], color))
    text = reprint(front, language)
    if output is None:
        click.echo(text, nl=False)
        return
    write_text_atomic(output, text)
    click.echo(f"Wrote {output}.", err=True)
