"""The SLA clock: due instants and elapsed business time, exact to the second.

    import policyc
    from policyc.clock import PolicyClock

    policy = policyc.resolve(policyc.load("policy.yaml"))
    clock = PolicyClock(policy)
    due = clock.due(arrival, target)             # arrival: aware datetime or UTC seconds
    spent = clock.elapsed(start, end, "office")  # open seconds of calendar `office`
    dues = clock.due_many(arrivals, target)      # numpy arrays of UTC seconds

Each calendar is compiled once (`policyc.clock.calendar`) into UTC open intervals over
the policy's horizon; single answers use `bisect`, and `policyc.clock.bulk` answers
millions at once with numpy. The rules are written down for people in `docs/clock.md`.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from policyc.clock.calendar import CompiledCalendar, HorizonError, iso
from policyc.ir import BusinessDayMode, Clock, Policy, Target

__all__ = ["CompiledCalendar", "HorizonError", "PolicyClock", "compile_calendar", "iso", "to_seconds"]

Instant = TypeVar("Instant", int, dt.datetime)


def compile_calendar(policy: Policy, calendar_id: str) -> CompiledCalendar:
    """Compile one calendar of a resolved policy over the policy's horizon."""
    if policy.horizon is None:
        raise ValueError(
            "the policy has no horizon: add `horizon:` (start and end dates) or `organisation.contract.effective_date`"
        )
    return CompiledCalendar(policy.calendars[calendar_id], policy.horizon)


def to_seconds(instant: int | dt.datetime) -> int:
    """UTC seconds since the epoch; a fraction of a second is dropped."""
    if isinstance(instant, dt.datetime):
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{instant.isoformat()} has no UTC offset: the clock needs to know which instant it is")
        return int((instant - _EPOCH) // _ONE_SECOND)
    return int(instant)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_ONE_SECOND = dt.timedelta(seconds=1)


def _like(value: int, model: int | dt.datetime):
    if isinstance(model, dt.datetime):
        return _EPOCH + dt.timedelta(seconds=value)
    return value


class PolicyClock:
    """Due instants and elapsed business time for one resolved policy."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self._calendars: dict[str, CompiledCalendar] = {}
        # Per target (by identity, kept alive here): its calendar and its length.
        self._plans: dict[int, tuple[Target, CompiledCalendar | None, int, BusinessDayMode | None]] = {}

    def calendar(self, calendar_id: str) -> CompiledCalendar:
        compiled = self._calendars.get(calendar_id)
        if compiled is None:
            compiled = self._calendars[calendar_id] = compile_calendar(self.policy, calendar_id)
        return compiled

    def _plan(self, target: Target) -> tuple[Target, CompiledCalendar | None, int, BusinessDayMode | None]:
        plan = self._plans.get(id(target))
        if plan is None:
            duration = target.duration
            if duration.clock is Clock.CALENDAR:
                plan = (target, None, duration.seconds, None)
            else:
                if target.calendar is None:
                    raise ValueError("a business-time target needs a calendar (the policy was not resolved)")
                calendar = self.calendar(target.calendar.id)
                if duration.is_business_days:
                    mode = target.business_day_mode or BusinessDayMode.SAME_TIME
                    plan = (target, calendar, duration.business_days, mode)
                else:
                    plan = (target, calendar, duration.seconds, None)
            self._plans[id(target)] = plan
        return plan

    def due(self, arrival: Instant, target: Target) -> Instant:
        """When `target` is due for a ticket arriving at `arrival` (an aware datetime,
        answered as a UTC datetime, or UTC seconds, answered in seconds)."""
        return _like(self.start_and_due(to_seconds(arrival), target)[1], arrival)

    def clock_start(self, arrival: Instant, target: Target) -> Instant:
        """When the target's clock starts: the arrival, or for business time the next
        opening of its calendar if it is closed then."""
        return _like(self.start_and_due(to_seconds(arrival), target)[0], arrival)

    def start_and_due(self, arrival: int, target: Target) -> tuple[int, int]:
        """When the target's clock starts and when it is due, in UTC seconds."""
        _, calendar, amount, mode = self._plan(target)
        if calendar is None:
            return arrival, arrival + amount
        if mode is None:
            return calendar.clock_start(arrival), calendar.add(arrival, amount)
        return calendar.clock_start(arrival), calendar.add_business_days(arrival, amount, mode)

    def elapsed(self, start: int | dt.datetime, end: int | dt.datetime, calendar_id: str) -> int:
        """Open seconds of a calendar between two instants."""
        return self.calendar(calendar_id).elapsed(to_seconds(start), to_seconds(end))

    def is_open(self, instant: int | dt.datetime, calendar_id: str) -> bool:
        return self.calendar(calendar_id).is_open(to_seconds(instant))

    # --- in bulk (numpy arrays of UTC seconds) ----------------------------------------------

    def due_many(self, arrivals, target: Target):
        """Due instants of `target` for an array of arrivals (UTC seconds, int64)."""
        from policyc.clock import bulk

        _, calendar, amount, mode = self._plan(target)
        if calendar is None:
            return bulk.numpy().asarray(arrivals, dtype="int64") + amount
        if mode is None:
            return bulk.add(calendar, arrivals, amount)
        return bulk.add_business_days(calendar, arrivals, amount, mode)

    def elapsed_many(self, starts, ends, calendar_id: str):
        """Open seconds of a calendar between pairs of instants (arrays of UTC seconds)."""
        from policyc.clock import bulk

        return bulk.elapsed(self.calendar(calendar_id), starts, ends)
