"""JUnit XML: a test suite per checked file, a failing test case per diagnostic.

A file without failures still gets one passing test case, so CI dashboards count it
as checked; a diagnostic the policy suppresses is a skipped test case with its reason.
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
        by_file.setdefault(_file(d), []).append(d)
    skipped_by_file: dict[str, list] = {}
    for silenced in context.silenced:
        skipped_by_file.setdefault(_file(silenced.diagnostic), []).append(silenced)
        by_file.setdefault(_file(silenced.diagnostic), [])
    suites = ET.Element("testsuites", name="policyc check", tests="0", failures="0", errors="0")
    total = failures = skipped = 0
    for name, found in by_file.items():
        silenced = skipped_by_file.get(name, [])
        tests = len(found) + len(silenced) + (0 if found else 1)
        attributes = {"tests": str(tests), "failures": str(len(found)), "errors": "0"}
        if silenced:
            attributes["skipped"] = str(len(silenced))
        suite = ET.SubElement(suites, "testsuite", name=name or "policyc", **attributes)
        if not found:
            ET.SubElement(suite, "testcase", name="policyc check", classname=name)
        for d in found:
            case = ET.SubElement(suite, "testcase", name=_case_name(d), classname=name)
            # XML 1.0 cannot hold control characters, not even escaped.
            failure = ET.SubElement(case, "failure", message=visible(d.message), type=d.severity.value)
            body = [f"{d.span}: {d.message}" if d.span else d.message]
            if d.hint:
                body.append(f"hint: {d.hint}")
            body += [f"note: {r.message} ({r.span})" for r in d.related]
            failure.text = visible("\n".join(body))
        for entry in silenced:
            case = ET.SubElement(suite, "testcase", name=_case_name(entry.diagnostic), classname=name)
            ET.SubElement(case, "skipped", message=visible(f"suppressed in the policy: {entry.reason}"))
        total += tests
        failures += len(found)
        skipped += len(silenced)
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    if skipped:
        suites.set("skipped", str(skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _file(d: Diagnostic) -> str:
    return d.span.file if d.span else ""


def _case_name(d: Diagnostic) -> str:
    where = f"{d.span.line}:{d.span.column}" if d.span else ""
    return f"{d.code} {d.name} at {where}".strip()
