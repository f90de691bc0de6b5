"""Renderers: one module per output format, each `render(diagnostics, context) -> str`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from policyc.diagnostics import Diagnostic, Severity, Suppressed
from policyc.span import SourceMap

FORMATS = ("text", "json", "sarif", "github", "junit")


@dataclass
class RenderContext:
    sources: SourceMap = field(default_factory=SourceMap)
    files: list[str] = field(default_factory=list)
    color: bool = False
    # Diagnostics counted, not shown: those the policy silences (`suppress:`), or
    # those past the number a report shows.
    suppressed: int = 0
    # The ones the policy silences, for the formats that list them: SARIF as
    # suppressed results, JUnit as skipped tests.
    silenced: list[Suppressed] = field(default_factory=list)


def render(format: str, diagnostics: list[Diagnostic], context: RenderContext) -> str:
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    module = importlib.import_module(f"policyc.diagnostics.render.{format}")
    return module.render(diagnostics, context)


def counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    return {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity}


# Control characters as their visible symbols (U+2400...). A value may hold them
# through YAML escapes (`"\\e[2J"`); quoted in a report they must neither reach a
# terminal as an escape sequence nor make XML ill-formed.
_VISIBLE = {code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)} | {0x7F: 0x2421, 0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}


def visible(text: str) -> str:
    """The text with every control character but tab and line feed made visible."""
    return text.translate(_VISIBLE)
