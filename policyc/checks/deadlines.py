"""Deadlines over time: is one target ever due after another for the same ticket, and
who is working when a ticket arrives?

Two targets on the same clock compare by their lengths: `48h` is always due after
`24h`, `2 business days` after `1 business day` on the same calendar. Targets on
different clocks (`8 business hours` against `72h`) or on different calendars can be
due in either order depending on when the ticket arrives. Those are compared with the
SLA clock over every arrival of the horizon, exactly: between two breakpoints of
either due instant (`policyc.clock.breakpoints`) both move in straight lines, so the
arrival where the first is due latest after the second is one of the breakpoints or
their neighbours, and only those are looked at. The example arrival a message names
is the first such arrival, on a whole hour or minute where the worst case lasts long
enough to contain one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from policyc import tz
from policyc.checks import per_policy
from policyc.ir import BusinessDayMode, Clock, Policy, Target
from policyc.literals import format_duration, format_duration_range, format_percentage


def has_due_instant(target: Target) -> bool:
    """False for business time with no calendar to count it on: that target has no due
    instant (PC302 says so), so nothing about when it is due can be decided."""
    return target.duration.clock is Clock.CALENDAR or target.calendar is not None


@dataclass(frozen=True)
class Later:
    """Evidence that a deadline `a` falls after a deadline `b` (or at the same instant,
    when asked): an arrival and both due instants (UTC seconds), or all three None when
    the lengths alone show it."""

    arrival: int | None = None
    due_a: int | None = None
    due_b: int | None = None
    zone: str | None = None


class Deadlines:
    """Deadlines and open time of one resolved policy, on its SLA clock."""

    def __init__(self, policy: Policy):
        self.policy = policy
        # Answers by the identity of the targets (which the policy keeps alive).
        self._answers: dict[tuple[int, int, bool], Later | None] = {}
        self._open: dict[str, object] = {}
        self._breakpoints: dict[int, list[int]] = {}

    @cached_property
    def clock(self):
        """The policy's SLA clock, or None when it has no horizon (then nothing that
        depends on the arrival can be decided)."""
        if self.policy.horizon is None or self.policy.horizon.end < self.policy.horizon.start:
            return None
        from policyc.clock import PolicyClock

        return PolicyClock(self.policy)

    def open_time(self, calendar_id: str):
        """When a calendar is open over the horizon (a `policyc.clock.intervals.OpenTime`)."""
        found = self._open.get(calendar_id)
        if found is None:
            from policyc.clock.intervals import OpenTime

            found = self._open[calendar_id] = OpenTime.of(self.clock.calendar(calendar_id))
        return found

    def bounds(self, calendar_id: str) -> tuple[int, int]:
        """The first and last instants a calendar is known for."""
        compiled = self.clock.calendar(calendar_id)
        return compiled.lower, compiled.limit

    def zone_of(self, *targets: Target) -> str:
        """The time zone messages about these targets use: the first business-time
        target's calendar's, else the organisation's."""
        for target in targets:
            if target.duration.clock is Clock.BUSINESS and target.calendar is not None:
                return self.policy.calendars[target.calendar.id].timezone.name
        zone = self.policy.organisation.timezone
        return zone.name if zone is not None else "UTC"

    def due(self, arrival: int, target: Target) -> int:
        """Raises `HorizonError` when the answer needs a date outside the horizon."""
        return self.clock.start_and_due(arrival, target)[1]

    def later(self, a: Target, b: Target, *, or_at: bool = False) -> Later | None:
        """An arrival at which `a` is due after `b` (or at the same instant, with
        `or_at`), or None if there is none."""
        key = (id(a), id(b), or_at)
        if key not in self._answers:
            self._answers[key] = self._later(a, b, or_at)
        return self._answers[key]

    def _later(self, a: Target, b: Target, or_at: bool) -> Later | None:
        by_length = _later_by_length(a, b, or_at)
        if by_length is not None:
            return Later() if by_length else None
        if self.clock is None or not (has_due_instant(a) and has_due_instant(b)):
            return None
        return self._worst(a, b, or_at)

    def breakpoints(self, target: Target) -> list[int]:
        found = self._breakpoints.get(id(target))
        if found is None:
            from policyc.clock.breakpoints import breakpoints

            found = self._breakpoints[id(target)] = breakpoints(self.clock, target)
        return found

    def span(self, *targets: Target) -> tuple[int, int]:
        """Arrivals every calendar of these targets knows."""
        calendars = {t.calendar.id for t in targets if t.duration.clock is Clock.BUSINESS and t.calendar is not None}
        if not calendars:
            calendars = set(self.policy.calendars)
        bounds = [self.bounds(id) for id in sorted(calendars)] or [(0, 0)]
        return max(low for low, _ in bounds), min(high for _, high in bounds)

    def _worst(self, a: Target, b: Target, or_at: bool) -> Later | None:
        """The arrival at which `a` is due latest after `b`, if it is due after `b` at all."""
        from policyc.clock import HorizonError

        if not or_at and _longest(a) is not None and _longest(a) <= _shortest(b):
            return None  # `a` is never longer from arrival to due than `b` is at least
        lower, upper = self.span(a, b)
        # Between these (breakpoints and their neighbours) both move in straight lines.
        marks = sorted({t + d for t in self.breakpoints(a) + self.breakpoints(b) for d in (-1, 0, 1)} | {lower})
        samples = []
        for arrival in marks:
            if not lower <= arrival <= upper:
                continue
            try:
                samples.append((arrival, self.due(arrival, a) - self.due(arrival, b)))
            except HorizonError:
                continue
        if not samples:
            return None
        worst = max(difference for _, difference in samples)
        if worst < 0 or (worst == 0 and not or_at):
            return None
        zone = self.zone_of(a, b)
        arrival = _roundest(samples, worst, zone)
        return Later(arrival, self.due(arrival, a), self.due(arrival, b), zone)

    def evidence(self, later: Later, a: str, b: str) -> str:
        """"; for a ticket arriving <instant>, <a> falls on <instant> and <b> on
        <instant>" (nothing when the lengths alone show it)."""
        if later.arrival is None:
            return ""
        return (
            f"; for a ticket arriving {when(later.arrival, later.zone)}, {a} falls on {when(later.due_a, later.zone)} "
            f"and {b} on {when(later.due_b, later.zone)}"
        )


def _shortest(target: Target) -> int:
    """A lower bound of the time from arrival to due: business time passes no faster
    than calendar time."""
    duration = target.duration
    return 0 if duration.is_business_days else duration.seconds


def _longest(target: Target) -> int | None:
    """An upper bound of the time from arrival to due, where one is known (calendar time)."""
    duration = target.duration
    return duration.seconds if duration.clock is Clock.CALENDAR else None


def _roundest(samples: list[tuple[int, int]], worst: int, zone: str) -> int:
    """The first arrival where the difference is `worst`, moved to the first whole
    local hour (else minute) of the stretch over which it stays `worst`."""
    first = next(i for i, (_, difference) in enumerate(samples) if difference == worst)
    last = first
    while last + 1 < len(samples) and samples[last + 1][1] == worst:
        last += 1  # straight between samples: equal ends, equal all along
    start, end = samples[first][0], samples[last][0]
    info = tz.zone(zone)
    local = dt.datetime.fromtimestamp(start, dt.timezone.utc).astimezone(info).replace(tzinfo=None)
    into_hour = local.minute * 60 + local.second
    for step in (3600, 60):
        rounded = local + dt.timedelta(seconds=-into_hour % step)
        candidate = int(rounded.replace(tzinfo=info).timestamp())
        if start <= candidate <= end:
            return candidate
    return start


def when(instant: int, zone: str) -> str:
    """"Friday 2026-01-16 09:00 EST (2026-01-16T14:00:00Z)"."""
    from policyc.clock import iso

    moment = dt.datetime.fromtimestamp(instant, dt.timezone.utc).astimezone(tz.zone(zone))
    clock_time = moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
    return f"{moment.strftime('%A %Y-%m-%d')} {clock_time} {moment.tzname()} ({iso(instant)})"


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


class Work:
    """When work on a ticket can start and when it must be done, as functions of the
    arrival: `start` and `done` are targets (a `0m` start is the arrival itself), and
    the work must be done `plus` seconds after `done` falls due."""

    def __init__(self, deadlines: Deadlines, start: Target, done: Target, plus: int = 0):
        self.deadlines = deadlines
        self.start = start
        self.done = done
        self.plus = plus  # calendar seconds after `done` falls due ("within 2h of it")

    def first_unstaffed(self, staffed, within=None) -> tuple[int, int, int] | None:
        """The first arrival (in the `within` open time, if given) for which `staffed`
        is closed from the start of the work until after it must be done: the
        arrival, the start and the deadline. Exact: between the sampled arrivals
        (breakpoints of both targets, instants at which the start crosses an edge of
        `staffed` or `within`, and their neighbours) every quantity moves in straight
        lines, so the first failing arrival is a sample or solves a linear equation."""
        from policyc.clock import HorizonError

        if not (has_due_instant(self.start) and has_due_instant(self.done)):
            return None
        deadlines = self.deadlines
        lower, upper = deadlines.span(self.start, self.done)
        marks = set(deadlines.breakpoints(self.start)) | set(deadlines.breakpoints(self.done)) | {lower}
        marks |= {self.arrival_for(edge, lower, upper) for edge in set(staffed.starts) | set(staffed.ends)}
        if within is not None:
            marks |= set(within.starts) | set(within.ends)
        arrivals = sorted({t + d for t in marks if t is not None for d in (-1, 0, 1)})

        def sample(arrival: int):
            try:
                begin, end = deadlines.due(arrival, self.start), deadlines.due(arrival, self.done) + self.plus
            except HorizonError:
                return None
            opening = staffed.next_open(begin)
            if opening is None:
                return None  # closed to the end of the horizon: how long is not known
            inside = within is None or within.is_open(arrival)
            return opening - end, inside, begin, end

        previous = None
        for arrival in arrivals:
            if not lower <= arrival <= upper:
                continue
            found = sample(arrival)
            if found is None:
                previous = None
                continue
            late, inside, begin, end = found
            if late > 0 and inside:
                if previous is not None and previous[2] and arrival - previous[0] > 1:
                    first = _first_positive(previous[0], previous[1], arrival, late)
                    again = sample(first)
                    if again is not None and again[0] > 0:
                        return first, again[2], again[3]
                return arrival, begin, end
            previous = (arrival, late, inside)
        return None

    def arrival_for(self, instant: int, lower: int, upper: int) -> int | None:
        """The first arrival whose work starts at or after `instant` (the start only
        moves forward as the arrival does)."""
        from policyc.clock import HorizonError

        start = self.start
        if start.duration.clock is Clock.CALENDAR:
            return instant - start.duration.seconds
        low, high = lower, upper
        while low < high:
            middle = (low + high) // 2
            try:
                reached = self.deadlines.due(middle, start) >= instant
            except HorizonError:
                reached = True
            if reached:
                high = middle
            else:
                low = middle + 1
        return low


def _first_positive(left: int, left_value: int, right: int, right_value: int) -> int:
    """The first integer in (left, right] where a straight line through the two points
    is above zero."""
    slope = (right_value - left_value) / (right - left)
    return min(right, left + int(-left_value // slope) + 1) if slope > 0 else right
