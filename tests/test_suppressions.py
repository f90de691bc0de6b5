"""Suppressions written in the policy: one code, on one definition, with a reason."""

from __future__ import annotations

import json

import policyc
from policyc.pipeline import analysis

HEAD = """\
policyc: 1
organisation: {name: Acme, currency: USD, timezone: Europe/London}
priorities: {high: {}, standard: {}}
"""


def run(body: str):
    return analysis(policyc.loads(HEAD + body, "p.policy.yaml"))


INVERTED = """\
sla:
  - priorities: [high]
    first_response: 12h
    suppress:
      - {code: PC502, reason: Triaged by phone first.}
  - priorities: [standard]
    first_response: 1h
"""


def test_a_suppression_silences_its_code_inside_its_definition():
    found = run(INVERTED)
    assert found.diagnostics == []
    assert [(s.diagnostic.code, s.reason) for s in found.suppressed] == [("PC502", "Triaged by phone first.")]
    assert found.suppressed[0].span.line == 8


def test_it_does_not_reach_another_definition():
    found = run(INVERTED.replace("    suppress:\n      - {code: PC502, reason: Triaged by phone first.}\n", "") + "    suppress:\n      - {code: PC502, reason: Written on the wrong entry.}\n")
    assert sorted(d.code for d in found.diagnostics) == ["PC206", "PC502"]
    assert found.suppressed == []


def test_it_does_not_silence_another_code():
    found = run(INVERTED.replace("code: PC502", "code: PC504"))
    assert sorted(d.code for d in found.diagnostics) == ["PC206", "PC502"]


def test_codes_that_stop_the_check_or_do_not_exist_cannot_be_suppressed():
    for code, why in (("PC101", "`unknown-key` is reported before the policy is checked"), ("PC999", "no rule has this code")):
        found = run(INVERTED.replace("code: PC502", f"code: {code}"))
        bad = [d for d in found.diagnostics if d.code == "PC205"]
        assert len(bad) == 1 and why in bad[0].message and bad[0].span.line == 8


def test_no_suppression_is_unused_when_the_checker_did_not_run():
    found = run(INVERTED.replace("priorities: [standard]", "priorities: [urgent]"))
    assert [d.code for d in found.diagnostics] == ["PC201"]


def test_a_suppression_needs_a_reason():
    for entry in ("{code: PC502}", "{code: PC502, reason: '  '}"):
        try:
            policyc.loads(HEAD + INVERTED.replace("{code: PC502, reason: Triaged by phone first.}", entry))
        except policyc.PolicyError as error:
            assert {d.code for d in error.diagnostics} <= {"PC102", "PC104"}, error.diagnostics
        else:
            raise AssertionError(f"{entry} was accepted without a reason")


def test_the_api_reports_what_is_not_suppressed():
    assert policyc.check(policyc.loads(HEAD + INVERTED)) == []


def test_every_format_counts_suppressed_diagnostics(tmp_path, policyc_cli):
    (tmp_path / "p.policy.yaml").write_text(HEAD + INVERTED, encoding="utf-8")
    out = {f: policyc_cli("check", "--format", f, "p.policy.yaml", cwd=tmp_path).stdout for f in ("text", "json", "sarif", "github", "junit")}
    assert out["text"].endswith("All checks passed (1 file). 1 suppressed.\n")
    assert json.loads(out["json"])["summary"]["suppressed"] == 1
    assert [r["suppressions"][0]["justification"] for r in json.loads(out["sarif"])["runs"][0]["results"]] == ["Triaged by phone first."]
    assert out["github"] == "::notice title=policyc::1 diagnostic suppressed in the policy (`suppress:`)\n"
    assert 'skipped="1"' in out["junit"] and '<skipped message="suppressed in the policy: Triaged by phone first." />' in out["junit"]
