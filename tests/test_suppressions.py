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


# --- losses of compile targets (PC950-PC960) -------------------------------------------

# The PC955 example: Zendesk and Freshdesk have no acknowledgement metric.
ACKNOWLEDGED = """\
defaults: {calendar: office}
calendars:
  office:
    timezone: Europe/London
    hours: {mon-fri: 09:00-17:00}
channels: {email: {kind: email}}
tiers: {standard: {channels: [email]}}
sla:
  - tiers: [standard]
    acknowledgement: 15m
    suppress:
      - {code: PC955, reason: The auto-responder acknowledges every email.}
  - tiers: [standard]
    priorities: [high]
    first_response: 5m
"""
ACCEPTED = "      - {code: PC955, reason: The auto-responder acknowledges every email.}\n"


def compiled(body: str, **options):
    from policyc.compile import compile_options, compile_source
    from policyc.span import Source

    return compile_source(Source("p.policy.yaml", HEAD + body), compile_options(**options))


def test_a_suppression_accepts_a_loss_where_it_is_written():
    result = compiled(ACKNOWLEDGED)
    assert result.ok and result.diagnostics == []
    assert sorted((s.diagnostic.code, s.diagnostic.message.split(":")[0], s.span.line) for s in result.suppressed) == [
        ("PC955", "freshdesk", 15),
        ("PC955", "zendesk", 15),
    ]
    assert {s.reason for s in result.suppressed} == {"The auto-responder acknowledges every email."}
    assert "zendesk/manifest.json" in result.files and "freshdesk/manifest.json" in result.files


def test_without_the_suppression_the_loss_is_an_error_again():
    result = compiled(ACKNOWLEDGED.replace("    suppress:\n" + ACCEPTED, ""))
    assert not result.ok and result.files == {} and result.suppressed == []
    assert sorted((d.code, d.severity.value, d.span.line) for d in result.diagnostics) == [("PC955", "error", 13), ("PC955", "error", 13)]


def test_a_loss_suppression_does_not_reach_another_definition():
    moved = ACKNOWLEDGED.replace("    suppress:\n" + ACCEPTED, "") + "    suppress:\n" + ACCEPTED
    result = compiled(moved)
    assert sorted(d.code for d in result.diagnostics) == ["PC206", "PC955", "PC955"]
    unused = next(d for d in result.diagnostics if d.code == "PC206")
    assert unused.message == "`sla[2]` suppresses PC955, but the compiled targets report no PC955 there"
    assert unused.span.line == 18 and unused.related[0].span.line == 14


def test_allow_lossy_still_turns_the_loss_into_a_warning():
    result = compiled(ACKNOWLEDGED.replace("    suppress:\n" + ACCEPTED, ""), allow_lossy=["PC955"])
    assert result.ok and {(d.code, d.severity.value) for d in result.diagnostics} == {("PC955", "warning")}


def test_check_accepts_loss_codes_and_leaves_them_to_compile():
    for body in (ACKNOWLEDGED, ACKNOWLEDGED.replace("acknowledgement: 15m", "first_response: 15m")):
        found = run(body)
        assert found.diagnostics == [] and found.suppressed == []


def test_an_unused_loss_suppression_is_reported_only_when_every_target_ran():
    unused = ACKNOWLEDGED.replace("acknowledgement: 15m", "first_response: 15m")
    assert [d.code for d in compiled(unused).diagnostics] == ["PC206"]
    # Zendesk and Freshdesk report PC955, but a compile of some targets is no
    # evidence about the others.
    for targets in (["routing"], ["zendesk", "freshdesk"], ["routing", "contract", "zendesk", "freshdesk"]):
        result = compiled(unused, targets=targets)
        assert result.ok and result.diagnostics == [], targets


def test_compile_reports_count_suppressed_losses(tmp_path, policyc_cli):
    (tmp_path / "p.policy.yaml").write_text(HEAD + ACKNOWLEDGED, encoding="utf-8")
    text = policyc_cli("compile", "p.policy.yaml", "-o", "out", cwd=tmp_path)
    assert text.exit_code == 0
    assert text.stdout.startswith("All checks passed (1 file). 2 suppressed.\nWrote ")
    as_json = policyc_cli("compile", "p.policy.yaml", "-o", "out", "--format", "json", cwd=tmp_path)
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["summary"]["suppressed"] == 2
    sarif = json.loads(policyc_cli("compile", "p.policy.yaml", "-o", "out", "--check", "--format", "sarif", cwd=tmp_path).stdout)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["suppressions"][0]["justification"]) for r in results] == [("PC955", "The auto-responder acknowledges every email.")] * 2


def test_check_reports_do_not_list_loss_suppressions_as_unused(tmp_path, policyc_cli):
    (tmp_path / "p.policy.yaml").write_text(HEAD + ACKNOWLEDGED, encoding="utf-8")
    as_json = json.loads(policyc_cli("check", "--format", "json", "p.policy.yaml", cwd=tmp_path).stdout)
    assert as_json["diagnostics"] == [] and as_json["summary"]["suppressed"] == 0
    sarif = json.loads(policyc_cli("check", "--format", "sarif", "p.policy.yaml", cwd=tmp_path).stdout)
    assert sarif["runs"][0]["results"] == []
