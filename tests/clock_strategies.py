"""Hypothesis strategies for the clock tests: calendars around daylight-saving changes,
arrivals and targets."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from clock_reference import Reference, Spec

# Zones with a daylight-saving change (or none) and the dates of the changes in 2026.
ZONES = {
    "America/New_York": (dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    "Europe/London": (dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
    "Australia/Sydney": (dt.date(2026, 4, 5), dt.date(2026, 10, 4)),
    "Asia/Kolkata": (dt.date(2026, 6, 1),),
}
DAYS_BEFORE, DAYS_AFTER = 10, 20

# Window edges on the half hour, so that many fall inside the hours DST skips or repeats.
windows = st.builds(
    lambda start, length: (start * 30, start * 30 + length * 30),
    st.integers(0, 47),
    st.integers(1, 48),
)
day_windows = st.lists(windows, max_size=2).map(tuple)
weekly = st.dictionaries(st.integers(0, 6), day_windows, max_size=7)


@st.composite
def specs(draw) -> Spec:
    zone = draw(st.sampled_from(sorted(ZONES)))
    change = draw(st.sampled_from(ZONES[zone]))
    first = change - dt.timedelta(days=DAYS_BEFORE)
    last = change + dt.timedelta(days=DAYS_AFTER)
    dates = st.integers(0, (last - first).days).map(lambda n: first + dt.timedelta(days=n))
    seasons = ()
    if draw(st.booleans()):
        start = draw(dates)
        seasons = ((start, start + dt.timedelta(days=draw(st.integers(0, 10))), draw(weekly)),)
    return Spec(
        zone=zone,
        first=first,
        last=last,
        weekly=draw(weekly),
        always_open=draw(st.integers(0, 7)) == 0,
        overrides=draw(st.dictionaries(dates, day_windows, max_size=3)),
        holidays=frozenset(draw(st.lists(dates, max_size=3))),
        seasons=seasons,
        change=change,
    )


def arrivals(spec: Spec, days: int = DAYS_BEFORE + 4):
    """Whole-minute arrivals from the start of the horizon, over `days` days, often in
    the hours around the daylight-saving change."""
    reference = Reference(spec)
    lower = reference.instant(spec.first, 0)
    anywhere = st.integers(0, days * 1440).map(lambda minutes: lower + minutes * 60)
    change_night = reference.instant(spec.change, 0) if spec.change else lower
    near_change = st.integers(-6 * 60, 30 * 60).map(lambda minutes: change_night + minutes * 60)
    return st.one_of(anywhere, near_change)
