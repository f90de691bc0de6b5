"""Values of the right kind: units, clocks and ranges."""

from __future__ import annotations

from typing import Iterator

from policyc.checks import check
from policyc.checks.walk import targets
from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Clock, Duration, Policy
from policyc.literals import format_duration

WRONG_UNIT = define(
    "PC301",
    "wrong-unit",
    Severity.ERROR,
    "A value of one kind where another kind belongs: money as a duration, a time as a window.",
    what="""
        Reports a well-formed value of the wrong kind: an amount of money where a
        duration is expected, a percentage where money is expected, a single time where
        a window of opening hours is expected.
    """,
    why="""
        The author wrote something meaningful in the wrong place, usually a value
        pasted into the neighbouring key. Reading it as the expected kind would invent
        a promise nobody made.
    """,
    example_fail=example_policy(
        """
        sla:
          - first_response: USD 100
        """
    ),
    example_pass=example_policy(
        """
        sla:
          - first_response: 4h
        """
    ),
)

NO_CALENDAR = define(
    "PC302",
    "business-time-without-calendar",
    Severity.ERROR,
    "A business-time target with no calendar to run on.",
    what="""
        Reports a target in business time (`4 business hours`, `2 business days`) when
        neither the target, its SLA entry, nor `defaults.calendar` names the calendar
        whose open hours it counts.
    """,
    why="""
        "4 business hours" means nothing without business hours: the deadline of a
        ticket that arrives on Friday evening depends entirely on the calendar.
    """,
    example_fail=example_policy(
        """
        sla:
          - first_response: 4 business hours
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        sla:
          - calendar: office
            first_response: 4 business hours
        """
    ),
)

BAD_RANGE = define(
    "PC303",
    "bad-range",
    Severity.ERROR,
    "A range target that is empty, reversed, mixes clocks, or does not say which end is promised.",
    what="""
        Reports a range target (`24-72h`) whose low end is not below its high end,
        whose ends are on different clocks (`4h-2 business days`), or that has no
        `bound:` saying which end is the contractual promise.
    """,
    why="""
        Playbooks often give ranges ("resolve within 24-72 hours"); a contract cannot.
        Stating the bound makes the promise explicit, and the other end stays as
        the aim.
    """,
    example_fail=example_policy(
        """
        sla:
          - resolution: 24-72h
        """
    ),
    example_pass=example_policy(
        """
        sla:
          - resolution:
              target: 24-72h
              bound: upper
        """
    ),
)


@check
def business_time_has_calendar(policy: Policy) -> Iterator[Diagnostic]:
    for where, target in targets(policy):
        if target.duration.clock is Clock.BUSINESS and target.calendar is None:
            yield NO_CALENDAR.diagnostic(
                f"{where}: `{format_duration(target.duration)}` is business time, but no calendar says when business is open",
                target.span,
                hint="add `calendar: <id>` to the target or its SLA entry, or set `defaults.calendar`",
            )


@check
def ranges_are_well_formed(policy: Policy) -> Iterator[Diagnostic]:
    for where, target in targets(policy):
        promised = target.range
        if promised is None:
            continue
        low, high = promised.low, promised.high
        if low.clock is not high.clock or (low.is_business_days != high.is_business_days):
            yield BAD_RANGE.diagnostic(
                f"{where}: the range `{format_duration(low)}` to `{format_duration(high)}` mixes clocks",
                promised.span,
                hint="give both ends in calendar time, or both in the same business unit",
            )
            continue
        if _magnitude(low) >= _magnitude(high):
            yield BAD_RANGE.diagnostic(
                f"{where}: the range `{format_duration(low)}` to `{format_duration(high)}` is empty or reversed",
                promised.span,
                hint="write the shorter time first, e.g. `24-72h`",
            )
        if promised.bound is None:
            yield BAD_RANGE.diagnostic(
                f"{where}: the range `{format_duration(low)}` to `{format_duration(high)}` does not say which end is promised",
                promised.span,
                hint="write the target as a mapping with `target:` and `bound: upper` (promise the longer time) or `bound: lower`",
            )


def _magnitude(duration: Duration) -> float:
    return float(duration.amount) if duration.is_business_days else duration.seconds
