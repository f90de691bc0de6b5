"""`policyc route` end to end: golden files of its output, and its exit codes.

Each golden file records the command, its exit status, standard output and standard
error. After a deliberate change of output, refresh them with

    POLICYC_UPDATE_GOLDENS=1 pytest tests/test_route_cli.py

and review the diff before committing it.
"""

from __future__ import annotations

import json
import os
import shlex

import pytest
from click.testing import CliRunner

from conftest import ROOT
from policyc.cli import cli

GOLDENS = ROOT / "tests" / "goldens" / "route"
FIXTURES = "tests/fixtures/route"
POLICY = f"{FIXTURES}/helpdesk.policy.yaml"


def run(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    previous = os.getcwd()
    os.chdir(ROOT)  # paths in diagnostics are as given: keep them relative
    try:
        result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def check_golden(name: str, args: list[str]) -> None:
    status, stdout, stderr = run(args)
    text = f"$ policyc {shlex.join(args)}\nexit: {status}\n--- stdout\n{stdout}--- stderr\n{stderr}"
    path = GOLDENS / f"{name}.txt"
    if os.environ.get("POLICYC_UPDATE_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with POLICYC_UPDATE_GOLDENS=1 to create it"
    assert text == path.read_text(encoding="utf-8")


CASES = {
    # weekends, a US holiday, DST weekends in New York and London, a night desk across
    # midnight, a short Christmas Eve, both business-day modes, and bad rows
    "jsonl": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.jsonl"],
    "jsonl-objectives": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.jsonl", "--objectives", "--diagnostics-format", "json"],
    "csv": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.csv", "--format", "csv"],
    "json-array": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.json", "--format", "json"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_route_output_matches_its_golden_file(name):
    check_golden(name, CASES[name])


def test_every_good_row_is_answered_and_every_bad_row_is_named():
    status, stdout, stderr = run(CASES["jsonl"])
    answered = [json.loads(line)["id"] for line in stdout.splitlines()]
    assert status == 1
    assert "no-offset" not in answered and "weekday-open" in answered and 42 in answered
    for row in (13, 14, 15, 16, 17, 18):
        assert f"row {row}" in stderr


def test_a_clean_file_exits_0_and_stays_quiet(tmp_path):
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text(
        '{"id": "T-1", "created_at": "2026-03-03T14:00:00-05:00", "tier": "pro", "channel": "email", "priority": "P2"}\n'
    )
    status, stdout, stderr = run(["route", POLICY, "--tickets", str(tickets)])
    assert (status, stderr) == (0, "")
    assert json.loads(stdout)["sla"]["first_response"]["due_at"] == "2026-03-04T15:00:00Z"


def test_standard_input_is_read_with_a_dash():
    ticket = '{"id": "T-1", "created_at": "2026-03-03T14:00:00-05:00", "tier": "pro", "channel": "email", "priority": "P2"}\n'
    status, stdout, _ = run(["route", POLICY, "--tickets", "-"], stdin=ticket)
    assert status == 0 and json.loads(stdout)["id"] == "T-1"


def test_output_to_a_file_is_written_whole(tmp_path):
    target = tmp_path / "routed.csv"
    status, stdout, _ = run(["route", POLICY, "--tickets", f"{FIXTURES}/tickets.csv", "--format", "csv", "-o", str(target)])
    assert status == 1 and stdout == ""
    lines = target.read_text().splitlines()
    assert lines[0].startswith("id,created_at,queue,rule,rule_line,ladder,first_response_target")
    assert len(lines) == 1 + 6


def test_cells_a_spreadsheet_would_run_are_quoted_as_text():
    _, stdout, _ = run(CASES["csv"])
    assert "\n'=cmd|' /C calc'!A0," in stdout


def test_an_unreadable_tickets_file_exits_2(tmp_path):
    status, _, stderr = run(["route", POLICY, "--tickets", str(tmp_path / "missing.jsonl")])
    assert status == 2 and "PC901" in stderr


def test_a_json_array_with_a_syntax_error_exits_2(tmp_path):
    tickets = tmp_path / "tickets.json"
    tickets.write_text('[\n {"id": "T-1"},\n {"id": \n')
    status, _, stderr = run(["route", POLICY, "--tickets", str(tickets)])
    assert status == 2 and "PC901" in stderr and f"{tickets}:3:2" in stderr and "ends in the middle of this ticket" in stderr


def test_a_csv_without_required_columns_exits_2(tmp_path):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("id,created,tier\nT-1,2026-03-03T14:00:00Z,pro\n")
    status, _, stderr = run(["route", POLICY, "--tickets", str(tickets)])
    assert status == 2 and "no `created_at`, `channel`, `priority` column" in stderr


def test_a_policy_with_errors_is_not_used(tmp_path):
    policy = tmp_path / "broken.policy.yaml"
    policy.write_text((ROOT / POLICY).read_text().replace("queue: urgent", "queue: urgnet"))
    status, stdout, stderr = run(["route", str(policy), "--tickets", f"{FIXTURES}/tickets.jsonl"])
    assert (status, stdout) == (1, "")
    assert "PC201" in stderr and "did you mean `urgent`?" in stderr


def test_a_policy_without_a_horizon_cannot_route_on_business_time(tmp_path):
    policy = tmp_path / "no-horizon.policy.yaml"
    text = (ROOT / POLICY).read_text()
    text = text.replace("  contract:\n    effective_date: 2026-01-01\n", "").replace("    holidays:\n      country: US\n", "")
    policy.write_text(text)
    status, stdout, stderr = run(["route", str(policy), "--tickets", f"{FIXTURES}/tickets.jsonl"])
    assert (status, stdout) == (1, "")
    assert "PC904" in stderr and "no horizon" in stderr


def test_output_is_the_same_whatever_the_hash_seed():
    import subprocess
    import sys

    outputs = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run(
            [sys.executable, "-c", "from policyc.cli import run; run()", *CASES["jsonl-objectives"]],
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add((result.returncode, result.stdout, result.stderr))
    assert len(outputs) == 1


def test_the_fast_json_text_is_exactly_json_dumps_of_the_record():
    import policyc
    from policyc.cli.route import Records
    from policyc.router import Routed

    policy = policyc.load(ROOT / POLICY)
    tickets = [json.loads(line) for line in (ROOT / FIXTURES / "tickets.jsonl").read_text().splitlines()[:12] if line.strip()]
    routed = [r for r in policyc.route(policy, tickets, objectives=True) if isinstance(r, Routed)]
    assert len(routed) == 12
    for objectives in (False, True):
        records = Records(objectives)
        for answer in routed:
            assert records.json(answer) == json.dumps(records.record(answer), ensure_ascii=False)
