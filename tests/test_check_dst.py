"""PC407: window edges at local times daylight saving time skips or repeats."""

from __future__ import annotations

import pytest

import policyc
from policyc.checks.dst import WINDOW_EDGE_IN_DST_TRANSITION as RULE


def codes(text: str) -> list[str]:
    return [d.code for d in policyc.check(policyc.loads(text, "example.policy.yaml"))]


def test_the_failing_example_raises_exactly_this_rule():
    assert codes(RULE.example_fail) == [RULE.code]


def test_the_passing_example_raises_nothing():
    assert codes(RULE.example_pass) == []


def policy(zone: str, hours: str, extra: str = "") -> str:
    return f"""
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: {zone}
horizon:
  start: 2026-01-01
  end: 2026-12-31
calendars:
  desk:
    timezone: {zone}
    hours:
      {hours}
{extra}"""


def messages(text: str) -> list[str]:
    return [d.message for d in policyc.check(policyc.loads(text, "example.policy.yaml")) if d.code == RULE.code]


def test_an_edge_in_a_skipped_hour_says_where_it_moves():
    (message,) = messages(policy("America/New_York", "sun: 02:30-05:00"))
    assert "opens at 02:30 on 2026-03-08" in message
    assert "skips from 02:00 to 03:00" in message and "opens it at 03:30, 1h later" in message


def test_an_overnight_edge_in_a_repeated_hour_takes_the_first_occurrence():
    (message,) = messages(policy("America/New_York", "sat: 22:00-01:30+1"))
    assert "closes at 01:30 on 2026-11-01" in message and "takes the first 01:30 (UTC-04:00)" in message


def test_sydney_changes_in_april_and_october():
    found = messages(policy("Australia/Sydney", "sun: [02:30-04:00]"))
    assert len(found) == 1  # one warning per edge, at its first date
    assert "on 2026-04-05" in found[0] and "happens twice" in found[0]


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("Asia/Kolkata", "daily: 02:30-05:00"),  # no daylight saving time
        ("America/New_York", "sun: 03:00-05:00"),  # the first time after the gap exists
        ("America/New_York", "sat: 22:00-02:00+1"),  # 02:00 EST and 03:00 EDT are one instant
        ("America/New_York", "sun: 02:00-05:00"),  # the end of a repeated hour happens once
        ("America/New_York", "24x7"),
        ("America/New_York", "mon-fri: 02:30-05:00"),  # the changes are on Sundays
    ],
)
def test_edges_that_exist_exactly_once_are_fine(zone, hours):
    assert messages(policy(zone, hours)) == []


def test_a_date_override_on_the_day_of_the_change_is_checked_too():
    extra = "    overrides:\n      - date: 2026-03-08\n        hours: 01:30-02:15\n"
    (message,) = messages(policy("America/New_York", "mon-fri: 09:00-17:00", extra))
    assert "`01:30-02:15`" in message and "closes at 02:15 on 2026-03-08" in message


def test_a_closed_day_has_no_edges():
    extra = "    overrides:\n      - date: 2026-03-08\n      - date: 2026-11-01\n"
    assert messages(policy("America/New_York", "sun: 02:30-05:00", extra)) == []
