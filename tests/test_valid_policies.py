"""Valid edge cases the checker must accept without a word: windows that touch but do
not overlap, windows across midnight, 24x7, and band boundaries stated both ways
(`tests/valid/`). A diagnostic on any of them is a false positive."""

from __future__ import annotations

import pytest

import policyc
from conftest import ROOT

VALID = sorted((ROOT / "tests" / "valid").glob("*.policy.yaml"))


def test_the_edge_cases_are_there():
    assert {p.name for p in VALID} >= {
        "touching-windows.policy.yaml",
        "overnight.policy.yaml",
        "always-open.policy.yaml",
        "band-boundaries.policy.yaml",
    }


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_policy_has_no_diagnostics(path):
    found = policyc.check(policyc.load(path))
    assert found == [], "\n".join(f"{d.code} {d.span}: {d.message}" for d in found)


def test_valid_policies_pass_strict_check(policyc_cli):
    outcome = policyc_cli("check", "--strict", "tests/valid", cwd=ROOT)
    assert outcome.exit_code == 0, outcome.stdout
    assert outcome.stdout == f"All checks passed ({len(VALID)} files).\n"
