"""Comparing deadlines across clocks is exact: on generated calendars (around
daylight-saving changes, with holidays, overrides and seasons), the arrival the
comparison names is real, and no arrival, sampled minute by minute and at random
seconds, makes one target later than the other by more than the comparison found."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clock_strategies import arrivals, specs
from policyc import ir
from policyc.checks.deadlines import Deadlines
from policyc.clock import HorizonError

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def policy_of(spec) -> ir.Policy:
    calendar = spec.calendar()
    return ir.Policy(
        organisation=ir.Organisation("Acme", "USD", ir.TimeZone(spec.zone)),
        horizon=spec.horizon,
        calendars=ir.Table({calendar.id: calendar}),
    )


def targets(calendar_id: str):
    on = ir.Ref("calendar", calendar_id)
    calendar_time = st.integers(60, 4 * 86_400).map(lambda s: ir.Target(ir.Duration(Decimal(s), ir.TimeUnit.SECONDS)))
    business_time = st.integers(60, 2 * 86_400).map(
        lambda s: ir.Target(ir.Duration(Decimal(s), ir.TimeUnit.SECONDS, ir.Clock.BUSINESS), calendar=on)
    )
    business_days = st.tuples(st.integers(0, 3), st.sampled_from(list(ir.BusinessDayMode))).map(
        lambda d: ir.Target(ir.Duration(Decimal(d[0]), ir.TimeUnit.DAYS, ir.Clock.BUSINESS), calendar=on, business_day_mode=d[1])
    )
    return st.one_of(calendar_time, business_time, business_days)


@BOUNDED
@given(st.data())
def test_the_worst_arrival_is_found_and_is_real(data):
    spec = data.draw(specs(), label="calendar")
    policy = policy_of(spec)
    deadlines = Deadlines(policy)
    assume(deadlines.clock.calendar("generated").starts)
    a = data.draw(targets("generated"), label="a")
    b = data.draw(targets("generated"), label="b")
    assume(a.duration.clock is not b.duration.clock or a.duration.is_business_days != b.duration.is_business_days)

    def difference(arrival):
        try:
            return deadlines.due(arrival, a) - deadlines.due(arrival, b)
        except HorizonError:
            return None

    later = deadlines.later(a, b, or_at=True)
    sampled = [data.draw(arrivals(spec), label=f"arrival {i}") + data.draw(st.integers(0, 59)) for i in range(40)]
    lower, upper = deadlines.span(a, b)
    found = [d for d in (difference(t) for t in sampled if lower <= t <= upper) if d is not None]
    if later is None:
        assert all(d < 0 for d in found), "an arrival makes `a` due at or after `b`, and the comparison missed it"
        return
    assert later.due_a == deadlines.due(later.arrival, a) and later.due_b == deadlines.due(later.arrival, b)
    assert later.due_a >= later.due_b
    assert all(d <= later.due_a - later.due_b for d in found), "a sampled arrival is worse than the worst found"


@BOUNDED
@given(st.data())
def test_the_first_unstaffed_arrival_is_the_first(data):
    """`Work.first_unstaffed`: the arrival it names breaks the deadline (nobody is
    open from the start of the work until after it is due), and no sampled arrival
    before it does; with none named, no sampled arrival does."""
    from policyc.checks.deadlines import Work
    from policyc.clock.intervals import OpenTime

    spec = data.draw(specs(), label="staffing")
    policy = policy_of(spec)
    deadlines = Deadlines(policy)
    staffed = OpenTime.of(deadlines.clock.calendar("generated"))
    assume(staffed)
    start = data.draw(st.sampled_from([0, 600, 3600]).map(lambda s: ir.Target(ir.Duration(Decimal(s), ir.TimeUnit.SECONDS))), label="start")
    done = data.draw(targets("generated").filter(lambda t: t.duration.clock is ir.Clock.CALENDAR), label="done")
    work = Work(deadlines, start, done)

    def breaks(arrival):
        try:
            begin, end = deadlines.due(arrival, start), deadlines.due(arrival, done)
        except HorizonError:
            return None
        opening = staffed.next_open(begin)
        return None if opening is None else opening > end

    found = work.first_unstaffed(staffed)
    lower, upper = deadlines.span(start, done)
    sampled = sorted(t for t in (data.draw(arrivals(spec)) + data.draw(st.integers(0, 59)) for _ in range(40)) if lower <= t <= upper)
    if found is None:
        assert not any(breaks(t) for t in sampled)
        return
    assert breaks(found[0]) is True
    assert not any(breaks(t) for t in sampled if t < found[0])
