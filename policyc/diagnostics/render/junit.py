"""JUnit XML: a test suite per checked file, a failing test case per diagnostic.

A clean file still gets one passing test case, so CI dashboards count it as checked.
Warnings and notes are failures of type `warning`/`info`: dashboards show them, and the
exit code (not the report) decides whether the build fails.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from policyc.diagnostics import Diagnostic
from policyc.diagnostics.render import RenderContext, visible


def render(diagnostics: list[Diagnostic], context: RenderContext) -> str:
    by_file: dict[str, list[Diagnostic]] = {name: [] for name in context.files}
    for d in diagnostics:
        by_file.setdefault(d.span.file if d.span else "", []).append(d)
    suites = ET.Element("testsuites", name="policyc check", tests="0", failures="0", errors="0")
    total = failures = 0
    for name, found in by_file.items():
        suite = ET.SubElement(suites, "testsuite", name=name or "policyc", tests=str(max(1, len(found))), failures=str(len(found)), errors="0")
        if not found:
            ET.SubElement(suite, "testcase", name="policyc check", classname=name)
            total += 1
            continue
        for d in found:
            where = f"{d.span.line}:{d.span.column}" if d.span else ""
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name} at {where}".strip(), classname=name)
            # XML 1.0 cannot hold control characters, not even escaped.
            failure = ET.SubElement(case, "failure", message=visible(d.message), type=d.severity.value)
            body = [f"{d.span}: {d.message}" if d.span else d.message]
            if d.hint:
                body.append(f"hint: {d.hint}")
            body += [f"note: {r.message} ({r.span})" for r in d.related]
            failure.text = visible("\n".join(body))
            total += 1
            failures += 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
