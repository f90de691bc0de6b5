"""The bulk clock gives, ticket for ticket, the single-ticket answers."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clock_strategies import arrivals, specs
from policyc.clock import bulk
from policyc.clock.calendar import CompiledCalendar, HorizonError
from policyc.ir import BusinessDayMode

np = pytest.importorskip("numpy")

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _single(compute, values):
    return np.asarray([compute(int(v)) for v in values], dtype=np.int64)


@BOUNDED
@given(st.data())
def test_bulk_answers_equal_single_answers(data):
    check_bulk_equals_single(data)


@pytest.mark.slow
@THOROUGH
@given(st.data())
def test_bulk_answers_equal_single_answers_thoroughly(data):
    check_bulk_equals_single(data)


def check_bulk_equals_single(data):
    spec = data.draw(specs(), label="calendar")
    engine = CompiledCalendar(spec.calendar(), spec.horizon)
    instants = np.asarray(data.draw(st.lists(arrivals(spec), min_size=1, max_size=40), label="arrivals"), dtype=np.int64)
    instants += data.draw(st.integers(0, 59), label="seconds")
    later = instants + data.draw(st.integers(0, 3 * 86_400), label="later by")
    seconds = data.draw(st.integers(0, 2 * 86_400), label="business seconds")
    days = data.draw(st.integers(0, 3), label="business days")

    assert (bulk.is_open(engine, instants) == np.asarray([engine.is_open(int(v)) for v in instants])).all()
    assert (bulk.elapsed(engine, instants, later) == np.asarray([engine.elapsed(int(a), int(b)) for a, b in zip(instants, later)])).all()
    questions = [
        (lambda: bulk.clock_start(engine, instants), engine.clock_start),
        (lambda: bulk.add(engine, instants, seconds), lambda a: engine.add(a, seconds)),
    ]
    for mode in BusinessDayMode:
        questions.append(
            (lambda m=mode: bulk.add_business_days(engine, instants, days, m), lambda a, m=mode: engine.add_business_days(a, days, m))
        )
    for many, one in questions:
        try:
            expected = _single(one, instants)
        except HorizonError:
            with pytest.raises(HorizonError):
                many()
        else:
            assert (many() == expected).all()


def test_bulk_takes_a_target_per_ticket(office):
    arrivals = np.asarray([office.lower + 3600 * k for k in range(0, 200, 7)], dtype=np.int64)
    seconds = np.arange(len(arrivals), dtype=np.int64) * 1800
    expected = [office.add(int(a), int(s)) for a, s in zip(arrivals, seconds)]
    assert bulk.add(office, arrivals, seconds).tolist() == expected


def test_bulk_refuses_instants_outside_the_horizon(office):
    with pytest.raises(HorizonError, match="before the horizon starts"):
        bulk.add(office, np.asarray([office.lower, office.lower - 1]), 3600)
    with pytest.raises(HorizonError, match="after the horizon ends"):
        bulk.add(office, np.asarray([office.upper - 60]), 86_400)


def test_policyc_check_does_not_import_numpy():
    import subprocess

    code = (
        "import sys; from policyc.pipeline import check_paths; "
        "check_paths(['tests/fixtures/every-key.policy.yaml']); print('numpy' in sys.modules)"
    )
    from conftest import ROOT

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.fixture(scope="module")
def office() -> CompiledCalendar:
    import datetime as dt

    from policyc import ir

    calendar = ir.Calendar(
        "office",
        ir.TimeZone("America/New_York"),
        hours=(ir.WeeklyHours(frozenset(ir.Weekday(d) for d in range(5)), (ir.Window(ir.TimeOfDay(540), ir.TimeOfDay(1020)),)),),
    )
    return CompiledCalendar(calendar, ir.Horizon(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))


def test_the_policy_clock_answers_in_bulk_as_it_does_one_by_one():
    import policyc
    from conftest import ROOT
    from policyc.clock import PolicyClock

    policy = policyc.resolve(policyc.load(ROOT / "tests" / "fixtures" / "route" / "helpdesk.policy.yaml"))
    clock = PolicyClock(policy)
    office = clock.calendar("office")
    arrivals = np.asarray([office.lower + 5_000 * k for k in range(1, 6000, 37)], dtype=np.int64)
    targets = [target for entry in policy.sla for _, target in entry.targets]
    assert {t.duration.clock.value for t in targets} == {"business", "calendar"}
    for target in targets:
        assert clock.due_many(arrivals, target).tolist() == [clock.due(int(a), target) for a in arrivals]
    later = arrivals + 100_000
    assert clock.elapsed_many(arrivals, later, "nights").tolist() == [clock.elapsed(int(a), int(b), "nights") for a, b in zip(arrivals, later)]
