"""CLI snapshots: args, exit code, stdout and stderr of representative invocations,
compared byte for byte with `tests/snapshots/cli/*.txt` (`pytest --update-goldens`
rewrites them). Paths are relative, so the snapshots are the same on every machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, Golden, PolicycRunner

CLEAN = "tests/fixtures/every-key.policy.yaml"
BAD = ("tests/fixtures/bad/references.policy.yaml", "tests/fixtures/bad/schema.policy.yaml")
SUPPRESSED = "tests/fixtures/suppressed.policy.yaml"

# name -> args, run from the repository root
INVOCATIONS: dict[str, tuple[str, ...]] = {
    "check-clean": ("check", CLEAN),
    "check-clean-strict": ("check", "--strict", CLEAN),
    "check-errors-text": ("check", *BAD),
    "check-errors-json": ("check", "--format", "json", *BAD),
    "check-errors-sarif": ("check", "--format", "sarif", *BAD),
    "check-errors-github": ("check", "--format", "github", *BAD),
    "check-errors-junit": ("check", "--format", "junit", *BAD),
    "check-errors-strict": ("check", "--strict", *BAD),
    "check-clean-junit": ("check", "--format", "junit", CLEAN),
    "check-color-always": ("check", "--color", "always", *BAD),
    "check-one-unreadable": ("check", CLEAN, "tests/fixtures/missing.policy.yaml"),
    "check-directory": ("check", "tests/fixtures/bad"),
    "check-help": ("check", "--help"),
    "check-output-unwritable": ("check", "-o", f"{CLEAN}/report.txt", CLEAN),
    "check-suppressed-text": ("check", SUPPRESSED),
    "check-suppressed-json": ("check", "--format", "json", SUPPRESSED),
    "check-suppressed-sarif": ("check", "--format", "sarif", SUPPRESSED),
    "check-suppressed-github": ("check", "--format", "github", SUPPRESSED),
    "check-suppressed-junit": ("check", "--format", "junit", SUPPRESSED),
    "check-select": ("check", "--select", "PC6", SUPPRESSED),
    "check-ignore": ("check", "--ignore", "update-interval-longer-than-resolution", SUPPRESSED),
    "check-ignore-strict": ("check", "--strict", "--ignore", "PC604", SUPPRESSED),
    "usage-ignore-load-rule": ("check", "--ignore", "PC101", SUPPRESSED),
    "usage-select-unknown": ("check", "--select", "PC5O1", SUPPRESSED),
    "explain-PC201": ("explain", "PC201"),
    "explain-by-name": ("explain", "duplicate-key"),
    "explain-list": ("explain", "--list"),
    "usage-unknown-option": ("check", "--bogus", CLEAN),
    "usage-no-path": ("check",),
    "usage-unknown-format": ("check", "--format", "xml", CLEAN),
    "usage-unknown-code": ("explain", "PC999"),
    "usage-unknown-command": ("chekc", CLEAN),
    "version": ("--version",),
}

EXIT_CODES = {
    "check-clean": 0,
    "check-clean-strict": 0,
    "check-clean-junit": 0,
    "check-help": 0,
    "explain-PC201": 0,
    "explain-by-name": 0,
    "explain-list": 0,
    "version": 0,
    "check-ignore": 0,
    "check-one-unreadable": 2,
    "usage-ignore-load-rule": 2,
    "usage-select-unknown": 2,
    "check-output-unwritable": 2,
    "usage-unknown-option": 2,
    "usage-no-path": 2,
    "usage-unknown-format": 2,
    "usage-unknown-code": 2,
    "usage-unknown-command": 2,
}


@pytest.mark.parametrize("name", list(INVOCATIONS))
def test_snapshot(name: str, policyc_cli: PolicycRunner, golden: Golden):
    outcome = policyc_cli(*INVOCATIONS[name], cwd=ROOT)
    golden.check(f"cli/{name}.txt", outcome.transcript())
    # The exit code is part of the snapshot; asserting it too keeps a wrong exit code
    # from being accepted with --update-goldens.
    assert outcome.exit_code == EXIT_CODES.get(name, 1)
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_colour_only_when_asked(policyc_cli: PolicycRunner):
    plain = policyc_cli("check", *BAD, cwd=ROOT)
    coloured = policyc_cli("check", "--color", "always", *BAD, cwd=ROOT)
    forced = policyc_cli("check", *BAD, cwd=ROOT, env={"FORCE_COLOR": "1"})
    refused = policyc_cli("check", *BAD, cwd=ROOT, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    never = policyc_cli("check", "--color", "never", *BAD, cwd=ROOT, env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout, "not a terminal: no colour by default"
    assert "\x1b[" in coloured.stdout
    assert forced.stdout == coloured.stdout
    assert refused.stdout == plain.stdout, "NO_COLOR wins over FORCE_COLOR"
    assert never.stdout == plain.stdout
    assert _strip_ansi(coloured.stdout) == plain.stdout


def test_colour_never_in_machine_formats(policyc_cli: PolicycRunner):
    for format_ in ("json", "sarif", "github", "junit"):
        outcome = policyc_cli("check", "--format", format_, "--color", "always", *BAD, cwd=ROOT)
        assert "\x1b" not in outcome.stdout, format_


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_output_file(policyc_cli: PolicycRunner, golden: Golden, tmp_path: Path):
    """`-o FILE` writes the report there (nothing on stdout) with the same exit code."""
    for name in BAD:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    outcome = policyc_cli("check", "--format", "json", "-o", "reports/check.json", *BAD, cwd=tmp_path)
    report = (tmp_path / "reports" / "check.json").read_text(encoding="utf-8")
    golden.check("cli/check-output-file.txt", outcome.transcript() + "--- reports/check.json\n" + report)
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert report == policyc_cli("check", "--format", "json", *BAD, cwd=ROOT).stdout
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["check.json"], "no temporary file left behind"


def test_output_file_is_never_coloured(policyc_cli: PolicycRunner, tmp_path: Path):
    (tmp_path / "p.policy.yaml").write_bytes((ROOT / BAD[0]).read_bytes())
    policyc_cli("check", "--color", "always", "-o", "report.txt", "p.policy.yaml", cwd=tmp_path)
    assert "\x1b" not in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_init_then_check(policyc_cli: PolicycRunner, golden: Golden, tmp_path: Path):
    """The scaffold `policyc init` writes passes `policyc check` as written."""
    steps = [
        policyc_cli("init", cwd=tmp_path),
        policyc_cli("check", "policy.yaml", cwd=tmp_path),
        policyc_cli("init", cwd=tmp_path),
        policyc_cli("init", "--name", "Acme, Inc.", "--year", "2027", "acme/policy.yaml", cwd=tmp_path),
        policyc_cli("check", "acme/policy.yaml", cwd=tmp_path),
    ]
    golden.check(
        "cli/init-then-check.txt",
        "".join(step.transcript() for step in steps) + "--- acme/policy.yaml\n" + (tmp_path / "acme" / "policy.yaml").read_text(encoding="utf-8"),
    )
    assert [step.exit_code for step in steps] == [0, 0, 2, 0, 0]
