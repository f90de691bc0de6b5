"""Calendars and their windows: time zones, window shapes, date ranges."""

from __future__ import annotations

from typing import Iterator

from policyc.checks import check
from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Calendar, Policy, Window

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
