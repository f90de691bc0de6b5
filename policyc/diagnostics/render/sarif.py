"""SARIF 2.1.0, for code-scanning dashboards. Columns are Unicode code points.

Diagnostics the policy suppresses are results too, with a SARIF `suppressions` entry
(`inSource`, the author's reason as its justification), as code-scanning tools expect."""

from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.render import RenderContext
from policyc.diagnostics.rules import Rule, all_rules, rule_doc
from policyc.span import Span

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    """A URI reference for a path: relative paths stay relative (SARIF viewers resolve
    them against the checkout), with spaces, `#`, `%` and non-ASCII percent-encoded."""
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def _region(span: Span) -> dict:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": max(span.end_column, 1),
    }


def _location(span: Span, message: str | None = None, id: int | None = None) -> dict:
    location: dict = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(span.file)},
            "region": _region(span),
        }
    }
    if id is not None:
        location = {"id": id, **location}
    if message is not None:
        location["message"] = {"text": message}
    return location


def _rule(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what.replace("\n", " ")},
        "help": {"text": rule.why.replace("\n", " "), "markdown": rule_doc(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict:
    text = d.message + (f" Hint: {d.hint}" if d.hint else "")
    result: dict = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": _LEVEL[d.severity],
        "message": {"text": text},
    }
    if d.span is not None:
        result["locations"] = [_location(d.span)]
    if d.related:
        result["relatedLocations"] = [_location(r.span, r.message, i) for i, r in enumerate(d.related)]
    return result


def render(diagnostics: list[Diagnostic], context: RenderContext) -> str:
    from policyc import __version__

    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(d, index) for d in diagnostics]
    for silenced in context.silenced:
        result = _result(silenced.diagnostic, index)
        suppression: dict = {"kind": "inSource", "justification": silenced.reason}
        if silenced.span is not None:
            suppression["location"] = _location(silenced.span)
        result["suppressions"] = [suppression]
        results.append(result)
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policyc",
                        "version": __version__,
                        "informationUri": "https://policyc.dev",
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": {"uri": _uri(name)}} for name in context.files],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
