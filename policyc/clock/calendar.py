"""A calendar compiled for the clock: open intervals in UTC seconds over the horizon.

`compile_calendar` turns an IR `Calendar` into sorted, disjoint UTC intervals
`[open, close)` with the open seconds before each one, so that "when is this due" and
"how much business time has passed" are each two binary searches. The rules it applies
are the ones `docs/clock.md` states:

- which windows a date has: a date override, else closed on a public holiday, else the
  season's weekly hours (days the season does not list are closed), else the regular
  weekly hours (`24x7`: the whole day);
- a window belongs to the date it opens on; an overnight window runs into the next day
  and `24:00` is the next midnight;
- window edges are local wall-clock times, turned into UTC by `ZoneTable.to_utc`
  (a skipped time moves forward by the gap; a repeated time is its first occurrence);
- windows that touch or overlap are one open stretch: a close followed at once by an
  opening is no close at all.

Everything outside the horizon is unknown, and asking about it raises `HorizonError`
rather than guessing.
"""

from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_left, bisect_right

from policyc.clock.zone import DAY, ZoneTable, local_midnight, zone_table
from policyc.ir import BusinessDayMode, Calendar, Clock, Duration, Horizon, TimeOfDay, Window

WHOLE_DAY = Window(TimeOfDay(0), TimeOfDay(24 * 60))


def iso(instant: int) -> str:
    """An instant as ISO 8601 in UTC, with `Z`."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(instant))


class HorizonError(ValueError):
    """A question about an instant outside the dates a calendar is known for."""

    def __init__(self, calendar: str, instant: int, first: dt.date, last: dt.date, reason: str):
        self.calendar = calendar
        self.instant = instant
        self.first = first
        self.last = last
        self.reason = reason
        super().__init__(f"calendar `{calendar}`: {reason} (the horizon runs from {first} to {last})")


class DaySchedule:
    """Which windows a calendar has on a given date, by the precedence above."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self._overrides = {}
        for override in calendar.overrides:
            self._overrides.setdefault(override.date, override.windows)  # the first wins
        self._holidays = {holiday.date for holiday in calendar.holiday_dates}

    def windows(self, day: dt.date) -> tuple[Window, ...]:
        if day in self._overrides:
            return self._overrides[day]
        if day in self._holidays:
            return ()
        weekday = day.weekday()
        for season in self.calendar.seasons:
            if season.start <= day <= season.end:
                return tuple(w for entry in season.hours if weekday in entry.days for w in entry.windows)
        if self.calendar.always_open:
            return (WHOLE_DAY,)
        return tuple(w for entry in self.calendar.hours if weekday in entry.days for w in entry.windows)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint, non-touching intervals covering the same instants."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class CompiledCalendar:
    """One calendar's open time over the horizon, as UTC integer seconds.

    Instants are integer seconds since the Unix epoch (UTC). `due` and `elapsed` are
    the single-ticket entry points (plain `bisect`); `policyc.clock.bulk` has the same
    functions over numpy arrays. The lists below are the compiled calendar; nothing
    changes them after construction.
    """

    def __init__(self, calendar: Calendar, horizon: Horizon):
        self.id = calendar.id
        self.first_day = horizon.start
        self.last_day = horizon.end
        self.zone: ZoneTable = zone_table(calendar.timezone.name, horizon.start, horizon.end)
        schedule = DaySchedule(calendar)
        to_utc = self.zone.to_utc

        # Per business day (a date with some open time), its windows merged, in order.
        window_starts: list[int] = []
        window_ends: list[int] = []
        window_rank: list[int] = []
        self.business_days: list[dt.date] = []
        self.day_midnight: list[int] = []  # wall time of the business day's midnight
        self.day_open: list[int] = []  # its first opening
        # Its closing: the latest close of its windows, or of an earlier day's overnight
        # window still open then, so that a later business day never closes earlier.
        self.day_close: list[int] = []
        day = horizon.start
        while day <= horizon.end:
            midnight = local_midnight(day)
            spans = _merge(
                [(to_utc(midnight + w.start_minute * 60), to_utc(midnight + w.end_minute * 60)) for w in schedule.windows(day)]
            )
            if spans:
                for start, end in spans:
                    window_starts.append(start)
                    window_ends.append(end)
                    window_rank.append(len(self.business_days))
                self.business_days.append(day)
                self.day_midnight.append(midnight)
                self.day_open.append(spans[0][0])
                self.day_close.append(max(self.day_close[-1:] + [spans[-1][1]]))
            day += dt.timedelta(days=1)
        self.window_starts = window_starts
        self.window_ends = window_ends
        self.window_rank = window_rank

        intervals = _merge(list(zip(window_starts, window_ends)))
        self.starts = [start for start, _ in intervals]
        self.ends = [end for _, end in intervals]
        self.before: list[int] = []  # open seconds before each interval
        self.after: list[int] = []  # open seconds up to the end of each interval
        total = 0
        for start, end in intervals:
            self.before.append(total)
            total += end - start
            self.after.append(total)
        self.total = total
        self.lower = to_utc(local_midnight(horizon.start))
        self.upper = to_utc(local_midnight(horizon.end) + DAY)
        # A window opening on the horizon's last day may run past its midnight.
        self.limit = max([self.upper] + self.ends[-1:])

    # --- the domain ---------------------------------------------------------------------

    def _outside(self, instant: int, reason: str) -> HorizonError:
        return HorizonError(self.id, instant, self.first_day, self.last_day, reason)

    def check(self, instant: int) -> None:
        if instant < self.lower:
            raise self._outside(instant, f"{iso(instant)} is before the horizon starts")
        if instant > self.limit:
            raise self._outside(instant, f"{iso(instant)} is after the horizon ends")

    # --- single instants --------------------------------------------------------------------

    def is_open(self, instant: int) -> bool:
        self.check(instant)
        index = bisect_right(self.ends, instant)
        return index < len(self.starts) and self.starts[index] <= instant

    def clock_start(self, arrival: int) -> int:
        """When a business-time clock starts for a ticket arriving at `arrival`: then, if
        the calendar is open, else its next opening."""
        self.check(arrival)
        index = bisect_right(self.ends, arrival)
        if index == len(self.starts):
            raise self._outside(arrival, f"the calendar does not open between {iso(arrival)} and the end of the horizon")
        return max(arrival, self.starts[index])

    def position(self, instant: int) -> int:
        """Open seconds from the start of the horizon up to `instant`."""
        self.check(instant)
        index = bisect_right(self.ends, instant)
        if index == len(self.starts):
            return self.total
        return self.before[index] + max(0, instant - self.starts[index])

    def elapsed(self, start: int, end: int) -> int:
        """Open seconds between two instants (negative if `end` is before `start`)."""
        return self.position(end) - self.position(start)

    def add(self, arrival: int, seconds: int) -> int:
        """The instant `seconds` open seconds after the clock starts for `arrival`. A due
        instant that lands on a closing time is that closing time."""
        if seconds < 0:
            raise ValueError("a target cannot be negative")
        if seconds == 0:
            return self.clock_start(arrival)
        wanted = self.position(arrival) + seconds
        index = bisect_left(self.after, wanted)
        if index == len(self.starts):
            raise self._outside(arrival, f"the due instant, {seconds} open seconds after {iso(arrival)}, falls after the horizon ends")
        return self.starts[index] + (wanted - self.before[index])

    def business_day_of(self, instant: int) -> int:
        """The rank (in `business_days`) of the day whose window is open at `instant`:
        the day it opened on, so an overnight window's small hours belong to the day
        before."""
        index = bisect_right(self.window_starts, instant) - 1
        while self.window_ends[index] <= instant:  # an earlier day's long window still open
            index -= 1
        return self.window_rank[index]

    def last_open(self, instant: int) -> int:
        """The latest instant at or before `instant` at which the calendar is open, a
        closing instant counting as open (the horizon's start if it never was)."""
        index = bisect_right(self.ends, instant)
        if index < len(self.starts) and self.starts[index] <= instant:
            return instant
        return self.ends[index - 1] if index else self.lower

    def add_business_days(self, arrival: int, days: int, mode: BusinessDayMode) -> int:
        """The due instant of an `N business days` target (see docs/clock.md):

        - the day the clock starts on is business day 0, and day N is the Nth business
          day after it (a business day is a date with open time);
        - end-of-day: day N's closing time;
        - same-time: the local clock time the clock started at, on day N; if the
          calendar is closed then, the last closing before it, but never before day N
          opens nor after it closes.
        """
        if days < 0:
            raise ValueError("a target cannot be negative")
        start = self.clock_start(arrival)
        if days == 0 and mode is BusinessDayMode.SAME_TIME:
            return start
        first = self.business_day_of(start)
        rank = first + days
        if rank >= len(self.business_days):
            raise self._outside(arrival, f"business day {days} after {iso(arrival)} falls after the horizon ends")
        if mode is BusinessDayMode.END_OF_DAY:
            return self.day_close[rank]
        reading = self.zone.to_wall(start) - self.day_midnight[first]
        wanted = self.zone.to_utc(self.day_midnight[rank] + reading)
        return min(self.day_close[rank], max(self.day_open[rank], self.last_open(wanted)))

    def due(self, arrival: int, duration: Duration, mode: BusinessDayMode | None = None) -> int:
        """The due instant of a target of `duration` for a ticket arriving at `arrival`.
        Calendar time ignores the calendar; business time counts its open seconds."""
        if duration.clock is Clock.CALENDAR:
            return arrival + duration.seconds
        if duration.is_business_days:
            return self.add_business_days(arrival, duration.business_days, mode or BusinessDayMode.SAME_TIME)
        return self.add(arrival, duration.seconds)
