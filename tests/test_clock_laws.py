"""The arithmetic laws of the clock, on generated calendars and arrivals to the second:

- elapsed(a, due(a, t)) == t for business-time targets;
- due is monotone in the arrival and in the target (business hours and business days,
  in both business-day modes): a later ticket or a longer target is never due earlier.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clock_strategies import arrivals, specs
from policyc.clock.calendar import CompiledCalendar, HorizonError
from policyc.ir import BusinessDayMode

BOUNDED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _calendar_and_arrival(data):
    spec = data.draw(specs(), label="calendar")
    arrival = data.draw(arrivals(spec), label="arrival") + data.draw(st.integers(0, 59), label="seconds")
    return CompiledCalendar(spec.calendar(), spec.horizon), arrival


def _answer(compute):
    try:
        return compute()
    except HorizonError:
        return None


def check_elapsed_undoes_due(data):
    engine, arrival = _calendar_and_arrival(data)
    seconds = data.draw(st.integers(0, 5 * 86_400), label="business seconds")
    due = _answer(lambda: engine.add(arrival, seconds))
    assume(due is not None)
    assert engine.elapsed(arrival, due) == seconds


def check_due_is_monotone(data):
    engine, arrival = _calendar_and_arrival(data)
    later = arrival + data.draw(st.integers(0, 3 * 86_400), label="later by")
    seconds = data.draw(st.integers(0, 3 * 86_400), label="business seconds")
    longer = seconds + data.draw(st.integers(0, 86_400), label="longer by")
    pairs = [
        (lambda: engine.add(arrival, seconds), lambda: engine.add(later, seconds)),
        (lambda: engine.add(arrival, seconds), lambda: engine.add(arrival, longer)),
    ]
    days = data.draw(st.integers(0, 4), label="business days")
    more_days = days + data.draw(st.integers(0, 3), label="more days")
    for mode in BusinessDayMode:
        pairs += [
            (lambda m=mode: engine.add_business_days(arrival, days, m), lambda m=mode: engine.add_business_days(later, days, m)),
            (lambda m=mode: engine.add_business_days(arrival, days, m), lambda m=mode: engine.add_business_days(arrival, more_days, m)),
        ]
    for earlier_due, later_due in pairs:
        first, second = _answer(earlier_due), _answer(later_due)
        if first is not None and second is not None:
            assert first <= second


@BOUNDED
@given(st.data())
def test_elapsed_undoes_due(data):
    check_elapsed_undoes_due(data)


@BOUNDED
@given(st.data())
def test_due_is_monotone_in_arrival_and_target(data):
    check_due_is_monotone(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_elapsed_undoes_due_thoroughly(data):
    check_elapsed_undoes_due(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_due_is_monotone_in_arrival_and_target_thoroughly(data):
    check_due_is_monotone(data)
