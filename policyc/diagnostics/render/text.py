"""Human-readable diagnostics: the source line with a caret underline, like rustc."""

from __future__ import annotations

import re

from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.render import RenderContext, counts, visible
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
    lines = [f"{label}: {_style(visible(d.message), context, bold=True)}"]
    gutter = " " * _gutter_width(d)
    if d.span is not None:
        lines += _excerpt(d.span, context.sources, context, "^", _COLOURS[d.severity], gutter)
    if d.hint:
        lines.append(f"{gutter} = {_style('hint', context, bold=True)}: {visible(d.hint)}")
    for related in d.related:
        lines.append(f"{_style('note', context, fg='blue', bold=True)}: {visible(related.message)}")
        lines += _excerpt(related.span, context.sources, context, "-", "blue", gutter)
    return "\n".join(lines) + "\n\n"


def _gutter_width(d: Diagnostic) -> int:
    """Wide enough for every line number the diagnostic shows, so the bars line up."""
    spans = [d.span] if d.span else []
    spans += [r.span for r in d.related]
    return max([len(str(s.line)) for s in spans] or [1])


# Longer source lines are cut to the part around the span (a policy written as one
# line of JSON would otherwise be printed whole under every diagnostic).
_LONGEST_SHOWN = 200
_CONTEXT_SHOWN = 60


def _excerpt(span: Span, sources: SourceMap, context: RenderContext, mark: str, colour: str, gutter: str) -> list[str]:
    lines = [f"{gutter}--> {span}"]
    source = sources.get(span.file)
    if source is None:
        return lines
    text = source.line_text(span.line)
    if not text and span.line > len(source.lines):
        return lines
    # 0-based character offsets of the span on this line; at least one character wide,
    # and never past the end of the line (a parser may point just after it).
    start = min(span.column - 1, len(text))
    stop = span.end_column - 1 if span.end_line == span.line else _content_end(text)
    stop = max(start + 1, min(stop, len(text)))
    shown, start, stop = _clip(text, start, stop)
    number = str(span.line).rjust(len(gutter))
    width = max(1, len(_printable(shown[start:stop])))  # a point just past the end still gets a caret
    underline = " " * len(_printable(shown[:start])) + _style(mark * width, context, fg=colour, bold=True)
    bar = _style("|", context, fg="blue", bold=True)
    return lines + [
        f"{gutter} {bar}",
        f"{_style(number, context, fg='blue', bold=True)} {bar} {_printable(shown)}",
        f"{gutter} {bar} {underline}",
    ]


def _content_end(text: str) -> int:
    """Where the policy's own text on a line ends: before a trailing comment (both
    languages start one with `#` after a space), so that a span running on to later
    lines does not underline the author's remark."""
    comment = _TRAILING_COMMENT.search(text)
    return comment.start() if comment else len(text.rstrip())


_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def _clip(text: str, start: int, stop: int) -> tuple[str, int, int]:
    """The part of a long line worth showing, and the span's offsets in it."""
    if len(text) <= _LONGEST_SHOWN:
        return text, start, stop
    left = max(0, start - _CONTEXT_SHOWN)
    right = min(len(text), stop + _CONTEXT_SHOWN, left + _LONGEST_SHOWN)
    head = "…" if left > 0 else ""
    tail = "…" if right < len(text) else ""
    stop = min(stop, right)
    return head + text[left:right] + tail, start - left + len(head), stop - left + len(head)


def _printable(text: str) -> str:
    """A source line as a terminal should show it: tabs as four spaces, and control
    characters as their visible symbols, never sent to the terminal."""
    return visible(text.replace("\t", "    "))


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
