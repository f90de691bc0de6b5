"""The `policyc` command line: one module per verb.

Exit codes: 0 no errors; 1 the policy has errors (or warnings, with --strict) or a
compiled output drifted; 2 usage error or unreadable input; 3 an internal error in
policyc itself (a bug: please report it), never a Python traceback.
"""

from __future__ import annotations

import sys

import click

from policyc import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="policyc")
def cli() -> None:
    """policyc: validate, check and compile customer-support policy."""


def _register() -> None:
    from policyc.cli import check, compile, convert, explain, fmt, init, route

    for module in (check, compile, explain, init, fmt, convert, route):
        cli.add_command(module.command)


_register()


def main(argv: list[str] | None = None) -> int:
    try:
        status = cli.main(args=argv, prog_name="policyc", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 2
    except Exception as error:  # a bug in policyc: say so plainly, without a traceback
        click.echo(
            f"policyc: internal error ({type(error).__name__}: {error}).\n"
            "This is a bug in policyc, not in your policy. Please report it with the input that caused it.",
            err=True,
        )
        return 3
    return status if isinstance(status, int) else 0


def run() -> None:
    sys.exit(main())
