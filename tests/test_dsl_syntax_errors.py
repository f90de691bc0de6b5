"""Errors in DSL files, as `policyc check` shows them: golden files.

Each `tests/dsl/errors/NAME.pol` is checked and the text report compared with
`NAME.txt` beside it. Set `POLICYC_UPDATE_GOLDENS=1` to rewrite the `.txt` files from
the current output (then review the diff).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from policyc.cli import main
from policyc.diagnostics.rules import all_rules
from policyc.pipeline import parse_policy
from policyc.span import Source

ERRORS = ROOT / "tests" / "dsl" / "errors"
CASES = sorted(ERRORS.glob("*.pol"))
UPDATE = os.environ.get("POLICYC_UPDATE_GOLDENS") == "1"


def report(path: Path, capsys) -> tuple[int, str]:
    status = main(["check", "--color", "never", str(path.relative_to(ROOT))])
    return status, capsys.readouterr().out


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_error_report_matches_its_golden_file(case, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    status, out = report(case, capsys)
    text = f"exit status {status}\n\n{out}"
    golden = case.with_suffix(".txt")
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with POLICYC_UPDATE_GOLDENS=1 to write it"
    assert text == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_its_case():
    assert sorted(p.stem for p in ERRORS.glob("*.txt")) == [case.stem for case in CASES]


def test_syntax_errors_exit_2_and_literal_errors_exit_1(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert report(ERRORS / "unclosed-block.pol", capsys)[0] == 2
    assert report(ERRORS / "wrong-unit.pol", capsys)[0] == 1


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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=broken())
def test_broken_files_give_plain_diagnostics_never_internal_names(text):
    front = parse_policy(Source("broken.pol", text))
    for diagnostic in front.diagnostics:
        for words in (diagnostic.message, diagnostic.hint or "", *(r.message for r in diagnostic.related)):
            assert not INTERNAL.search(words), words
        assert diagnostic.span is not None and 1 <= diagnostic.span.line <= text.count("\n") + 1
