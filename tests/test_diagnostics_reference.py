"""docs/diagnostics.md is generated from the rule registry and must not fall behind it."""

from __future__ import annotations

import re

from conftest import ROOT

from policyc.diagnostics.reference import REGENERATE, anchor, main, render_reference, reporting_command, rule_page
from policyc.diagnostics.rules import all_rules

REFERENCE = ROOT / "docs" / "diagnostics.md"


def test_reference_is_up_to_date():
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.is_file() else ""
    assert current == render_reference(), f"docs/diagnostics.md is stale: regenerate it with `{REGENERATE}`"


def test_reference_says_it_is_generated_and_how_to_regenerate():
    assert render_reference().startswith(f"<!-- Generated from the rule registry by `{REGENERATE}`")


def test_reference_has_an_index_row_and_a_section_per_rule():
    text = render_reference()
    headings = re.findall(r"^### (PC\d{3}) `([^`]+)`$", text, flags=re.MULTILINE)
    rules = all_rules()
    assert headings == [(rule.code, rule.name) for rule in rules]
    for rule in rules:
        assert f"| [{rule.code}](#{anchor(rule)}) | `{rule.name}` | {rule.severity.value} | " in text
        # Each section is the page `policyc explain` prints, one heading level down.
        assert rule.what in text and rule.why in text
        if rule.example_fail is not None:
            assert rule.example_fail.rstrip("\n") in text and rule.example_pass.rstrip("\n") in text
            assert f"`{reporting_command(rule)}` reports:" in rule_page(rule)


def test_anchors_match_the_headings_markdown_renderers_make():
    rule = next(rule for rule in all_rules() if rule.name == "yaml-1.1-value")
    assert anchor(rule) == "pc105-yaml-11-value"


def test_reference_documents_exit_codes_and_formats():
    text = render_reference()
    for phrase in ("Exit code 2", "Exit code 3", "--strict", "`text`", "`json`", "`sarif`", "`github`", "`junit`"):
        assert phrase in text


def test_reference_is_deterministic():
    assert render_reference() == render_reference()


def test_check_and_write_commands(tmp_path, capsys):
    target = tmp_path / "diagnostics.md"
    assert main(["--check", "--path", str(target)]) == 1
    assert REGENERATE in capsys.readouterr().err
    assert main(["--write", "--path", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_reference()
    assert main(["--check", "--path", str(target)]) == 0
    target.write_text(render_reference() + "edited by hand\n", encoding="utf-8")
    assert main(["--check", "--path", str(target)]) == 1
