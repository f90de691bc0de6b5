"""GitHub Actions workflow commands: one annotation per diagnostic, on the changed line."""

from __future__ import annotations

from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.render import RenderContext, visible

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    # Control characters other than line feeds (a carriage return or an escape
    # sequence from a value) are shown, not sent: the Actions log would act on them.
    return visible(text).replace("%", "%25").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: list[Diagnostic], context: RenderContext) -> str:
    lines = []
    for d in diagnostics:
        properties = [f"title={_escape_property(f'{d.code} {d.name}')}"]
        if d.span is not None:
            properties = [
                f"file={_escape_property(d.span.file)}",
                f"line={d.span.line}",
                f"col={d.span.column}",
                f"endLine={d.span.end_line}",
                *([f"endColumn={d.span.end_column}"] if d.span.end_line == d.span.line else []),
            ] + properties
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        for related in d.related:
            message += f"\nnote: {related.message} ({related.span})"
        lines.append(f"::{_COMMAND[d.severity]} {','.join(properties)}::{_escape_data(message)}")
    if context.silenced:
        count = len(context.silenced)
        lines.append(f"::notice title=policyc::{count} diagnostic{'s' if count != 1 else ''} suppressed in the policy (`suppress:`)")
    return "".join(line + "\n" for line in lines)
