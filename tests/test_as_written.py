"""The playbooks as written (`examples/<org>/as-written.policy.yaml`): every
contradiction each playbook contains is left in and marked by a comment that names the
code `policyc check` reports there. The file is the single source of truth: the
expected (code, line) pairs are read from its marker comments, and the checker must
report exactly those, no more and no fewer.

A marker is a YAML comment that starts with one or more codes and a colon, followed by
why, in the playbook's terms:

    first_response: 48h  # PC415: 48 hours cannot outlast a weekend ...   (this line)
    # PC701: an Enterprise billing ticket ...                          (the next line)
    - id: billing
"""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, ROOT
from policyc.pipeline import check_paths

ORGANISATIONS = ("aeroflow", "bleusalt", "dignifi", "flexfacts", "onelife")
MARKER = re.compile(r"#\s*(PC\d{3}(?:\s*,\s*PC\d{3})*)\s*:\s*(.*)$")


def path_of(org: str):
    return EXAMPLES / org / "as-written.policy.yaml"


def markers(text: str) -> dict[tuple[str, int], str]:
    """(code, line) -> the marker's explanation. A marker after a value marks its own
    line; a marker on a line of its own marks the next line that is not a comment."""
    found: dict[tuple[str, int], str] = {}
    pending: list[tuple[list[str], str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        match = MARKER.search(line)
        if stripped.startswith("#"):
            if match and stripped.index("#") == 0 and MARKER.match(stripped):
                pending.append((re.findall(r"PC\d{3}", match.group(1)), match.group(2)))
            continue
        if not stripped:
            continue
        marks = pending
        pending = []
        if match and "#" in line:
            marks.append((re.findall(r"PC\d{3}", match.group(1)), match.group(2)))
        for codes, why in marks:
            for code in codes:
                found[(code, number)] = why
    assert not pending, "a marker comment at the end of the file marks no line"
    return found


def test_every_organisation_has_its_playbook_as_written():
    assert sorted(p.parent.name for p in EXAMPLES.glob("*/as-written.policy.yaml")) == list(ORGANISATIONS)


def test_markers_are_read_from_both_places():
    text = "a: 1  # PC415: here\n# PC701, PC702: below\n\n# an ordinary comment\nb: 2\n"
    assert markers(text) == {("PC415", 1): "here", ("PC701", 5): "below", ("PC702", 5): "below"}


@pytest.mark.parametrize("org", ORGANISATIONS)
def test_checker_reports_exactly_the_marked_contradictions(org):
    path = path_of(org)
    expected = markers(path.read_text(encoding="utf-8"))
    result = check_paths([str(path)])
    found = {(d.code, d.span.line) for d in result.diagnostics}
    missing = sorted(set(expected) - found, key=lambda key: key[1])
    extra = sorted(found - set(expected), key=lambda key: key[1])
    detail = "\n".join(f"  {d.code} line {d.span.line}: {d.message}" for d in result.sorted_diagnostics() if (d.code, d.span.line) in extra)
    assert not missing and not extra, f"{org}: marked but not reported {missing}; reported but not marked {extra}\n{detail}"
    assert result.suppressed == []


@pytest.mark.parametrize("org", ORGANISATIONS)
def test_every_marker_says_why(org):
    for (code, line), why in markers(path_of(org).read_text(encoding="utf-8")).items():
        assert len(why.split()) >= 4, f"{org} line {line}: the {code} marker does not say why"


def test_checking_the_playbooks_as_written_fails(policyc_cli):
    outcome = policyc_cli("check", *(str(path_of(org).relative_to(ROOT)) for org in ORGANISATIONS), cwd=ROOT)
    assert outcome.exit_code == 1
    assert "Traceback" not in outcome.stdout + outcome.stderr
