"""The rule registry keeps its promises: every rule is documented, and its examples do
what the documentation says, through the same pipeline `policyc check` runs."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from policyc.cli import cli
from policyc.diagnostics import Diagnostic
from policyc.diagnostics.reference import reporting_command, run_example
from policyc.diagnostics.rules import Rule, all_rules, lookup
from policyc.frontend.yaml_loader import decode, read_source

RULES = all_rules()
WITH_FAILING_EXAMPLE = [rule for rule in RULES if rule.example_fail is not None]
WITH_PASSING_EXAMPLE = [rule for rule in RULES if rule.example_pass is not None]

# Words from inside policyc that must never reach a policy author.
INTERNALS = re.compile(r"\$defs|#/|additionalProperties|propertyNames|jsonschema|Traceback|\bNone\b|policyc\.\w|Error\(|\bYMap\b|\bYScalar\b")


def ids(rules: list[Rule]) -> list[str]:
    return [rule.code for rule in rules]


# --- the registry itself ----------------------------------------------------------


def test_registry_is_not_empty_and_sorted():
    assert len(RULES) >= 20
    assert ids(RULES) == sorted(ids(RULES))


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_rule_is_documented(rule: Rule):
    assert re.fullmatch(r"PC\d{3}", rule.code), f"{rule.code}: codes are PC followed by three digits"
    # Kebab case; a version number may keep its dot (`yaml-1.1-value`).
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+(\.[0-9]+)*)*", rule.name), f"{rule.code}: `{rule.name}` is not kebab-case"
    for part in ("summary", "what", "why"):
        text = getattr(rule, part)
        assert text.strip(), f"{rule.code} has no {part}"
        assert not INTERNALS.search(text), f"{rule.code}: its {part} shows policyc internals"
    assert "\n" not in rule.summary, f"{rule.code}: the summary is one line (it is a table cell)"


def test_codes_and_names_are_unique():
    codes = ids(RULES)
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


ABOUT_POLICIES = [r for r in RULES if not r.fatal and r.subject == "policy"]


@pytest.mark.parametrize("rule", ABOUT_POLICIES, ids=ids(ABOUT_POLICIES))
def test_rule_that_is_not_fatal_has_both_examples(rule: Rule):
    assert rule.example_fail is not None, f"{rule.code} has no failing example"
    assert rule.example_pass is not None, f"{rule.code} has no passing example"


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_examples_come_in_pairs(rule: Rule):
    assert (rule.example_fail is None) == (rule.example_pass is None), f"{rule.code}: give both examples or neither"


def test_lookup_by_code_or_name_in_any_case():
    for rule in RULES:
        assert lookup(rule.code) is rule
        assert lookup(rule.code.lower()) is rule
        assert lookup(rule.name) is rule
        assert lookup(f"  {rule.name.upper()} ") is rule
    assert lookup("PC999") is None


# --- the examples, through the pipeline -----------------------------------------


def _diagnostics(text: str, rule: Rule) -> list[Diagnostic]:
    """Through `policyc check`, or through the compile targets that raise the rule."""
    return run_example(text, rule.example_file, targets=rule.compile_targets)[1]


def _describe(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"  {d.code} {d.span}: {d.message}" for d in diagnostics) or "  (none)"


@pytest.mark.parametrize("rule", WITH_FAILING_EXAMPLE, ids=ids(WITH_FAILING_EXAMPLE))
def test_failing_example_raises_its_rule_and_only_it(rule: Rule):
    diagnostics = _diagnostics(rule.example_fail, rule)
    codes = {d.code for d in diagnostics}
    assert codes == {rule.code}, f"{rule.code}'s failing example raises:\n{_describe(diagnostics)}"
    lines = rule.example_fail.count("\n") + 1
    for d in diagnostics:
        assert d.severity is rule.severity
        assert d.fatal is rule.fatal
        assert d.name == rule.name
        assert d.span is not None and d.span.file == rule.example_file
        assert 1 <= d.span.line <= lines, f"{rule.code} points outside its example: {d.span}"
        assert d.hint, f"{rule.code}: `{d.message}` has no hint"
        for text in (d.message, d.hint, *(r.message for r in d.related)):
            assert not INTERNALS.search(text), f"{rule.code} shows policyc internals: {text}"


@pytest.mark.parametrize("rule", WITH_PASSING_EXAMPLE, ids=ids(WITH_PASSING_EXAMPLE))
def test_passing_example_is_clean(rule: Rule):
    diagnostics = _diagnostics(rule.example_pass, rule)
    assert diagnostics == [], f"{rule.code}'s passing example raises:\n{_describe(diagnostics)}"


# Rules about input that is not a policy text at all have no YAML example; each is
# triggered here instead, so its documentation is still backed by a run.
def _missing_file(tmp_path) -> list[Diagnostic]:
    return read_source(str(tmp_path / "no-such.policy.yaml"))[1]


def _binary_file(tmp_path) -> list[Diagnostic]:
    return decode("sheet.policy.yaml", b"PK\x03\x04\x00\x00binary")[1]


# Rules about the tickets `policyc route` reads show a failing and a passing ticket row
# (JSON Lines blocks in `what`); they are routed here through the route test policy.
def _tickets_file(tmp_path) -> list[Diagnostic]:
    import io

    from policyc.tickets import TicketsUnreadable, read_rows

    try:
        list(read_rows(io.StringIO('[{"id": "T-1"} {"id": "T-2"}]'), "tickets.json", "json"))
    except TicketsUnreadable as error:
        return [error.diagnostic]
    return []


def _ticket_rows(rule: Rule) -> list[Diagnostic]:
    import json

    import policyc
    from conftest import ROOT
    from policyc.router import Rejected

    failing, passing = (json.loads(body) for language, body in re.findall(r"```(\w+)\n(.*?)\n```", rule.what, re.S) if language == "jsonl")
    policy = policyc.load(ROOT / "tests" / "fixtures" / "route" / "helpdesk.policy.yaml")
    (routed,) = policyc.route(policy, [passing])
    assert not isinstance(routed, Rejected), f"{rule.code}'s passing ticket is rejected: {routed.diagnostics}"
    (rejected,) = policyc.route(policy, [failing])
    return list(rejected.diagnostics)


TRIGGERS = {
    "PC001": _missing_file,
    "PC002": _binary_file,
    "PC901": _tickets_file,
    **{rule.code: (lambda tmp_path, rule=rule: _ticket_rows(rule)) for rule in RULES if rule.subject == "tickets" and not rule.fatal},
}
WITHOUT_EXAMPLES = [rule for rule in RULES if rule.example_fail is None]


@pytest.mark.parametrize("rule", WITHOUT_EXAMPLES, ids=ids(WITHOUT_EXAMPLES))
def test_rule_without_examples_is_triggered_here(rule: Rule, tmp_path):
    assert rule.fatal or rule.subject == "tickets", f"{rule.code} is not fatal, so it needs a failing and a passing example"
    assert rule.code in TRIGGERS, f"add a way to trigger {rule.code} to TRIGGERS in this test"
    diagnostics = TRIGGERS[rule.code](tmp_path)
    assert [d.code for d in diagnostics] == [rule.code]
    assert diagnostics[0].fatal == rule.fatal and diagnostics[0].hint


# --- policyc explain -------------------------------------------------------------


def _explain(*args: str):
    return CliRunner().invoke(cli, ["explain", *args])


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_explain_prints_the_doc_and_the_live_report(rule: Rule):
    result = _explain(rule.code)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"## {rule.code} `{rule.name}`\n")
    for text in (rule.summary, rule.what, rule.why):
        assert text in out
    if rule.example_fail is None:
        assert "reports:" not in out
        return
    failing = out.index(rule.example_fail.rstrip("\n"))
    report = out.index(f"`{reporting_command(rule)}` reports:")
    passing = out.index("### Use instead")
    assert failing < report < passing
    assert rule.example_pass.rstrip("\n") in out[passing:]
    # The report is the checker's own output on the failing example, not stored text.
    first = _diagnostics(rule.example_fail, rule)[0]
    assert f"{rule.severity.value}[{rule.code}]: {first.message}" in out[report:passing]
    assert f"--> {first.span}" in out[report:passing]


def test_explain_by_name_is_the_same_as_by_code():
    for rule in RULES:
        assert _explain(rule.name).output == _explain(rule.code).output


@pytest.mark.parametrize("args", [["--list"], []], ids=["--list", "no-code"])
def test_explain_lists_every_rule(args):
    result = _explain(*args)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES):
        assert line.split()[:3] == [rule.code, rule.name, rule.severity.value]
        assert line.endswith(rule.summary)


@pytest.mark.parametrize("unknown", ["PC999", "unknown-thing"])
def test_explain_unknown_code_is_a_usage_error(unknown):
    result = _explain(unknown)
    assert result.exit_code == 2
    assert f"no rule is called `{unknown}`" in result.output
    assert "policyc explain --list" in result.output
    assert "Traceback" not in result.output


def test_top_level_help_describes_explain_in_a_whole_sentence():
    result = CliRunner().invoke(cli, ["--help"])
    assert "explain  Explain a diagnostic: what it means and how to fix it." in result.output
