"""What the verbs share: finding policy files, choosing colour, writing files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

POLICY_SUFFIXES = (".yaml", ".yml", ".pol")


def expand_paths(paths: tuple[str, ...]) -> list[str]:
    """Files as given; directories searched for `policy.yaml`, `*.policy.yaml` and
    `*.pol` files, in a stable order."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            matches = [
                str(p)
                for p in sorted(Path(path).rglob("*"))
                if p.is_file() and (p.name in ("policy.yaml", "policy.yml") or p.name.endswith((".policy.yaml", ".policy.yml", ".pol")))
            ]
            found.extend(matches or [path])
        else:
            found.append(path)
    return found


def use_color(choice: str, stream=None) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def write_output(path: str | Path, text: str) -> None:
    """Write a file the user named, atomically. A path that cannot be written (a
    missing or read-only folder) is a usage error, exit 2, not a crash."""
    from policyc.write import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as error:
        failure = click.FileError(str(path), hint=error.strerror or str(error))
        failure.exit_code = 2
        raise failure from None


def refuse(fronts: list, color: str = "auto") -> int:
    """Report on standard error why policy files could not be read, in the text format
    `policyc check` uses; the exit status that goes with it (1 errors, 2 unreadable)."""
    import click

    from policyc.diagnostics import exit_code
    from policyc.diagnostics.render import RenderContext, render
    from policyc.span import SourceMap

    sources = SourceMap()
    diagnostics = []
    for front in fronts:
        if front.source is not None:
            sources.add(front.source)
        diagnostics += front.diagnostics
    shown = sorted(set(diagnostics), key=lambda d: d.sort_key)
    context = RenderContext(sources=sources, files=[f.source.name for f in fronts if f.source is not None], color=use_color(color, sys.stderr))
    click.echo(render("text", shown, context), nl=False, err=True)
    return exit_code(shown)


def front_end_errors(front) -> bool:
    """Whether a file failed to load: it has no IR, or errors on the way to it."""
    from policyc.diagnostics import Severity

    return front.policy is None or any(d.severity is Severity.ERROR for d in front.diagnostics)
