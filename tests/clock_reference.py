"""A brute-force SLA clock to test `policyc.clock` against: it steps minute by minute.

It shares nothing with the engine but the rules of docs/clock.md: it reads a calendar
from a plain description (not the IR), turns window edges into instants with `zoneinfo`
directly (`fold=0`), never merges or sorts intervals, and answers every question by
walking the minutes. Slow and obviously right, which is the point.

Every instant here is a whole minute (UTC seconds divisible by 60): windows start and
end on whole minutes, and so do the UTC offsets of the zones the tests use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from policyc import ir, tz

MINUTE = 60
Windows = tuple[tuple[int, int], ...]  # (start minute, end minute after the opening day's midnight)


@dataclass(frozen=True)
class Spec:
    """A calendar as the tests generate it."""

    zone: str
    first: dt.date
    last: dt.date
    weekly: dict[int, Windows] = field(default_factory=dict)  # by weekday, Monday 0
    always_open: bool = False
    overrides: dict[dt.date, Windows] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    # (first day, last day, weekly windows) of each season, first match wins
    seasons: tuple[tuple[dt.date, dt.date, dict[int, Windows]], ...] = ()
    # The daylight-saving change the horizon was chosen around, where tests look hardest.
    change: dt.date | None = None

    def calendar(self) -> ir.Calendar:
        """The same calendar as IR, for the engine."""

        def window(start: int, end: int) -> ir.Window:
            if end > 1440:
                return ir.Window(ir.TimeOfDay(start), ir.TimeOfDay(end - 1440), overnight=True)
            return ir.Window(ir.TimeOfDay(start), ir.TimeOfDay(end))

        def weekly(hours: dict[int, Windows]) -> tuple[ir.WeeklyHours, ...]:
            return tuple(
                ir.WeeklyHours(frozenset({ir.Weekday(day)}), tuple(window(*w) for w in windows)) for day, windows in sorted(hours.items())
            )

        return ir.Calendar(
            id="generated",
            timezone=ir.TimeZone(self.zone),
            always_open=self.always_open,
            hours=() if self.always_open else weekly(self.weekly),
            overrides=tuple(ir.DateOverride(day, tuple(window(*w) for w in windows)) for day, windows in sorted(self.overrides.items())),
            seasons=tuple(ir.Season(f"season {i}", start, end, weekly(hours)) for i, (start, end, hours) in enumerate(self.seasons)),
            holiday_dates=tuple(ir.Holiday(day, "holiday") for day in sorted(self.holidays)),
        )

    @property
    def horizon(self) -> ir.Horizon:
        return ir.Horizon(self.first, self.last)


class Reference:
    def __init__(self, spec: Spec):
        self.spec = spec
        self.zone = tz.zone(spec.zone)
        self._edges: dict[dt.date, list[tuple[int, int]]] = {}

    # --- the calendar -------------------------------------------------------------------

    def windows_of(self, day: dt.date) -> Windows:
        spec = self.spec
        if not spec.first <= day <= spec.last:
            return ()
        if day in spec.overrides:
            return spec.overrides[day]
        if day in spec.holidays:
            return ()
        for start, end, hours in spec.seasons:
            if start <= day <= end:
                return hours.get(day.weekday(), ())
        if spec.always_open:
            return ((0, 1440),)
        return spec.weekly.get(day.weekday(), ())

    def instant(self, day: dt.date, minute: int) -> int:
        wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
        return int(wall.replace(tzinfo=self.zone, fold=0).timestamp())

    def edges(self, day: dt.date) -> list[tuple[int, int]]:
        """The day's windows as UTC instants; a window DST makes empty is dropped."""
        if day not in self._edges:
            spans = [(self.instant(day, start), self.instant(day, end)) for start, end in self.windows_of(day)]
            self._edges[day] = [(a, b) for a, b in spans if b > a]
        return self._edges[day]

    def local_date(self, instant: int) -> dt.date:
        return dt.datetime.fromtimestamp(instant, self.zone).date()

    def days_around(self, instant: int) -> list[dt.date]:
        day = self.local_date(instant)
        return [day - dt.timedelta(days=2), day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]

    @cached_property
    def open_minutes(self) -> frozenset[int]:
        """Every minute some window of the horizon is open, window by window."""
        minutes = set()
        day = self.spec.first
        while day <= self.spec.last:
            for a, b in self.edges(day):
                minutes.update(range(a, b, MINUTE))
            day += dt.timedelta(days=1)
        return frozenset(minutes)

    @cached_property
    def closings(self) -> list[int]:
        """Every instant a window closes, in order (where due instants like to land)."""
        day, found = self.spec.first, set()
        while day <= self.spec.last:
            found.update(b for _, b in self.edges(day))
            day += dt.timedelta(days=1)
        return sorted(found)

    def is_open(self, instant: int) -> bool:
        return instant in self.open_minutes

    @cached_property
    def end(self) -> int:
        """No window opens after this instant."""
        return self.instant(self.spec.last + dt.timedelta(days=3), 0)

    # --- the clock ----------------------------------------------------------------------

    def clock_start(self, arrival: int) -> int | None:
        t = arrival
        while not self.is_open(t):
            t += MINUTE
            if t > self.end:
                return None
        return t

    def due(self, arrival: int, minutes: int) -> int | None:
        """Walk the open minutes: the due instant is the end of the last one needed."""
        if minutes == 0:
            return self.clock_start(arrival)
        counted, t = 0, arrival
        while True:
            if t > self.end:
                return None
            if self.is_open(t):
                counted += 1
                if counted == minutes:
                    return t + MINUTE
            t += MINUTE

    def elapsed(self, start: int, end: int) -> int:
        return sum(MINUTE for t in range(start, end, MINUTE) if self.is_open(t))

    # --- business days ----------------------------------------------------------------------

    def business_day_of(self, instant: int) -> dt.date:
        """The day whose window is open at `instant`; the latest-opening one if several."""
        owners = [(a, day) for day in self.days_around(instant) for a, b in self.edges(day) if a <= instant < b]
        return max(owners)[1]

    def reading(self, instant: int) -> dt.datetime:
        """The local wall clock at `instant`, never going backwards: in the second pass
        of a repeated hour, the reading the first pass ended on."""
        local = dt.datetime.fromtimestamp(instant, self.zone)
        if not local.fold:
            return local.replace(tzinfo=None)
        t = instant
        while dt.datetime.fromtimestamp(t, self.zone).fold:
            t -= MINUTE
        return dt.datetime.fromtimestamp(t, self.zone).replace(tzinfo=None) + dt.timedelta(minutes=1)

    def due_business_days(self, arrival: int, days: int, mode: ir.BusinessDayMode) -> int | None:
        start = self.clock_start(arrival)
        if start is None:
            return None
        if days == 0 and mode is ir.BusinessDayMode.SAME_TIME:
            return start
        first = self.business_day_of(start)
        day, counted = first, 0
        while counted < days:
            day += dt.timedelta(days=1)
            if day > self.spec.last:
                return None
            if self.edges(day):
                counted += 1
        # A day's closing is its last window's close, unless an earlier day's window is
        # still open then.
        closing, earlier = 0, self.spec.first
        while earlier <= day:
            closing = max([closing] + [b for _, b in self.edges(earlier)])
            earlier += dt.timedelta(days=1)
        if mode is ir.BusinessDayMode.END_OF_DAY:
            return closing
        opening = min(a for a, _ in self.edges(day))
        wall = dt.datetime.combine(day, dt.time()) + (self.reading(start) - dt.datetime.combine(first, dt.time()))
        wanted = int(wall.replace(tzinfo=self.zone, fold=0).timestamp())
        last_open = wanted
        while not self.is_open(last_open) and not self.is_open(last_open - MINUTE) and last_open > opening:
            last_open -= MINUTE
        return min(closing, max(opening, last_open))
