"""The clock against two independent libraries, on generated calendars.

- `businesstimedelta`: due instants and elapsed business time, in real time zones with
  holidays. It is wrong on windows that cross midnight, and it reads a repeated hour as
  its second occurrence where policyc takes the first, so the calendars here have
  neither: windows lie between 04:00 and 23:00, on any weekdays, in any of the zones.
- pandas `CustomBusinessHour`: due instants for whole-hour targets. It works on the
  local wall clock with one set of windows for all working days, so the calendars here
  are exactly that, away from the hours clocks change. pandas answers the next opening
  where policyc answers the closing instant (a target met "by 17:00 Friday" rather
  than "by 09:00 Monday"); that convention, and nothing else, is normalised.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clock_reference import Reference, Spec
from clock_strategies import ZONES, arrivals
from policyc.clock.calendar import CompiledCalendar, HorizonError

btd = pytest.importorskip("businesstimedelta")
pd = pytest.importorskip("pandas")
pytz = pytest.importorskip("pytz")

BOUNDED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Whole-hour windows from 04:00 to 23:00: no midnight, no hour that DST skips or repeats.
hour_window = st.tuples(st.integers(4, 22), st.integers(1, 19)).map(lambda w: (w[0] * 60, min(23, w[0] + w[1]) * 60))


def _two_windows(first: tuple[int, int], gap: int, length: int) -> tuple[tuple[int, int], ...]:
    second_start = first[1] + gap * 60
    if second_start + 60 > 23 * 60:
        return (first,)
    return (first, (second_start, min(23 * 60, second_start + length * 60)))


day_windows = st.one_of(
    st.just(()),
    hour_window.map(lambda w: (w,)),
    st.builds(_two_windows, hour_window, st.integers(1, 3), st.integers(1, 6)),
)


@st.composite
def daytime_specs(draw, *, same_hours_every_day: bool = False) -> Spec:
    zone = draw(st.sampled_from(sorted(ZONES)))
    change = draw(st.sampled_from(ZONES[zone]))
    first, last = change - dt.timedelta(days=10), change + dt.timedelta(days=30)
    dates = st.integers(0, (last - first).days).map(lambda n: first + dt.timedelta(days=n))
    if same_hours_every_day:
        windows = draw(day_windows.filter(bool))
        weekly = {day: windows for day in draw(st.sets(st.integers(0, 6), min_size=1))}
    else:
        weekly = draw(st.dictionaries(st.integers(0, 6), day_windows, min_size=1))
    return Spec(zone=zone, first=first, last=last, weekly=weekly, holidays=frozenset(draw(st.lists(dates, max_size=4))), change=change)


# --- businesstimedelta -------------------------------------------------------------------


def _businesstimedelta_rules(spec: Spec):
    zone = pytz.timezone(spec.zone)
    by_window: dict[tuple[int, int], list[int]] = {}
    for day, windows in spec.weekly.items():
        for window in windows:
            by_window.setdefault(window, []).append(day)
    rules = [
        btd.WorkDayRule(start_time=dt.time(start // 60), end_time=dt.time(end // 60), working_days=sorted(days), tz=zone)
        for (start, end), days in sorted(by_window.items())
    ]
    # It looks for the next holiday within five years and fails if there is none: give
    # it one a year after the horizon, where it changes nothing.
    holidays = sorted(spec.holidays) + [spec.last + dt.timedelta(days=365)]
    return btd.Rules(rules + [btd.HolidayRule(holidays, tz=zone)])


def _utc(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def check_against_businesstimedelta(data):
    spec = data.draw(daytime_specs(), label="calendar")
    assume(any(spec.weekly.values()))
    engine = CompiledCalendar(spec.calendar(), spec.horizon)
    rules = _businesstimedelta_rules(spec)
    arrival = data.draw(arrivals(spec), label="arrival") + data.draw(st.integers(0, 59), label="seconds")
    seconds = data.draw(st.integers(0, 3 * 86_400), label="business seconds")
    moment = dt.datetime.fromtimestamp(arrival, dt.timezone.utc)
    try:
        due = engine.add(arrival, seconds)
    except HorizonError:
        return  # businesstimedelta has no horizon: it would answer from beyond ours
    assert due == _utc(moment + btd.BusinessTimeDelta(rules, seconds=seconds))
    later = arrival + data.draw(st.integers(0, 5 * 86_400), label="later by")
    if later <= engine.limit:
        difference = rules.difference(moment, dt.datetime.fromtimestamp(later, dt.timezone.utc))
        assert engine.elapsed(arrival, later) == int(difference.timedelta.total_seconds())


@BOUNDED
@given(st.data())
def test_due_and_elapsed_agree_with_businesstimedelta(data):
    check_against_businesstimedelta(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_due_and_elapsed_agree_with_businesstimedelta_thoroughly(data):
    check_against_businesstimedelta(data)


# --- pandas ------------------------------------------------------------------------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _custom_business_hour(spec: Spec):
    windows = next(w for w in spec.weekly.values() if w)
    return pd.offsets.CustomBusinessHour(
        start=[f"{start // 60:02d}:00" for start, _ in windows],
        end=[f"{end // 60:02d}:00" for _, end in windows],
        weekmask=" ".join(_WEEKDAYS[day] for day in sorted(spec.weekly)),
        holidays=sorted(spec.holidays),
    )


def check_against_pandas(data):
    spec = data.draw(daytime_specs(same_hours_every_day=True), label="calendar")
    engine = CompiledCalendar(spec.calendar(), spec.horizon)
    reference = Reference(spec)
    arrival = data.draw(arrivals(spec), label="arrival")
    local = dt.datetime.fromtimestamp(arrival, reference.zone)
    assume(not local.fold)  # a wall time that happens twice is not one pandas timestamp
    hours = data.draw(st.integers(1, 40), label="business hours")
    try:
        due = engine.add(arrival, hours * 3600)
    except HorizonError:
        return
    assume(due < engine.ends[-1])  # pandas would name an opening after the horizon
    # pandas' convention: a target that ends at a closing time is due at the next opening.
    opening_after = engine.clock_start(due)
    expected = pd.Timestamp(local.replace(tzinfo=None)) + hours * _custom_business_hour(spec)
    assert dt.datetime.fromtimestamp(opening_after, reference.zone).replace(tzinfo=None) == expected.to_pydatetime()


@BOUNDED
@given(st.data())
def test_whole_hour_due_instants_agree_with_pandas(data):
    check_against_pandas(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_whole_hour_due_instants_agree_with_pandas_thoroughly(data):
    check_against_pandas(data)
