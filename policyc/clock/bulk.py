"""The clock over arrays: the same answers as `CompiledCalendar`'s single-ticket methods,
for millions of tickets at once.

Instants are numpy `int64` arrays of UTC seconds since the Unix epoch. numpy is an
optional dependency (`pip install 'policyc[bulk]'`), imported only when these functions
run. Each function checks the whole input against the horizon first and raises
`HorizonError` for the first instant outside it, so no answer is ever a guess.
"""

from __future__ import annotations

from policyc.clock.calendar import CompiledCalendar, HorizonError, iso
from policyc.ir import BusinessDayMode


def _numpy():
    try:
        import numpy
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("the bulk clock needs numpy: pip install 'policyc[bulk]'") from error
    return numpy


def _instants(calendar: CompiledCalendar, values):
    np = _numpy()
    instants = np.asarray(values, dtype=np.int64)
    bad = (instants < calendar.lower) | (instants > calendar.limit)
    if bad.any():
        calendar.check(int(instants[np.argmax(bad)]))
    return instants


def _fail(calendar: CompiledCalendar, arrivals, bad, reason: str) -> HorizonError:
    """The error for the first ticket (by position) that `bad` marks."""
    np = _numpy()
    first = int(np.argmax(bad))
    arrival = int(np.broadcast_to(arrivals, bad.shape)[first])
    return HorizonError(calendar.id, arrival, calendar.first_day, calendar.last_day, f"ticket {first}, arrived {iso(arrival)}: {reason}")


def _next_interval(calendar: CompiledCalendar, instants):
    """For each instant, the index of the first interval that closes after it."""
    np = _numpy()
    return np.searchsorted(calendar.arrays().ends, instants, side="right")


def is_open(calendar: CompiledCalendar, instants):
    np = _numpy()
    tables = calendar.arrays()
    instants = _instants(calendar, instants)
    index = _next_interval(calendar, instants)
    inside = index < len(calendar.starts)
    starts = np.append(tables.starts, np.iinfo(np.int64).max)
    return inside & (starts[index] <= instants)


def clock_start(calendar: CompiledCalendar, arrivals):
    np = _numpy()
    arrivals = _instants(calendar, arrivals)
    index = _next_interval(calendar, arrivals)
    beyond = index == len(calendar.starts)
    if beyond.any():
        raise _fail(calendar, arrivals, beyond, "the calendar does not open again before the horizon ends")
    return np.maximum(arrivals, calendar.arrays().starts[index])


def position(calendar: CompiledCalendar, instants):
    np = _numpy()
    tables = calendar.arrays()
    instants = _instants(calendar, instants)
    index = _next_interval(calendar, instants)
    before = np.append(tables.before, calendar.total)
    starts = np.append(tables.starts, np.iinfo(np.int64).max)
    return before[index] + np.maximum(instants - starts[index], 0)


def elapsed(calendar: CompiledCalendar, starts, ends):
    """Open seconds between pairs of instants (negative where an end precedes its start)."""
    return position(calendar, ends) - position(calendar, starts)


def add(calendar: CompiledCalendar, arrivals, seconds):
    """Due instants `seconds` open seconds (a number or an array) after each clock start."""
    np = _numpy()
    tables = calendar.arrays()
    arrivals = _instants(calendar, arrivals)
    seconds = np.asarray(seconds, dtype=np.int64)
    if (seconds < 0).any():
        raise ValueError("a target cannot be negative")
    wanted = position(calendar, arrivals) + seconds
    index = np.searchsorted(tables.after, wanted, side="left")
    beyond = index == len(calendar.starts)
    if beyond.any():
        raise _fail(calendar, arrivals, beyond, "the due instant falls after the horizon ends")
    due = tables.starts[index] + (wanted - tables.before[index])
    zero = seconds == 0
    if zero.any():  # a zero target is due when the clock starts, not at an earlier close
        due = np.where(zero, clock_start(calendar, arrivals), due)
    return due


def _to_wall(calendar: CompiledCalendar, instants):
    np = _numpy()
    tables = calendar.arrays()
    index = np.maximum(np.searchsorted(tables.zone_instants, instants, side="right") - 1, 0)
    return np.maximum(instants + tables.zone_offsets[index], tables.zone_thresholds[index])


def _to_utc(calendar: CompiledCalendar, walls):
    np = _numpy()
    tables = calendar.arrays()
    index = np.maximum(np.searchsorted(tables.zone_thresholds, walls, side="right") - 1, 0)
    return walls - tables.zone_offsets[index]


def _business_day_of(calendar: CompiledCalendar, instants):
    np = _numpy()
    tables = calendar.arrays()
    index = np.searchsorted(tables.window_starts, instants, side="right") - 1
    still_closed = tables.window_ends[index] <= instants
    while still_closed.any():  # an earlier day's long window still open: step back
        index = np.where(still_closed, index - 1, index)
        still_closed = tables.window_ends[index] <= instants
    return tables.window_rank[index]


def last_open(calendar: CompiledCalendar, instants):
    """For each instant, the latest instant at or before it at which the calendar is
    open (a closing instant counting as open)."""
    np = _numpy()
    tables = calendar.arrays()
    index = _next_interval(calendar, instants)
    inside = np.append(tables.starts, np.iinfo(np.int64).max)[index] <= instants
    closed_at = np.append(calendar.lower, tables.ends)[index]
    return np.where(inside, instants, closed_at)


def add_business_days(calendar: CompiledCalendar, arrivals, days: int, mode: BusinessDayMode):
    """Due instants of an `N business days` target, by the rules of
    `CompiledCalendar.add_business_days`."""
    np = _numpy()
    tables = calendar.arrays()
    if days < 0:
        raise ValueError("a target cannot be negative")
    start = clock_start(calendar, arrivals)
    if days == 0 and mode is BusinessDayMode.SAME_TIME:
        return start
    first = _business_day_of(calendar, start)
    rank = first + days
    beyond = rank >= len(calendar.business_days)
    if beyond.any():
        raise _fail(calendar, arrivals, beyond, f"business day {days} after it falls after the horizon ends")
    if mode is BusinessDayMode.END_OF_DAY:
        return tables.day_close[rank]
    reading = _to_wall(calendar, start) - tables.day_midnight[first]
    wanted = _to_utc(calendar, tables.day_midnight[rank] + reading)
    return np.minimum(tables.day_close[rank], np.maximum(tables.day_open[rank], last_open(calendar, wanted)))
