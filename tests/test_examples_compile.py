"""The example policies compile for every target as they are: each loss a target
reports is accepted in the policy, on the definition it points at, with the reason
(`suppress:`), and only there."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

import policyc
from policyc.backends import TARGETS
from policyc.backends.lossy import LOSSY_RULES

ORGANISATIONS = sorted(p.parent.name for p in EXAMPLES.glob("*/policy.yaml"))
FORMS = sorted(EXAMPLES.glob("*/policy.*"), key=str)
FORMS = [p for p in FORMS if p.name in ("policy.yaml", "policy.pol")]


@pytest.mark.parametrize("path", FORMS, ids=[f"{p.parent.name}-{p.suffix[1:]}" for p in FORMS])
def test_an_example_compiles_every_target_with_its_losses_accepted(path, tmp_path, policyc_cli):
    result = policyc_cli("compile", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TARGETS)
    compilation = policyc.compile(path)
    assert compilation.diagnostics == []  # no loss left, and no suppression unused (PC206)
    losses = [s for s in compilation.suppressed if s.diagnostic.code in LOSSY_RULES]
    assert losses and all(s.reason.strip() for s in losses)
    assert result.stdout.startswith(f"All checks passed (1 file). {len(compilation.suppressed)} suppressed.\n")


def _without(text: str, first_line: int, last_line: int) -> str:
    """The policy text without the suppression entry on those lines (1-based), and
    without its `suppress:` key when it was the only entry."""
    lines = text.splitlines(keepends=True)
    start, end = first_line - 1, last_line
    alone = lines[start - 1].strip() == "suppress:" and (end >= len(lines) or not lines[end].lstrip().startswith("- code:"))
    if alone:
        start -= 1
    return "".join(lines[:start] + lines[end:])


@pytest.mark.parametrize("org", ORGANISATIONS)
def test_removing_a_suppression_brings_its_loss_back(org, tmp_path, policyc_cli):
    path = EXAMPLES / org / "policy.yaml"
    accepted = policyc.compile(path).suppressed
    removed = next(s for s in accepted if s.diagnostic.code in LOSSY_RULES)
    (tmp_path / "policy.yaml").write_text(_without(path.read_text(encoding="utf-8"), removed.span.line, removed.span.end_line), encoding="utf-8")
    result = policyc_cli("compile", "policy.yaml", "-o", "out", "--color", "never", cwd=tmp_path)
    assert result.exit_code == 1
    loss = removed.diagnostic
    assert f"error[{loss.code}]: {loss.message}\n" in result.stdout
    # The loss is inside the definition, above the suppression that was removed.
    assert f"--> policy.yaml:{loss.span.line}:{loss.span.column}\n" in result.stdout
    assert not (tmp_path / "out").exists()
