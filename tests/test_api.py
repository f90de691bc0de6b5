"""The Python API: `policyc.load`, `loads`, `check`, `resolve` and `PolicyError`, with
and without click installed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap

import pytest

import policyc
from conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"
HEAD = "policyc: 1\norganisation:\n  name: Acme\n  currency: USD\n  timezone: Europe/London\n"


def test_load_and_loads_give_the_same_policy():
    from_file = policyc.load(FIXTURE)
    from_text = policyc.loads(FIXTURE.read_text(encoding="utf-8"), name="every-key.policy.yaml")
    assert isinstance(from_file, policyc.Policy)
    assert from_file == from_text
    assert from_file.organisation.name == "Every Key Ltd"
    assert from_file.span.file == str(FIXTURE) and from_text.span.file == "every-key.policy.yaml"


def test_load_accepts_str_paths():
    assert policyc.load(str(FIXTURE)) == policyc.load(FIXTURE)


def test_check_of_a_clean_policy_is_empty():
    assert policyc.check(policyc.load(FIXTURE)) == []


def test_check_returns_diagnostics_in_source_order():
    policy = policyc.loads(HEAD + "channels:\n  email:\n    kind: email\n    calendar: ofice\ntiers:\n  basic:\n    channels: [emial]\n", name="p.yaml")
    diagnostics = policyc.check(policy)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("PC201", 9, 15), ("PC201", 12, 16)]
    assert all(isinstance(d, policyc.Diagnostic) and d.severity is policyc.Severity.ERROR for d in diagnostics)
    assert diagnostics[0].hint == "define it under `calendars:`"
    assert diagnostics[1].hint == "did you mean `email`?"


def test_resolve_applies_defaults_and_holidays():
    resolved = policyc.resolve(policyc.load(FIXTURE))
    office = resolved.calendars["office"]
    assert dt.date(2026, 7, 3) in {h.date for h in office.holiday_dates}  # 4 July 2026 is a Saturday
    assert all(h.name != "Columbus Day" for h in office.holiday_dates)
    assert resolved.channels["email"].calendar.id == "office"  # from defaults.calendar


def test_resolve_refuses_a_policy_with_errors():
    policy = policyc.loads(HEAD + "sla:\n  - first_response: 4 business hours\n")
    with pytest.raises(policyc.PolicyError) as caught:
        policyc.resolve(policy)
    assert [d.code for d in caught.value.diagnostics] == ["PC302"]


def test_policy_error_carries_every_diagnostic_and_names_the_first():
    with pytest.raises(policyc.PolicyError) as caught:
        policyc.loads(HEAD + "tiers:\n  basic:\n    price: $5/month\n    channels: email\n", name="p.yaml")
    error = caught.value
    assert [(d.code, d.span.line) for d in error.diagnostics] == [("PC104", 8), ("PC103", 9)]
    assert str(error) == "p.yaml:8:12: PC104 `tiers.basic.price`: `$5/month`: write the currency as its ISO 4217 code (and 1 more)"


def test_policy_error_for_unreadable_and_unparsable_input(tmp_path):
    with pytest.raises(policyc.PolicyError) as missing:
        policyc.load(tmp_path / "nope.yaml")
    assert missing.value.diagnostics[0].code == "PC001" and missing.value.diagnostics[0].fatal
    assert str(missing.value).endswith("nope.yaml:1:1: PC001 no such file: " + str(tmp_path / "nope.yaml"))
    with pytest.raises(policyc.PolicyError) as broken:
        policyc.loads('a: "open\n')
    assert broken.value.diagnostics[0].code == "PC003"
    with pytest.raises(policyc.PolicyError) as empty:
        policyc.loads("")
    assert [d.code for d in empty.value.diagnostics] == ["PC007"]


def test_integral_floats_are_read_as_the_integers_json_schema_takes_them_for():
    policy = policyc.loads(
        HEAD + "  contract:\n    term_months: 1.2e1\nqueues:\n  q:\n    team: t\nteams:\n  t:\n    calendar: c\ncalendars:\n  c:\n    timezone: UTC\n    hours: 24x7\n"
        "routing:\n  default: q\n  rules:\n    - id: r\n      queue: q\n      precedence: 10.0\n"
    )
    assert policy.organisation.contract.term_months == 12
    assert policy.routing.rules[0].precedence == 10


BLOCK_CLICK = textwrap.dedent(
    """
    import importlib.abc, sys

    class BlockClick(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "click" or name.startswith("click."):
                raise ImportError("click is not installed")
            return None

    sys.meta_path.insert(0, BlockClick())
    """
)


def _without_click(program: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_CLICK + textwrap.dedent(program)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_api_works_without_click():
    done = _without_click(
        """
        import json, policyc
        from policyc.diagnostics.render import RenderContext, render
        policy = policyc.load("tests/fixtures/every-key.policy.yaml")
        result = {"clean": policyc.check(policy), "calendars": len(policyc.resolve(policy).calendars)}
        try:
            policyc.load("tests/fixtures/bad/references.policy.yaml")
            broken = policyc.check(policyc.load("tests/fixtures/bad/references.policy.yaml"))
        except policyc.PolicyError as error:
            broken = error.diagnostics
        result["codes"] = [d.code for d in broken]
        try:
            policyc.load("tests/fixtures/bad/schema.policy.yaml")
        except policyc.PolicyError as error:
            result["error"] = str(error)
            result["report"] = render("text", error.diagnostics, RenderContext(files=["schema"]))
        result["click"] = "click" in sys.modules
        print(json.dumps(result))
        """.replace("import json, policyc", "import json, sys, policyc")
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["clean"] == [] and result["calendars"] == 3
    assert result["codes"] == ["PC201", "PC201", "PC202"]
    assert result["error"].startswith("tests/fixtures/bad/schema.policy.yaml:12:12: PC301")
    assert "Found 4 errors in 1 file." in result["report"]
    assert result["click"] is False


def test_the_click_blocker_works():
    """Without this, the test above could pass with click imported after all."""
    done = _without_click("import click")
    assert done.returncode != 0 and "click is not installed" in done.stderr
