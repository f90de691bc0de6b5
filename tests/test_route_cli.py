"""`policyc route` end to end: snapshots of its output (`tests/snapshots/route/`,
refreshed with `pytest --update-goldens`), and its exit codes."""

from __future__ import annotations

import json
import os

import pytest

from conftest import ROOT, PolicycRunner

FIXTURES = "tests/fixtures/route"
POLICY = f"{FIXTURES}/helpdesk.policy.yaml"
FLEXFACTS = "examples/flexfacts/policy.yaml"

CASES = {
    # weekends, a US holiday, DST weekends in New York and London, a night desk across
    # midnight, a short Christmas Eve, both business-day modes, and bad rows
    "jsonl": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.jsonl"],
    "jsonl-objectives": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.jsonl", "--objectives", "--diagnostics-format", "json"],
    "csv": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.csv", "--format", "csv"],
    "json-array": ["route", POLICY, "--tickets", f"{FIXTURES}/tickets.json", "--format", "json"],
    # FlexFacts' own policy: nights, weekends, Thanksgiving, Independence Day observed,
    # both 2026 clock changes in New York, 24/7 P1 on the portal, business-hours routing
    "flexfacts": ["route", FLEXFACTS, "--tickets", f"{FIXTURES}/flexfacts-tickets.jsonl", "--objectives"],
}


def run(*args: str, stdin: str | None = None):
    if stdin is None:
        return PolicycRunner(ROOT)(*args)
    from click.testing import CliRunner

    from policyc.cli import cli

    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result


@pytest.mark.parametrize("name", sorted(CASES))
def test_route_output_matches_its_snapshot(name, golden):
    golden.check(f"route/{name}.txt", run(*CASES[name]).transcript())


def test_every_good_row_is_answered_and_every_bad_row_is_named():
    outcome = run(*CASES["jsonl"])
    answered = [json.loads(line)["id"] for line in outcome.stdout.splitlines()]
    assert outcome.exit_code == 1
    assert "no-offset" not in answered and "weekday-open" in answered and 42 in answered
    for row in (13, 14, 15, 16, 17, 18):
        assert f"row {row}" in outcome.stderr


def test_a_clean_file_exits_0_and_stays_quiet(tmp_path):
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text(
        '{"id": "T-1", "created_at": "2026-03-03T14:00:00-05:00", "tier": "pro", "channel": "email", "priority": "P2"}\n'
    )
    outcome = run("route", POLICY, "--tickets", str(tickets))
    assert (outcome.exit_code, outcome.stderr) == (0, "")
    assert json.loads(outcome.stdout)["sla"]["first_response"]["due_at"] == "2026-03-04T15:00:00Z"


def test_standard_input_is_read_with_a_dash():
    ticket = '{"id": "T-1", "created_at": "2026-03-03T14:00:00-05:00", "tier": "pro", "channel": "email", "priority": "P2"}\n'
    result = run("route", POLICY, "--tickets", "-", stdin=ticket)
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "T-1"


def test_output_to_a_file_is_written_whole(tmp_path):
    target = tmp_path / "routed.csv"
    outcome = run("route", POLICY, "--tickets", f"{FIXTURES}/tickets.csv", "--format", "csv", "-o", str(target))
    assert outcome.exit_code == 1 and outcome.stdout == ""
    lines = target.read_text().splitlines()
    assert lines[0].startswith("id,created_at,queue,rule,rule_line,ladder,first_response_target")
    assert len(lines) == 1 + 6


def test_cells_a_spreadsheet_would_run_are_quoted_as_text():
    assert "\n'=cmd|' /C calc'!A0," in run(*CASES["csv"]).stdout


def test_an_unreadable_tickets_file_exits_2(tmp_path):
    outcome = run("route", POLICY, "--tickets", str(tmp_path / "missing.jsonl"))
    assert outcome.exit_code == 2 and "PC901" in outcome.stderr


def test_a_json_array_with_a_syntax_error_exits_2(tmp_path):
    tickets = tmp_path / "tickets.json"
    tickets.write_text('[\n {"id": "T-1"},\n {"id": \n')
    outcome = run("route", POLICY, "--tickets", str(tickets))
    assert outcome.exit_code == 2 and "PC901" in outcome.stderr
    assert f"{tickets}:3:2" in outcome.stderr and "ends in the middle of this ticket" in outcome.stderr


def test_a_csv_without_required_columns_exits_2(tmp_path):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("id,created,tier\nT-1,2026-03-03T14:00:00Z,pro\n")
    outcome = run("route", POLICY, "--tickets", str(tickets))
    assert outcome.exit_code == 2 and "no `created_at`, `channel`, `priority` column" in outcome.stderr


def test_a_policy_with_errors_is_not_used(tmp_path):
    policy = tmp_path / "broken.policy.yaml"
    policy.write_text((ROOT / POLICY).read_text().replace("queue: urgent", "queue: urgnet"))
    outcome = run("route", str(policy), "--tickets", f"{FIXTURES}/tickets.jsonl")
    assert (outcome.exit_code, outcome.stdout) == (1, "")
    assert "PC201" in outcome.stderr and "did you mean `urgent`?" in outcome.stderr


def test_a_policy_without_a_horizon_cannot_route_on_business_time(tmp_path):
    policy = tmp_path / "no-horizon.policy.yaml"
    text = (ROOT / POLICY).read_text()
    text = text.replace("  contract:\n    effective_date: 2026-01-01\n", "").replace("    holidays:\n      country: US\n", "")
    policy.write_text(text)
    outcome = run("route", str(policy), "--tickets", f"{FIXTURES}/tickets.jsonl")
    assert (outcome.exit_code, outcome.stdout) == (1, "")
    assert "PC904" in outcome.stderr and "no horizon" in outcome.stderr


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
