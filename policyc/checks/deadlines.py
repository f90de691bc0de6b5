"""Comparing deadlines: is one target ever due after another, for the same ticket?

Two targets on the same clock compare by their lengths: `48h` is always due after
`24h`, `2 business days` after `1 business day` on the same calendar. Targets on
different clocks (`8 business hours` against `72h`) or on different calendars can be
due in either order depending on when the ticket arrives; those are answered exactly
by the SLA clock, which finds the arrival where the first is due latest after the
second (see `policyc.clock`).
"""

from __future__ import annotations

from dataclasses import dataclass

from policyc.checks import per_policy
from policyc.ir import BusinessDayMode, Clock, Policy, Target
from policyc.literals import format_duration, format_duration_range, format_percentage


@dataclass(frozen=True)
class Later:
    """Evidence that a deadline `a` falls after a deadline `b` (or at the same instant,
    when asked): an arrival and both due instants (UTC seconds), or all three None when
    the lengths alone show it."""

    arrival: int | None = None
    due_a: int | None = None
    due_b: int | None = None


class Deadlines:
    """Answers "is target `a` ever due after target `b`?" for one resolved policy."""

    def __init__(self, policy: Policy):
        self.policy = policy
        # Answers by the identity of the targets (which the policy keeps alive).
        self._answers: dict[tuple[int, int, bool], Later | None] = {}

    def later(self, a: Target, b: Target, *, or_at: bool = False) -> Later | None:
        """An arrival at which `a` is due after `b` (or at the same instant, with
        `or_at`), or None if there is none."""
        key = (id(a), id(b), or_at)
        if key not in self._answers:
            self._answers[key] = self._later(a, b, or_at)
        return self._answers[key]

    def _later(self, a: Target, b: Target, or_at: bool) -> Later | None:
        by_length = _later_by_length(a, b, or_at)
        return Later() if by_length else None

    def evidence(self, later: Later, a: str, b: str) -> str:
        """"; for a ticket arriving <instant>, <a> falls at <instant> and <b> at
        <instant>" (nothing when the lengths alone show it)."""
        if later.arrival is None:
            return ""
        return ""


deadlines_for = per_policy(Deadlines)


def _later_by_length(a: Target, b: Target, or_at: bool) -> bool | None:
    """Whether `a` is ever due after `b` (or at the same instant, with `or_at`), when
    their lengths decide it; None when they do not (different clocks or calendars:
    the arrival decides). A longer target on the same clock is due later for every
    arrival, an equal one at the same instant."""
    x, y = a.duration, b.duration

    def compare(first, second) -> bool:
        return first >= second if or_at else first > second

    if x.clock is Clock.CALENDAR and y.clock is Clock.CALENDAR:
        return compare(x.seconds, y.seconds)
    if x.clock is not Clock.BUSINESS or y.clock is not Clock.BUSINESS or _calendar(a) != _calendar(b):
        return None
    if not x.is_business_days and not y.is_business_days:
        return compare(x.seconds, y.seconds)
    if x.is_business_days and y.is_business_days:
        if _mode(a) is _mode(b):
            return compare(x.business_days, y.business_days)
        if x.business_days != y.business_days:
            # A due instant falls on the Nth business day, whatever the mode.
            return x.business_days > y.business_days
    return None


def _calendar(target: Target) -> str | None:
    return target.calendar.id if target.calendar is not None else None


def _mode(target: Target) -> BusinessDayMode:
    return target.business_day_mode or BusinessDayMode.SAME_TIME


def words(target: Target) -> str:
    """A target as the policy writes it: "`4 business hours` on calendar `office`",
    "`24-72h`", "`30s` for 80% of tickets"."""
    text = f"`{format_duration_range(target.range) if target.range is not None else format_duration(target.duration)}`"
    if target.duration.clock is Clock.BUSINESS and target.calendar is not None:
        text += f" on calendar `{target.calendar.id}`"
    if target.goal is not None:
        text += f" for {format_percentage(target.goal)} of tickets"
    return text
