"""Errors in DSL files, as `policyc check` shows them: golden files.

Each `tests/dsl/errors/NAME.pol` is checked and the transcript compared with
`tests/snapshots/dsl-errors/NAME.txt` (`pytest --update-goldens` rewrites them).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from policyc.cli import main
from policyc.diagnostics.rules import all_rules
from policyc.pipeline import analyse, parse_policy
from policyc.span import Source

ERRORS = ROOT / "tests" / "dsl" / "errors"
CASES = sorted(ERRORS.glob("*.pol"))


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_error_report_matches_its_golden_file(case, golden, policyc_cli):
    outcome = policyc_cli("check", case.relative_to(ROOT), cwd=ROOT)
    assert outcome.exit_code in (1, 2)
    golden.check(f"dsl-errors/{case.stem}.txt", outcome.transcript())


def test_syntax_errors_exit_2_and_value_errors_exit_1(policyc_cli):
    assert policyc_cli("check", ERRORS / "unclosed-block.pol").exit_code == 2
    assert policyc_cli("check", ERRORS / "wrong-unit.pol").exit_code == 1


def test_parsing_resumes_after_an_error_so_one_run_shows_several():
    text = (ERRORS / "misspelt-keyword.pol").read_text(encoding="utf-8")
    front = parse_policy(Source("misspelt.pol", text))
    assert [(d.code, d.span.line, d.span.column) for d in front.diagnostics] == [("PC010", 9, 3), ("PC010", 13, 1)]


DSL_RULES = [rule for rule in all_rules() if rule.example_language == "dsl"]


@pytest.mark.parametrize("rule", DSL_RULES, ids=[rule.code for rule in DSL_RULES])
def test_the_failing_example_of_a_dsl_rule_raises_it_and_the_passing_one_does_not(rule):
    failing = parse_policy(Source(rule.example_file, rule.example_fail))
    assert rule.code in {d.code for d in failing.diagnostics}
    passing = parse_policy(Source(rule.example_file, rule.example_pass))
    assert passing.policy is not None and passing.diagnostics == []


def test_explain_shows_a_dsl_rule_with_its_examples_in_the_dsl(capsys):
    assert main(["explain", "PC011"]) == 0
    out = capsys.readouterr().out
    assert "```dsl\npolicyc 1" in out
    assert "error[PC011]" in out and "example.pol:3:21" in out


# --- no grammar-internal name ever reaches a user ----------------------------------------

VALID = (ROOT / "tests" / "dsl" / "every-key.pol").read_text(encoding="utf-8")
# Lark's names for tokens and rules: what a message must never show.
INTERNAL = re.compile(r"__ANON|\$END|\b(?:RULE|WORD|STRING|NUMBER|LBRACE|RBRACE|LPAR|RPAR|COMMA|WEEKDAYS|DURATION|MONEY|PERCENT|WINDOW|DATE)\b|_block|_stmt|Token\(")


@st.composite
def broken(draw):
    """The every-key policy with a few characters deleted, repeated or replaced."""
    text = VALID
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text) - 1))
        edit = draw(st.sampled_from(["delete", "repeat", "insert"]))
        if edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        elif edit == "repeat":
            text = text[:at] + text[at : at + 12] + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(list('{}(),"#:=\n ') + ["calendar", "4", "sla", "x"])) + text[at:]
    return text


def assert_plain_diagnostics(text: str) -> None:
    """Whatever the damage, every stage runs without failing and speaks plainly."""
    front = parse_policy(Source("broken.pol", text))
    found = list(front.diagnostics)
    if front.policy is not None:
        found += analyse(front.policy)[1]
    for diagnostic in found:
        for words in (diagnostic.message, diagnostic.hint or "", *(r.message for r in diagnostic.related)):
            assert not INTERNAL.search(words), words
        assert diagnostic.span is not None and 1 <= diagnostic.span.line <= text.count("\n") + 1


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(text=broken())
def test_broken_files_give_plain_diagnostics_never_internal_names(text):
    assert_plain_diagnostics(text)


@pytest.mark.slow
@settings(max_examples=5000, suppress_health_check=[HealthCheck.too_slow])
@given(text=broken())
def test_broken_files_give_plain_diagnostics_never_internal_names_many_times(text):
    assert_plain_diagnostics(text)
