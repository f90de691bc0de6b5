"""Daylight saving time: window edges at wall-clock times a time zone skips or repeats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from policyc.checks import check
from policyc.clock.calendar import DaySchedule
from policyc.clock.zone import Transition, local_midnight, wall_date, zone_table
from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Calendar, Horizon, Policy, TimeOfDay, Window
from policyc.tz import is_zone

WINDOW_EDGE_IN_DST_TRANSITION = define(
    "PC407",
    "window-edge-in-dst-transition",
    Severity.WARNING,
    "A window opens or closes at a local time that daylight saving time skips or repeats.",
    what="""
        Reports a window whose opening or closing time, on some date of the horizon,
        falls in the hour the calendar's time zone skips when clocks go forward, or in
        the hour it repeats when clocks go back. The warning names the first such date
        and what policyc does there: an edge in a skipped hour moves forward by the gap
        (01:30 on the night London skips from 01:00 to 02:00 becomes 02:30); an edge in
        a repeated hour is its first occurrence.
    """,
    why="""
        On that date the edge names a local time that does not exist, or exists twice,
        so the desk does not open or close when its published hours say: `sun:
        01:30-09:00` in London opens at 02:30 on the last Sunday of March, and every
        due instant that runs through that morning moves with it. policyc gives these
        edges one fixed meaning so deadlines stay exact, but the author should know,
        and usually moves the edge out of the hour the clocks change.
    """,
    example_fail=example_policy(
        """
        calendars:
          weekend_desk:
            timezone: Europe/London
            hours:
              sun: 01:30-09:00
        """,
        effective_date="2026-01-01",
    ),
    example_pass=example_policy(
        """
        calendars:
          weekend_desk:
            timezone: Europe/London
            hours:
              sun: 02:00-09:00
        """,
        effective_date="2026-01-01",
    ),
)


@dataclass(frozen=True)
class _Edge:
    window: Window
    day: dt.date
    wall: int
    opening: bool


def _edges(schedule: DaySchedule, day: dt.date) -> Iterator[_Edge]:
    midnight = local_midnight(day)
    for window in schedule.windows(day):
        yield _Edge(window, day, midnight + window.start_minute * 60, True)
        yield _Edge(window, day, midnight + window.end_minute * 60, False)


def _in_stretch(wall: int, change: Transition) -> bool:
    # The first minute of a skipped stretch and the instant just before it are one and
    # the same instant (02:00 EST is 03:00 EDT): nothing moves, nothing to report.
    if change.skips:
        return change.wall_start < wall < change.wall_end
    return change.wall_start <= wall < change.wall_end


def _clock_time(wall: int) -> str:
    return str(TimeOfDay(wall % 86_400 // 60))


def _offset(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _length(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    return " ".join(part for part in (f"{hours}h" if hours else "", f"{minutes}m" if minutes else "") if part)


def _problems(calendar: Calendar, horizon: Horizon) -> Iterator[tuple[_Edge, Transition]]:
    zone = zone_table(calendar.timezone.name, horizon.start, horizon.end)
    schedule = DaySchedule(calendar)
    for change in zone.transitions:
        touched = wall_date(change.wall_start)
        # An overnight window of the day before can end inside the stretch too.
        for day in (touched - dt.timedelta(days=1), touched):
            if not horizon.start <= day <= horizon.end:
                continue
            for edge in _edges(schedule, day):
                if _in_stretch(edge.wall, change):
                    yield edge, change


@check
def window_edges_exist(policy: Policy) -> Iterator[Diagnostic]:
    horizon = policy.horizon
    if horizon is None or horizon.end < horizon.start:
        return
    for calendar in policy.calendars.values():
        if not is_zone(calendar.timezone.name):
            continue
        reported: set[tuple[Window, bool]] = set()
        for edge, change in _problems(calendar, horizon):
            key = (edge.window, edge.opening)
            if key in reported:
                continue
            reported.add(key)
            yield _diagnostic(calendar, edge, change)


def _diagnostic(calendar: Calendar, edge: _Edge, change: Transition) -> Diagnostic:
    verb = "opens" if edge.opening else "closes"
    time = _clock_time(edge.wall)
    on = wall_date(edge.wall).isoformat()
    zone = calendar.timezone.name
    stretch = f"{_clock_time(change.wall_start)}-{_clock_time(change.wall_end)}"
    if change.skips:
        gap = _length(change.after - change.before)
        moved = _clock_time(edge.wall + change.after - change.before)
        message = (
            f"the window `{edge.window}` of calendar `{calendar.id}` {verb} at {time} on {on}, a time that does not exist "
            f"there: {zone} skips from {_clock_time(change.wall_start)} to {_clock_time(change.wall_end)}; "
            f"policyc {verb} it at {moved}, {gap} later"
        )
    else:
        message = (
            f"the window `{edge.window}` of calendar `{calendar.id}` {verb} at {time} on {on}, a time that happens twice "
            f"there: {zone} goes back from {_clock_time(change.wall_end)} to {_clock_time(change.wall_start)}; "
            f"policyc takes the first {time} ({_offset(change.before)})"
        )
    return WINDOW_EDGE_IN_DST_TRANSITION.diagnostic(
        message,
        edge.window.span or calendar.span,
        hint=f"move the {'opening' if edge.opening else 'closing'} time out of {stretch} local time, "
        "or keep it if that reading is what you mean on the days the clocks change",
    )
