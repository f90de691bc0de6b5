"""Human-readable diagnostics: the source line with a caret underline, like rustc."""

from __future__ import annotations

from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.render import RenderContext, counts
from policyc.span import Span, SourceMap

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(diagnostics: list[Diagnostic], context: RenderContext) -> str:
    blocks = [_diagnostic(d, context) for d in diagnostics]
    return "".join(blocks) + _summary(diagnostics, context)


def _style(text: str, context: RenderContext, **style) -> str:
    if not context.color:
        return text
    import click

    return click.style(text, **style)


def _diagnostic(d: Diagnostic, context: RenderContext) -> str:
    label = _style(f"{d.severity.value}[{d.code}]", context, fg=_COLOURS[d.severity], bold=True)
    lines = [f"{label}: {_style(d.message, context, bold=True)}"]
    gutter = " " * _gutter_width(d)
    if d.span is not None:
        lines += _excerpt(d.span, context.sources, context, "^", _COLOURS[d.severity], gutter)
    if d.hint:
        lines.append(f"{gutter} = {_style('hint', context, bold=True)}: {d.hint}")
    for related in d.related:
        lines.append(f"{_style('note', context, fg='blue', bold=True)}: {related.message}")
        lines += _excerpt(related.span, context.sources, context, "-", "blue", gutter)
    return "\n".join(lines) + "\n\n"


def _gutter_width(d: Diagnostic) -> int:
    """Wide enough for every line number the diagnostic shows, so the bars line up."""
    spans = [d.span] if d.span else []
    spans += [r.span for r in d.related]
    return max([len(str(s.line)) for s in spans] or [1])


def _excerpt(span: Span, sources: SourceMap, context: RenderContext, mark: str, colour: str, gutter: str) -> list[str]:
    lines = [f"{gutter}--> {span}"]
    source = sources.get(span.file)
    if source is None:
        return lines
    text = source.line_text(span.line)
    if not text and span.line > len(source.lines):
        return lines
    number = str(span.line).rjust(len(gutter))
    expanded = text.replace("\t", "    ")
    prefix = text[: span.column - 1].replace("\t", "    ")
    end_column = span.end_column if span.end_line == span.line else len(text) + 1
    width = max(1, min(end_column, len(text) + 1) - span.column)
    underline = " " * len(prefix) + _style(mark * width, context, fg=colour, bold=True)
    bar = _style("|", context, fg="blue", bold=True)
    lines += [
        f"{gutter} {bar}",
        f"{_style(number, context, fg='blue', bold=True)} {bar} {expanded}",
        f"{gutter} {bar} {underline}",
    ]
    return lines


def _summary(diagnostics: list[Diagnostic], context: RenderContext) -> str:
    n = counts(diagnostics)
    files = len(context.files)
    where = f"{files} file{'s' if files != 1 else ''}"
    if not diagnostics:
        text = f"All checks passed ({where})."
    else:
        parts = []
        for severity, word in (("error", "error"), ("warning", "warning"), ("info", "note")):
            if n[severity]:
                parts.append(f"{n[severity]} {word}{'s' if n[severity] != 1 else ''}")
        text = f"Found {', '.join(parts)} in {where}."
    if context.suppressed:
        text += f" {context.suppressed} suppressed."
    return text + "\n"
