"""Machine-readable diagnostics: one JSON document, stable key order."""

from __future__ import annotations

import json

from policyc.diagnostics import Diagnostic
from policyc.diagnostics.render import RenderContext, counts
from policyc.span import Span


def _location(span: Span | None) -> dict | None:
    if span is None:
        return None
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def diagnostic_json(d: Diagnostic) -> dict:
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        "location": _location(d.span),
        "hint": d.hint,
        "related": [{"message": r.message, "location": _location(r.span)} for r in d.related],
    }


def render(diagnostics: list[Diagnostic], context: RenderContext) -> str:
    from policyc import __version__

    document = {
        "tool": {"name": "policyc", "version": __version__},
        "files": list(context.files),
        "summary": {**counts(diagnostics), "suppressed": context.suppressed},
        "diagnostics": [diagnostic_json(d) for d in diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
