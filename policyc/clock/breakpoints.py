"""Where a due instant stops moving in step with the arrival.

For a calendar-time target the due instant is the arrival plus a constant. For a
business-time target it moves with the arrival while both are in open time, stands
still while the arrival is in a closure (the clock starts at the next opening), and
jumps when the due instant reaches a closing time. Between two consecutive arrivals of
`breakpoints(clock, target)`, the due instant is a straight line of slope 0 or 1 in the
arrival: so two targets can be compared over a whole horizon exactly, by looking only
at these arrivals and their neighbours (`policyc.checks.deadlines` does).

The breakpoints are a superset: an arrival listed where nothing changes costs one more
comparison, an arrival missed would cost exactness, so every candidate is kept.
"""

from __future__ import annotations

from bisect import bisect_right

from policyc.clock import PolicyClock
from policyc.clock.calendar import CompiledCalendar
from policyc.ir import BusinessDayMode, Clock, Duration, Target


def breakpoints(clock: PolicyClock, target: Target) -> list[int]:
    """The arrivals, in order, at which the due instant of `target` may change slope or
    jump (none for calendar time)."""
    duration = target.duration
    if duration.clock is Clock.CALENDAR:
        return []
    return calendar_breakpoints(clock.calendar(target.calendar.id), duration, target.business_day_mode)


def calendar_breakpoints(calendar: CompiledCalendar, duration: Duration, mode: BusinessDayMode | None = None) -> list[int]:
    """`breakpoints` for a business-time duration on a compiled calendar."""
    found = set(calendar.starts) | set(calendar.ends) | set(calendar.window_starts) | set(calendar.window_ends)
    for change in calendar.zone.transitions:
        gap = abs(change.after - change.before)
        found.update((change.instant - gap, change.instant, change.instant + gap))
    if duration.is_business_days:
        if (mode or BusinessDayMode.SAME_TIME) is BusinessDayMode.SAME_TIME:
            found.update(_same_time_sources(calendar, duration.business_days))
    else:
        found.update(_sources(calendar, duration.seconds))
    return sorted(t for t in found if calendar.lower <= t <= calendar.limit)


def instant_at(calendar: CompiledCalendar, position: int) -> int | None:
    """The instant in open time at which the calendar has been open `position` seconds
    since the horizon started (at a close, the next opening); None past the horizon."""
    index = bisect_right(calendar.after, position)
    if index == len(calendar.starts) or calendar.before[index] > position:
        return None
    return calendar.starts[index] + position - calendar.before[index]


def _sources(calendar: CompiledCalendar, seconds: int) -> list[int]:
    """The arrivals whose due instant, `seconds` open seconds on, is an opening or a
    closing: where the due instant starts or stops jumping."""
    found = []
    for boundary in set(calendar.before) | set(calendar.after):
        if boundary >= seconds:
            instant = instant_at(calendar, boundary - seconds)
            if instant is not None:
                found.append(instant)
    return found


def _same_time_sources(calendar: CompiledCalendar, days: int) -> list[int]:
    """For `N business days, same-time`: the arrivals whose local clock time, read on
    the Nth business day after theirs, falls on an edge of that day's windows or on a
    change of clocks: where the due instant is clamped to an opening or a closing, or
    moves with the clocks."""
    zone = calendar.zone
    found = []

    def read_back(edge: int, rank: int) -> None:
        if days <= rank < len(calendar.day_midnight):
            reading = zone.to_wall(edge) - calendar.day_midnight[rank]
            found.append(zone.to_utc(calendar.day_midnight[rank - days] + reading))

    for start, end, rank in zip(calendar.window_starts, calendar.window_ends, calendar.window_rank):
        read_back(start, rank)
        read_back(end, rank)
    for rank, close in enumerate(calendar.day_close):
        read_back(close, rank)
    for change in zone.transitions:
        gap = abs(change.after - change.before)
        wall = zone.to_wall(change.instant)
        rank = bisect_right(calendar.day_midnight, wall) - 1
        for instant in (change.instant - gap, change.instant, change.instant + gap):
            for day in (rank - 1, rank, rank + 1):
                read_back(instant, day)
    return found
