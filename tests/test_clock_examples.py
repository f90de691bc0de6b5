"""The worked examples of docs/clock.md, one test each: if a test here changes, the
document that ops leads and lawyers read changes with it."""

from __future__ import annotations

import datetime as dt

import pytest

import policyc
from policyc.clock import HorizonError, PolicyClock, to_seconds
from policyc.ir import BusinessDayMode, Clock, Duration, Target, TimeUnit

POLICY = """
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: America/New_York
horizon:
  start: 2026-01-01
  end: 2027-12-31
calendars:
  office:
    timezone: America/New_York
    hours:
      mon-fri: 09:00-17:00
    holidays:
      country: US
    overrides:
      - date: 2026-12-24
        hours: 09:00-13:00
        reason: Christmas Eve
      - date: 2026-11-26
        hours: 10:00-12:00
        reason: Thanksgiving skeleton crew
  saturdays:
    timezone: America/New_York
    hours:
      mon-fri: 09:00-17:00
      sat: 10:00-14:00
    seasons:
      - name: Summer Fridays
        from: 2026-07-01
        to: 2026-08-31
        hours:
          mon-thu: 09:00-17:00
          fri: 09:00-13:00
  nights:
    timezone: America/New_York
    hours:
      daily: 22:00-06:00+1
  early:
    timezone: America/New_York
    hours:
      sun: [01:30-05:00]
  spring:
    timezone: America/New_York
    hours:
      sun: [02:30-05:00]
  always:
    timezone: America/New_York
    hours: 24x7
    holidays:
      country: US
"""

@pytest.fixture(scope="module")
def clock() -> PolicyClock:
    return PolicyClock(policyc.resolve(policyc.loads(POLICY, "clock.policy.yaml")))


def new_york(text: str) -> dt.datetime:
    """A New York wall time, first occurrence if it repeats."""
    from policyc import tz

    return dt.datetime.fromisoformat(text).replace(tzinfo=tz.zone("America/New_York"))


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


def business(amount: int, unit: TimeUnit, calendar: str = "office", mode: BusinessDayMode | None = None) -> Target:
    from policyc.ir import Ref

    return Target(Duration(amount, unit, Clock.BUSINESS), Ref("calendar", calendar), mode)


HOURS, DAYS = TimeUnit.HOURS, TimeUnit.DAYS


def test_business_hours_skip_the_weekend_and_count_real_seconds_across_dst(clock):
    # Friday 15:00 EST; clocks go forward on Sunday 8 March; due Monday 11:00 EDT.
    due = clock.due(new_york("2026-03-06T15:00"), business(4, HOURS))
    assert due == utc("2026-03-09T15:00")


def test_a_due_instant_at_a_closing_time_is_that_closing_time(clock):
    due = clock.due(new_york("2026-03-06T15:00"), business(2, HOURS))
    assert due == new_york("2026-03-06T17:00")


def test_a_ticket_arriving_closed_starts_its_clock_at_the_next_opening(clock):
    # Saturday 14:30: the clock starts Monday 09:00.
    assert clock.clock_start(new_york("2026-03-14T14:30"), business(1, HOURS)) == new_york("2026-03-16T09:00")
    assert clock.due(new_york("2026-03-14T14:30"), business(1, HOURS)) == new_york("2026-03-16T10:00")


def test_calendar_time_ignores_the_calendar(clock):
    target = Target(Duration(4, HOURS, Clock.CALENDAR))
    assert clock.due(new_york("2026-03-14T22:00"), target) == new_york("2026-03-15T02:00")


def test_calendar_days_are_real_seconds_across_dst(clock):
    target = Target(Duration(1, DAYS, Clock.CALENDAR))
    # 24 real hours after Saturday 12:00 EST is Sunday 13:00 EDT.
    assert clock.due(new_york("2026-03-07T12:00"), target) == new_york("2026-03-08T13:00")


def test_public_holidays_are_closed_on_their_observed_date(clock):
    # 4 July 2026 is a Saturday, observed Friday 3 July.
    due = clock.due(new_york("2026-07-02T16:00"), business(4, HOURS))
    assert due == new_york("2026-07-06T12:00")


def test_a_date_override_replaces_the_day_even_on_a_holiday(clock):
    # Thanksgiving (26 November) is a holiday, but the override opens 10:00-12:00.
    assert clock.is_open(new_york("2026-11-26T11:00"), "office")
    assert not clock.is_open(new_york("2026-11-26T13:00"), "office")


def test_a_season_replaces_the_weekly_hours_and_closes_days_it_does_not_list(clock):
    assert not clock.is_open(new_york("2026-07-10T14:00"), "saturdays")  # a Summer Friday afternoon
    assert clock.is_open(new_york("2026-07-09T14:00"), "saturdays")
    assert not clock.is_open(new_york("2026-07-11T11:00"), "saturdays")  # Saturday: not listed in the season
    assert clock.is_open(new_york("2026-09-05T11:00"), "saturdays")  # Saturday after the season


def test_business_days_same_time(clock):
    due = clock.due(new_york("2026-03-06T15:00"), business(2, DAYS, mode=BusinessDayMode.SAME_TIME))
    assert due == new_york("2026-03-10T15:00")  # Tuesday, same clock time (now EDT)


def test_business_days_end_of_day(clock):
    due = clock.due(new_york("2026-03-06T15:00"), business(2, DAYS, mode=BusinessDayMode.END_OF_DAY))
    assert due == new_york("2026-03-10T17:00")


def test_business_days_start_counting_when_the_clock_starts(clock):
    # Saturday: the clock starts Monday 09:00 (day 0); two business days later is Wednesday.
    due = clock.due(new_york("2026-03-07T07:00"), business(2, DAYS, mode=BusinessDayMode.SAME_TIME))
    assert due == new_york("2026-03-11T09:00")


def test_business_days_count_saturday_when_the_calendar_opens_on_saturday(clock):
    # Friday 15:00 + 1 business day: Saturday, which is open 10:00-14:00; 15:00 is
    # after Saturday's close, so the promise is due at Saturday's close.
    due = clock.due(new_york("2026-03-13T15:00"), business(1, DAYS, "saturdays", BusinessDayMode.SAME_TIME))
    assert due == new_york("2026-03-14T14:00")


def test_same_time_before_the_day_opens_is_due_at_its_opening(clock):
    due = clock.due(new_york("2026-03-13T09:30"), business(1, DAYS, "saturdays", BusinessDayMode.SAME_TIME))
    assert due == new_york("2026-03-14T10:00")


def test_same_time_on_a_short_day_is_due_at_its_close(clock):
    # Tuesday 22 December 15:00 + 2 business days: Christmas Eve closes at 13:00.
    due = clock.due(new_york("2026-12-22T15:00"), business(2, DAYS, mode=BusinessDayMode.SAME_TIME))
    assert due == new_york("2026-12-24T13:00")


def test_an_overnight_window_belongs_to_the_day_it_opens(clock):
    # Tuesday 03:00 is inside Monday's 22:00-06:00 window: open.
    assert clock.is_open(new_york("2026-03-17T03:00"), "nights")
    # 3 business hours from 03:00 end at 06:00 sharp: the closing instant.
    assert clock.due(new_york("2026-03-17T03:00"), business(3, HOURS, "nights")) == new_york("2026-03-17T06:00")
    # 4 hours: 3 before the close, 1 after Tuesday's 22:00 opening.
    assert clock.due(new_york("2026-03-17T03:00"), business(4, HOURS, "nights")) == new_york("2026-03-17T23:00")
    # 1 business day, same time: Tuesday's window, 03:00 on Wednesday morning.
    one_day = business(1, DAYS, "nights", BusinessDayMode.SAME_TIME)
    assert clock.due(new_york("2026-03-17T03:00"), one_day) == new_york("2026-03-18T03:00")


def test_an_overnight_window_across_dst_is_as_long_as_real_time_says(clock):
    spring = clock.calendar("nights")
    night_of_change = (to_seconds(new_york("2026-03-07T22:00")), to_seconds(new_york("2026-03-08T06:00")))
    assert spring.elapsed(*night_of_change) == 7 * 3600  # the clock skipped 02:00-03:00
    night_back = (to_seconds(new_york("2026-10-31T22:00")), to_seconds(new_york("2026-11-01T06:00")))
    assert spring.elapsed(*night_back) == 9 * 3600  # 01:00-02:00 happened twice


def test_a_window_edge_in_a_skipped_hour_moves_forward_by_the_gap(clock):
    # `sun: 02:30-05:00` on 8 March 2026: 02:30 does not exist, the window opens 03:30 EDT.
    assert not clock.is_open(utc("2026-03-08T07:15"), "spring")  # 03:15 EDT
    assert clock.is_open(utc("2026-03-08T07:30"), "spring")  # 03:30 EDT


def test_a_window_edge_in_a_repeated_hour_takes_the_first_occurrence(clock):
    # `sun: 01:30-05:00` on 1 November 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    assert not clock.is_open(utc("2026-11-01T05:29"), "early")
    assert clock.is_open(utc("2026-11-01T05:30"), "early")


def test_same_time_reads_the_repeated_hour_without_going_backwards(clock):
    one_day = business(1, DAYS, "always", BusinessDayMode.SAME_TIME)
    first_pass = clock.due(utc("2026-11-01T05:50"), one_day)  # 01:50 EDT
    second_pass = clock.due(utc("2026-11-01T06:10"), one_day)  # 01:10 EST, read as 02:00
    assert first_pass == new_york("2026-11-02T01:50")
    assert second_pass == new_york("2026-11-02T02:00")


def test_24x7_still_closes_on_public_holidays(clock):
    assert clock.is_open(new_york("2026-12-24T23:59"), "always")
    assert not clock.is_open(new_york("2026-12-25T12:00"), "always")
    due = clock.due(new_york("2026-12-24T23:00"), business(2, HOURS, "always"))
    assert due == new_york("2026-12-26T01:00")


def test_elapsed_counts_only_open_seconds(clock):
    start, end = new_york("2026-03-06T15:00"), new_york("2026-03-09T11:00")
    assert clock.elapsed(start, end, "office") == 4 * 3600
    assert clock.elapsed(end, start, "office") == -4 * 3600


def test_integer_instants_answer_in_integers(clock):
    arrival = to_seconds(new_york("2026-03-06T15:00"))
    assert clock.due(arrival, business(2, HOURS)) == to_seconds(new_york("2026-03-06T17:00"))


def test_instants_without_an_offset_are_refused(clock):
    with pytest.raises(ValueError, match="no UTC offset"):
        clock.due(dt.datetime(2026, 3, 6, 15), business(2, HOURS))


@pytest.mark.parametrize(
    ("arrival", "target", "reason"),
    [
        ("2025-12-31T12:00", business(1, HOURS), "before the horizon starts"),
        ("2028-01-03T12:00", business(1, HOURS), "after the horizon ends"),
        # New Year's Day 2028 is observed on Friday 31 December 2027: no opening is left.
        ("2027-12-31T12:00", business(8, HOURS), "does not open between .* and the end of the horizon"),
        ("2027-12-30T12:00", business(8, HOURS), "falls after the horizon ends"),
        ("2027-12-30T12:00", business(3, DAYS, mode=BusinessDayMode.END_OF_DAY), "business day 3 .* falls after the horizon ends"),
    ],
)
def test_questions_outside_the_horizon_are_errors_not_guesses(clock, arrival, target, reason):
    with pytest.raises(HorizonError, match=reason):
        clock.due(new_york(arrival), target)
