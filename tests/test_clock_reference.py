"""The engine against the minute-by-minute reference, on generated calendars: overnight
windows, several windows a day, different hours per weekday, date overrides, holidays,
seasons and 24x7, in zones whose clocks go forward and back (and one that never does).

The default run tries a bounded number of calendars; `pytest -m slow` tries many more.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clock_reference import Reference
from clock_strategies import arrivals, specs
from policyc.clock.calendar import CompiledCalendar, HorizonError
from policyc.ir import BusinessDayMode

BOUNDED = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _draw(data):
    spec = data.draw(specs(), label="calendar")
    return spec, Reference(spec), CompiledCalendar(spec.calendar(), spec.horizon)


def _same(expected, compute):
    """The engine agrees with the reference, including on "not within the horizon"."""
    if expected is None:
        with pytest.raises(HorizonError):
            compute()
    else:
        assert compute() == expected


def check_open_and_start(data):
    spec, reference, engine = _draw(data)
    for arrival in data.draw(st.lists(arrivals(spec), min_size=1, max_size=20), label="arrivals"):
        assert engine.is_open(arrival) == reference.is_open(arrival)
        _same(reference.clock_start(arrival), lambda: engine.clock_start(arrival))


def check_due(data):
    spec, reference, engine = _draw(data)
    for _ in range(5):
        arrival = data.draw(arrivals(spec), label="arrival")
        closings = [c for c in reference.closings if c > arrival][:6]
        if closings and data.draw(st.booleans(), label="aim at a closing time"):
            minutes = reference.elapsed(arrival, data.draw(st.sampled_from(closings), label="closing")) // 60
        else:
            minutes = data.draw(st.integers(0, 4 * 1440), label="business minutes")
        _same(reference.due(arrival, minutes), lambda: engine.add(arrival, minutes * 60))


def check_elapsed(data):
    spec, reference, engine = _draw(data)
    start = data.draw(arrivals(spec), label="start")
    end = start + data.draw(st.integers(0, 6 * 1440), label="minutes later") * 60
    assert engine.elapsed(start, end) == reference.elapsed(start, end)
    assert engine.elapsed(end, start) == -reference.elapsed(start, end)


def check_business_days(data):
    spec, reference, engine = _draw(data)
    for _ in range(5):
        arrival = data.draw(arrivals(spec), label="arrival")
        days = data.draw(st.one_of(st.integers(1, 5), st.just(0)), label="business days")
        mode = data.draw(st.sampled_from(BusinessDayMode), label="mode")
        _same(reference.due_business_days(arrival, days, mode), lambda: engine.add_business_days(arrival, days, mode))


@BOUNDED
@given(st.data())
def test_open_and_clock_start_match_the_reference(data):
    check_open_and_start(data)


@BOUNDED
@given(st.data())
def test_due_matches_the_reference(data):
    check_due(data)


@BOUNDED
@given(st.data())
def test_elapsed_matches_the_reference(data):
    check_elapsed(data)


@BOUNDED
@given(st.data())
def test_business_days_match_the_reference(data):
    check_business_days(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_open_and_clock_start_match_the_reference_thoroughly(data):
    check_open_and_start(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_due_matches_the_reference_thoroughly(data):
    check_due(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_elapsed_matches_the_reference_thoroughly(data):
    check_elapsed(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_business_days_match_the_reference_thoroughly(data):
    check_business_days(data)
