"""The breakpoints of a due instant are complete: between two consecutive ones (and
their neighbours), the due instant is a straight line of slope 0 or 1 in the arrival,
on generated calendars around daylight-saving changes, to the second. That is what
makes comparing two deadlines over a whole horizon exact."""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clock_strategies import arrivals, specs
from policyc.clock.breakpoints import calendar_breakpoints, instant_at
from policyc.clock.calendar import CompiledCalendar, HorizonError
from policyc.ir import BusinessDayMode, Clock, Duration, TimeUnit

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def durations():
    seconds = st.integers(1, 3 * 86_400).map(lambda s: (Duration(Decimal(s), TimeUnit.SECONDS, Clock.BUSINESS), None))
    days = st.tuples(st.integers(0, 4), st.sampled_from(list(BusinessDayMode))).map(
        lambda d: (Duration(Decimal(d[0]), TimeUnit.DAYS, Clock.BUSINESS), d[1])
    )
    return st.one_of(seconds, days)


def _due(calendar, arrival, duration, mode):
    try:
        if duration.is_business_days:
            return calendar.add_business_days(arrival, duration.business_days, mode)
        return calendar.add(arrival, duration.seconds)
    except HorizonError:
        return None


@BOUNDED
@given(st.data())
def test_due_is_a_straight_line_between_breakpoints(data):
    spec = data.draw(specs(), label="calendar")
    calendar = CompiledCalendar(spec.calendar(), spec.horizon)
    assume(calendar.starts)
    duration, mode = data.draw(durations(), label="target")
    points = calendar_breakpoints(calendar, duration, mode)
    marks = sorted({p + d for p in points for d in (-1, 0, 1)} | {calendar.lower})
    arrival = data.draw(arrivals(spec), label="arrival") + data.draw(st.integers(0, 59), label="seconds")
    index = bisect_right(marks, arrival) - 1
    assume(0 <= index < len(marks) - 1)
    left, right = marks[index], marks[index + 1]
    assume(right - left >= 2)
    due_left, due_right, due_here = (_due(calendar, t, duration, mode) for t in (left, right, arrival))
    assume(None not in (due_left, due_right, due_here))
    slope = (due_right - due_left) / (right - left)
    assert slope in (0, 1), f"due moves at slope {slope} between {left} and {right}"
    assert due_here == due_left + slope * (arrival - left)


@BOUNDED
@given(st.data())
def test_instant_at_is_where_the_clock_starts(data):
    spec = data.draw(specs(), label="calendar")
    calendar = CompiledCalendar(spec.calendar(), spec.horizon)
    assume(calendar.starts)
    arrival = data.draw(arrivals(spec), label="arrival") + data.draw(st.integers(0, 59), label="seconds")
    position = calendar.position(arrival)
    assume(position < calendar.total)
    assert instant_at(calendar, position) == calendar.clock_start(arrival)
