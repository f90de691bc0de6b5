"""Calendars and their windows: time zones, window shapes, date ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from policyc.checks import check
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Calendar, Policy, TimeOfDay, Weekday, WeeklyHours, Window

INVERTED_WINDOW = define(
    "PC402",
    "inverted-window",
    Severity.ERROR,
    "An opening window that ends before it starts.",
    what="""
        Reports a window such as `17:00-09:00` whose end is earlier than its start and
        that is not marked as crossing midnight.
    """,
    why="""
        It is either a typo (the times swapped) or a night shift written without saying
        so. policyc does not guess: a window that runs past midnight is written with
        `+1`, as in `22:00-06:00+1`, and belongs to the day it opens.
    """,
    example_fail=example_policy(
        """
        calendars:
          night_desk:
            timezone: Europe/London
            hours:
              mon-fri: 22:00-06:00
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          night_desk:
            timezone: Europe/London
            hours:
              mon-fri: 22:00-06:00+1
        """
    ),
)

EMPTY_WINDOW = define(
    "PC403",
    "empty-window",
    Severity.ERROR,
    "An opening window that opens and closes at the same time.",
    what="""
        Reports a window such as `09:00-09:00` that is open for no time at all.
    """,
    why="""
        An empty window is almost always a typo for a real one; a day with no opening
        hours is written `closed`.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-09:00
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        """
    ),
)

INVERTED_DATES = define(
    "PC406",
    "inverted-date-range",
    Severity.ERROR,
    "A season or horizon whose last date is before its first.",
    what="""
        Reports a season whose `to` date is before its `from` date, or a horizon whose
        `end` is before its `start`.
    """,
    why="""
        The range covers no day at all, so the season's hours would never apply. A
        season over the new year is written from December to January of the next year.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            seasons:
              - name: Peak
                from: 2026-12-31
                to: 2026-11-15
                hours:
                  daily: 08:00-22:00
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            seasons:
              - name: Peak
                from: 2026-11-15
                to: 2026-12-31
                hours:
                  daily: 08:00-22:00
        """
    ),
)


def _windows(calendar: Calendar) -> Iterator[tuple[str, Window]]:
    for entry in calendar.hours:
        for window in entry.windows:
            yield f"calendar `{calendar.id}`", window
    for season in calendar.seasons:
        for entry in season.hours:
            for window in entry.windows:
                yield f"season `{season.name}` of calendar `{calendar.id}`", window
    for override in calendar.overrides:
        for window in override.windows:
            yield f"the {override.date.isoformat()} override of calendar `{calendar.id}`", window


@check
def windows_are_well_formed(policy: Policy) -> Iterator[Diagnostic]:
    for calendar in policy.calendars.values():
        for owner, window in _windows(calendar):
            if window.overnight:
                continue
            if window.end.minutes < window.start.minutes:
                yield INVERTED_WINDOW.diagnostic(
                    f"the window `{window}` in {owner} ends before it starts",
                    window.span,
                    hint=f"if it runs past midnight write `{window}+1`; otherwise swap the times: `{window.end}-{window.start}`",
                )
            elif window.end.minutes == window.start.minutes:
                yield EMPTY_WINDOW.diagnostic(
                    f"the window `{window}` in {owner} is open for no time",
                    window.span,
                    hint="give the closing time, or write `closed` for a day with no hours",
                )


@check
def date_ranges_are_ordered(policy: Policy) -> Iterator[Diagnostic]:
    for calendar in policy.calendars.values():
        for season in calendar.seasons:
            if season.end < season.start:
                yield INVERTED_DATES.diagnostic(
                    f"season `{season.name}` of calendar `{calendar.id}` ends ({season.end}) before it starts ({season.start})",
                    season.span,
                    hint="swap `from` and `to`; a season across the new year ends in the next year",
                )
    horizon = policy.horizon
    if horizon is not None and horizon.end < horizon.start:
        yield INVERTED_DATES.diagnostic(
            f"the horizon ends ({horizon.end}) before it starts ({horizon.start})",
            horizon.span,
            hint="swap `start` and `end`",
        )


OVERLAPPING_WINDOWS = define(
    "PC410",
    "overlapping-windows",
    Severity.ERROR,
    "Two opening windows of one calendar that are open at the same time on some day.",
    what="""
        Reports two windows that overlap on some weekday: two keys naming the same day
        (`mon-fri: 09:00-17:00` and `mon: 08:00-12:00`), two windows in one list, or a
        window that runs past midnight (`22:00-06:00+1`) into a window of the next day
        that opens before it closes. Windows that only touch (`08:00-12:00` and
        `12:00-17:00`) do not overlap. Seasons and date overrides are checked the same
        way.
    """,
    why="""
        policyc opens the calendar whenever any window is open, so the policy still
        means something; but two overlapping windows are nearly always a mistake: a day
        written under two keys, or hours copied from an older version. The hours the
        author meant cannot be read off the file.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
              mon: 08:00-12:00
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon: 08:00-17:00
              tue-fri: 09:00-17:00
        """
    ),
)

DUPLICATE_WINDOW = define(
    "PC411",
    "duplicate-window",
    Severity.WARNING,
    "The same opening window given twice for the same day.",
    what="""
        Reports a window that repeats, for the same weekday, a window given earlier in
        the same hours (`mon-fri: 09:00-17:00` and `mon: 09:00-17:00`).
    """,
    why="""
        The repetition changes nothing, but it is often a day typed wrongly (`mon` for
        `sat`), and at the next edit the two copies drift apart.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
              mon: 09:00-17:00
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
              sat: 09:00-17:00
        """
    ),
)

OVERLAPPING_SEASONS = define(
    "PC412",
    "overlapping-seasons",
    Severity.ERROR,
    "Two seasons of one calendar that share dates.",
    what="""
        Reports a season whose dates overlap those of a season listed before it in the
        same calendar.
    """,
    why="""
        On a shared date only the first season's hours apply, so the second season is
        cut short without a word. Seasons that follow each other end and start on
        consecutive dates.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            seasons:
              - name: Holiday peak
                from: 2026-11-16
                to: 2026-12-27
                hours:
                  daily: 08:00-22:00
              - name: Boxing week
                from: 2026-12-24
                to: 2027-01-03
                hours:
                  daily: 10:00-16:00
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            seasons:
              - name: Holiday peak
                from: 2026-11-16
                to: 2026-12-23
                hours:
                  daily: 08:00-22:00
              - name: Boxing week
                from: 2026-12-24
                to: 2027-01-03
                hours:
                  daily: 10:00-16:00
        """
    ),
)

DUPLICATE_OVERRIDE = define(
    "PC413",
    "duplicate-override",
    Severity.ERROR,
    "Two date overrides of one calendar for the same date.",
    what="""
        Reports a date override for a date that an earlier override of the same
        calendar already sets.
    """,
    why="""
        Only the first override of a date applies; the second (a closure, or other
        hours) is silently ignored.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            overrides:
              - date: 2026-12-24
                hours: 09:00-13:00
              - date: 2026-12-24
                reason: Christmas Eve
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            overrides:
              - date: 2026-12-24
                hours: 09:00-13:00
                reason: Christmas Eve
        """
    ),
)

_DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


@dataclass(frozen=True)
class _Open:
    """A window's open stretch on one weekday, in minutes after that day's midnight
    (a window opened the day before shows here as its part after midnight)."""

    window: Window
    start: int
    end: int
    carried_over: bool


def _stretches(windows_by_day: dict[int, list[Window]]) -> dict[int, list[_Open]]:
    found: dict[int, list[_Open]] = {day: [] for day in range(7)}
    for day, windows in windows_by_day.items():
        for window in windows:
            found[day].append(_Open(window, window.start_minute, min(window.end_minute, 1440), False))
            if window.end_minute > 1440:
                found[(day + 1) % 7].append(_Open(window, 0, window.end_minute - 1440, True))
    return found


def _week(hours: tuple[WeeklyHours, ...]) -> dict[int, list[Window]]:
    return {day: [w for entry in hours if Weekday(day) in entry.days for w in entry.windows] for day in range(7)}


def _clashes(owner: str, by_day: dict[int, list[Window]]) -> Iterator[Diagnostic]:
    """Overlapping and repeated windows among the windows of each day."""
    reported: set[tuple] = set()
    for day, stretches in _stretches(by_day).items():
        for i, first in enumerate(stretches):
            for second in stretches[i + 1 :]:
                if first.window.span == second.window.span and first.window == second.window:
                    continue  # one window, reached through two days
                if not (first.start < second.end and second.start < first.end):
                    continue
                earlier, later = sorted((first, second), key=lambda s: s.window.span or ())
                key = (earlier.window.span, later.window.span)
                if key in reported:
                    continue
                reported.add(key)
                same = earlier.window == later.window and earlier.carried_over == later.carried_over
                if same:
                    yield DUPLICATE_WINDOW.diagnostic(
                        f"{owner} gives the window `{later.window}` twice on {_DAY_NAMES[day]}",
                        later.window.span,
                        hint="remove one of them, or correct the day it was meant for",
                        related=[Related(earlier.window.span, "the same window, given first here")],
                    )
                    continue
                start, end = max(first.start, second.start), min(first.end, second.end)
                yield OVERLAPPING_WINDOWS.diagnostic(
                    f"{owner}: on {_DAY_NAMES[day]}, `{later.window}`{_from_day_before(later)} and "
                    f"`{earlier.window}`{_from_day_before(earlier)} are both open from "
                    f"{TimeOfDay(start)} to {TimeOfDay(end)}",
                    later.window.span,
                    hint="give each day its hours once: join the two windows into one, or correct the one that is wrong",
                    related=[Related(earlier.window.span, f"the other window, `{earlier.window}`")],
                )


def _from_day_before(stretch: _Open) -> str:
    return " (opened the day before)" if stretch.carried_over else ""


@check
def windows_do_not_clash(policy: Policy) -> Iterator[Diagnostic]:
    for calendar in policy.calendars.values():
        yield from _clashes(f"calendar `{calendar.id}`", _week(calendar.hours))
        for season in calendar.seasons:
            yield from _clashes(f"season `{season.name}` of calendar `{calendar.id}`", _week(season.hours))
        for override in calendar.overrides:
            owner = f"the {override.date.isoformat()} override of calendar `{calendar.id}`"
            yield from _clashes(owner, {override.date.weekday(): list(override.windows)})


@check
def seasons_and_overrides_are_distinct(policy: Policy) -> Iterator[Diagnostic]:
    for calendar in policy.calendars.values():
        seasons = [season for season in calendar.seasons if season.start <= season.end]
        for i, later in enumerate(seasons):
            for earlier in seasons[:i]:
                if later.start <= earlier.end and earlier.start <= later.end:
                    first, last = max(later.start, earlier.start), min(later.end, earlier.end)
                    yield OVERLAPPING_SEASONS.diagnostic(
                        f"seasons `{earlier.name}` and `{later.name}` of calendar `{calendar.id}` both cover "
                        f"{first.isoformat()} to {last.isoformat()}; on those dates only `{earlier.name}` applies",
                        later.span,
                        hint="end one season the day before the other starts",
                        related=[Related(earlier.span, f"season `{earlier.name}`")],
                    )
                    break
        first_override = {}
        for override in calendar.overrides:
            if override.date in first_override:
                yield DUPLICATE_OVERRIDE.diagnostic(
                    f"calendar `{calendar.id}` has two overrides for {override.date.isoformat()}; only the first applies",
                    override.span,
                    hint="keep one override per date, with the hours (or closure) that day really has",
                    related=[Related(first_override[override.date].span, "the override that applies")],
                )
            else:
                first_override[override.date] = override
