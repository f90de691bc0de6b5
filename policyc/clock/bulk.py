"""The clock over arrays: the same answers as `CompiledCalendar`'s single-ticket methods,
for millions of tickets at once.

Instants are numpy `int64` arrays of UTC seconds since the Unix epoch. numpy is an
optional dependency (`pip install 'policyc[bulk]'`), imported only when these functions
run. Each function checks the whole input against the horizon first and raises
`HorizonError` for the first instant outside it, so no answer is ever a guess.

Finding the interval an instant falls in is a binary search in the single-ticket
methods. Here it is a table lookup instead: the horizon is cut into hours, each hour
knows the first interval still open at its start, and a short scan forward (rarely more
than one step) finishes the job. The same is done on the axis of open seconds for due
instants. Both give exactly what the binary search gives.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from policyc.clock.calendar import CompiledCalendar, HorizonError, iso
from policyc.ir import BusinessDayMode

_BUCKET = 3600  # seconds of real time, or of open time, per lookup-table entry


def numpy():
    """The numpy module, or an error that says how to install it."""
    try:
        import numpy
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("the bulk clock needs numpy: pip install 'policyc[bulk]'") from error
    return numpy


@dataclass(frozen=True)
class _Tables:
    """A compiled calendar as numpy arrays. The interval arrays end with a sentinel
    interval that opens and closes at the end of time, so that "no interval left" is an
    index like any other."""

    starts: object
    ends: object
    before: object
    after: object
    by_hour: object  # per hour from `lower`: the first interval that closes after it starts
    by_open_hour: object  # per hour of open time: the first interval that reaches it
    window_starts: object
    window_ends: object
    window_rank: object
    day_midnight: object
    day_open: object
    day_close: object
    zone_instants: object
    zone_offsets: object
    zone_thresholds: object


_TABLES: weakref.WeakKeyDictionary[CompiledCalendar, _Tables] = weakref.WeakKeyDictionary()


def _tables(calendar: CompiledCalendar) -> _Tables:
    tables = _TABLES.get(calendar)
    if tables is None:
        np = numpy()
        end_of_time = np.iinfo(np.int64).max

        def array(values) -> object:
            return np.asarray(values, dtype=np.int64)

        starts = array(calendar.starts + [end_of_time])
        ends = array(calendar.ends + [end_of_time])
        after = array(calendar.after + [end_of_time])
        hours = np.arange(calendar.lower, calendar.limit + _BUCKET, _BUCKET, dtype=np.int64)
        open_hours = np.arange(0, calendar.total + _BUCKET, _BUCKET, dtype=np.int64)
        tables = _TABLES[calendar] = _Tables(
            starts=starts,
            ends=ends,
            before=array(calendar.before + [calendar.total]),
            after=after,
            by_hour=np.searchsorted(ends, hours, side="right"),
            by_open_hour=np.searchsorted(after, open_hours, side="left"),
            window_starts=array(calendar.window_starts),
            window_ends=array(calendar.window_ends),
            window_rank=array(calendar.window_rank),
            day_midnight=array(calendar.day_midnight),
            day_open=array(calendar.day_open),
            day_close=array(calendar.day_close),
            zone_instants=array(calendar.zone.instants),
            zone_offsets=array(calendar.zone.offsets),
            zone_thresholds=array(calendar.zone.wall_thresholds),
        )
    return tables


def _instants(calendar: CompiledCalendar, values):
    np = numpy()
    instants = np.asarray(values, dtype=np.int64)
    bad = (instants < calendar.lower) | (instants > calendar.limit)
    if bad.any():
        calendar.check(int(instants.flat[np.argmax(bad)]))
    return instants


def _fail(calendar: CompiledCalendar, arrivals, bad, reason: str) -> HorizonError:
    """The error for the first ticket (by position) that `bad` marks."""
    np = numpy()
    first = int(np.argmax(bad))
    arrival = int(np.broadcast_to(arrivals, bad.shape).flat[first])
    return HorizonError(calendar.id, arrival, calendar.first_day, calendar.last_day, f"ticket {first}, arrived {iso(arrival)}: {reason}")


def _at(table, index):
    """`table[index]`; the indices are always in range, and numpy's clip mode skips the
    bounds check that makes plain indexing several times slower."""
    return numpy().take(table, index, mode="clip")


def _scan(table, index, values, strict: bool):
    """Move each index forward while `table[index]` is below (`strict`: at or below) its
    value: the first entry above (at or above) it, starting from a lower bound."""
    np = numpy()
    behind_of = np.less_equal if strict else np.less
    behind = behind_of(_at(table, index), values)
    while behind.any():
        index = index + behind
        behind = behind_of(_at(table, index), values)
    return index


def _next_interval(calendar: CompiledCalendar, tables: _Tables, instants):
    """For each instant (inside the domain), the first interval that closes after it
    (`len(calendar.starts)`: none)."""
    start = _at(tables.by_hour, (instants - calendar.lower) // _BUCKET)
    return _scan(tables.ends, start, instants, strict=True)


def is_open(calendar: CompiledCalendar, instants):
    tables = _tables(calendar)
    instants = _instants(calendar, instants)
    return _at(tables.starts, _next_interval(calendar, tables, instants)) <= instants


def clock_start(calendar: CompiledCalendar, arrivals):
    np = numpy()
    tables = _tables(calendar)
    arrivals = _instants(calendar, arrivals)
    index = _next_interval(calendar, tables, arrivals)
    beyond = index == len(calendar.starts)
    if beyond.any():
        raise _fail(calendar, arrivals, beyond, "the calendar does not open again before the horizon ends")
    return np.maximum(arrivals, _at(tables.starts, index))


def _position(calendar: CompiledCalendar, tables: _Tables, instants):
    np = numpy()
    index = _next_interval(calendar, tables, instants)
    starts = _at(tables.starts, index)
    return _at(tables.before, index) + np.maximum(instants - starts, 0)


def position(calendar: CompiledCalendar, instants):
    """Open seconds from the start of the horizon up to each instant."""
    return _position(calendar, _tables(calendar), _instants(calendar, instants))


def elapsed(calendar: CompiledCalendar, starts, ends):
    """Open seconds between pairs of instants (negative where an end precedes its start)."""
    tables = _tables(calendar)
    return _position(calendar, tables, _instants(calendar, ends)) - _position(calendar, tables, _instants(calendar, starts))


def add(calendar: CompiledCalendar, arrivals, seconds):
    """Due instants `seconds` open seconds (a number or an array) after each clock start."""
    np = numpy()
    tables = _tables(calendar)
    arrivals = _instants(calendar, arrivals)
    seconds = np.asarray(seconds, dtype=np.int64)
    if (seconds < 0).any():
        raise ValueError("a target cannot be negative")
    wanted = _position(calendar, tables, arrivals) + seconds
    bucket = np.minimum(wanted // _BUCKET, len(tables.by_open_hour) - 1)
    index = _scan(tables.after, _at(tables.by_open_hour, bucket), wanted, strict=False)
    beyond = index == len(calendar.starts)
    if beyond.any():
        raise _fail(calendar, arrivals, beyond, "the due instant falls after the horizon ends")
    due = _at(tables.starts, index) + (wanted - _at(tables.before, index))
    zero = seconds == 0
    if zero.any():  # a zero target is due when the clock starts, not at an earlier close
        due = np.where(zero, clock_start(calendar, arrivals), due)
    return due


def last_open(calendar: CompiledCalendar, instants):
    """For each instant, the latest instant at or before it at which the calendar is
    open (a closing instant counting as open)."""
    np = numpy()
    tables = _tables(calendar)
    index = np.searchsorted(tables.ends, instants, side="right")
    inside = _at(tables.starts, index) <= instants
    closed_at = _at(np.append(calendar.lower, tables.ends), index)
    return np.where(inside, instants, closed_at)


def _to_wall(tables: _Tables, instants):
    np = numpy()
    index = np.maximum(np.searchsorted(tables.zone_instants, instants, side="right") - 1, 0)
    return np.maximum(instants + _at(tables.zone_offsets, index), _at(tables.zone_thresholds, index))


def _to_utc(tables: _Tables, walls):
    np = numpy()
    index = np.maximum(np.searchsorted(tables.zone_thresholds, walls, side="right") - 1, 0)
    return walls - _at(tables.zone_offsets, index)


def _business_day_of(tables: _Tables, instants):
    np = numpy()
    index = np.searchsorted(tables.window_starts, instants, side="right") - 1
    still_closed = _at(tables.window_ends, index) <= instants
    while still_closed.any():  # an earlier day's long window still open: step back
        index = index - still_closed
        still_closed = _at(tables.window_ends, index) <= instants
    return _at(tables.window_rank, index)


def add_business_days(calendar: CompiledCalendar, arrivals, days: int, mode: BusinessDayMode):
    """Due instants of an `N business days` target, by the rules of
    `CompiledCalendar.add_business_days`."""
    np = numpy()
    if days < 0:
        raise ValueError("a target cannot be negative")
    tables = _tables(calendar)
    start = clock_start(calendar, arrivals)
    if days == 0 and mode is BusinessDayMode.SAME_TIME:
        return start
    first = _business_day_of(tables, start)
    rank = first + days
    beyond = rank >= len(calendar.business_days)
    if beyond.any():
        raise _fail(calendar, arrivals, beyond, f"business day {days} after it falls after the horizon ends")
    if mode is BusinessDayMode.END_OF_DAY:
        return _at(tables.day_close, rank)
    reading = _to_wall(tables, start) - _at(tables.day_midnight, first)
    wanted = _to_utc(tables, _at(tables.day_midnight, rank) + reading)
    within = np.maximum(_at(tables.day_open, rank), last_open(calendar, wanted))
    return np.minimum(_at(tables.day_close, rank), within)
