"""Routing tickets: where each one goes and when each of its promises is due.

The decisions come from `policyc.match` (the same meaning of selectors the checker and
every back end use); this module adds the clock: whether a calendar is open when the
ticket arrives (for `open:`/`closed:` routing conditions) and the due instant of every
SLA target that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from policyc import match
from policyc.clock import HorizonError, PolicyClock
from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.rules import define
from policyc.ir import BusinessDayMode, Clock, Ladder, Metric, Policy, RoutingRule, Target
from policyc.literals import format_duration
from policyc.tickets import Row, RowChecker, TicketRow, field_span

OUTSIDE_HORIZON = define(
    "PC904",
    "outside-horizon",
    Severity.ERROR,
    "A ticket whose deadline or routing needs a calendar outside the dates the policy covers.",
    what="""
        Reports a ticket given to `policyc route` that arrives before the policy's
        horizon starts, or whose business-time due instant (or the next opening of its
        calendar) falls after the horizon ends; and a policy whose tickets need a
        calendar but that has no horizon at all. With a horizon from 2026-01-01 to
        2027-12-31, this row is reported:

        ```jsonl
        {"id": "T-1", "created_at": "2028-06-01T12:00:00Z", "tier": "pro", "channel": "email", "priority": "P2"}
        ```

        and this one is routed:

        ```jsonl
        {"id": "T-1", "created_at": "2027-06-01T12:00:00Z", "tier": "pro", "channel": "email", "priority": "P2"}
        ```
    """,
    why="""
        Calendars are expanded, and public holidays resolved, only for the horizon
        (`horizon:`, or two years from `organisation.contract.effective_date`). Beyond
        it policyc does not know which days are holidays, so it refuses to answer rather
        than promise a wrong instant. Extend the horizon to route such tickets.
    """,
    subject="tickets",
)


@dataclass(slots=True)
class Deadline:
    """One SLA metric of one ticket."""

    metric: Metric
    target: Target
    clock_start: int
    due_at: int

    @property
    def text(self) -> str:
        """The target as the policy writes it, e.g. `4 business hours`."""
        return format_duration(self.target.duration)

    @property
    def seconds(self) -> int | None:
        """The target's length in seconds, if it has a fixed one (business days do not)."""
        duration = self.target.duration
        return None if duration.is_business_days else duration.seconds

    @property
    def calendar(self) -> str | None:
        if self.target.duration.clock is Clock.CALENDAR or self.target.calendar is None:
            return None
        return self.target.calendar.id

    @property
    def business_day_mode(self) -> BusinessDayMode | None:
        """How business days are counted, for business-day targets only."""
        if not self.target.duration.is_business_days:
            return None
        return self.target.business_day_mode or BusinessDayMode.SAME_TIME


@dataclass(slots=True)
class Routed:
    """Where one ticket goes and when its promises (and objectives) are due."""

    row: TicketRow
    queue: str | None
    rule: RoutingRule | None  # None: the policy's default queue
    ladder: Ladder | None
    promises: tuple[Deadline, ...]
    objectives: tuple[Deadline, ...] = ()


# Kinds of ticket whose decisions are remembered; far more than a policy's vocabularies
# make, so the cache only ever empties when tickets carry many distinct languages.
_MAX_DECISIONS = 1 << 16


@dataclass(frozen=True)
class _Decision:
    queue: str | None
    rule: RoutingRule | None
    ladder: Ladder | None
    promises: tuple[tuple[Metric, Target], ...]
    objectives: tuple[tuple[Metric, Target], ...]


class Router:
    """Routes tickets of one resolved, checked policy. Decisions are cached per kind of
    ticket (its fields, and which gating calendars are open), so millions of tickets
    cost one lookup each."""

    def __init__(self, policy: Policy, *, objectives: bool = False):
        """`policy` is resolved and free of errors. Raises `PolicyError` if its tickets
        need a calendar but it has no horizon."""
        self.policy = policy
        self.clock = PolicyClock(policy)
        self.objectives = objectives
        # Calendars that `open:`/`closed:` routing conditions ask about, in a fixed order.
        self.gates = sorted({ref.id for rule in policy.routing.rules for ref in (rule.match.open, rule.match.closed) if ref is not None})
        self._decisions: dict[tuple, _Decision] = {}
        business = any(target.duration.clock is Clock.BUSINESS for entry in policy.sla for _, target in entry.targets)
        if policy.horizon is None and (self.gates or business):
            from policyc import PolicyError

            raise PolicyError([no_horizon_diagnostic(policy)])

    def _decide(self, ticket: match.Ticket, open_now: tuple[bool, ...]) -> _Decision:
        key = (ticket, open_now)
        decision = self._decisions.get(key)
        if decision is None:
            if len(self._decisions) >= _MAX_DECISIONS:  # free-text languages: keep memory flat
                self._decisions.clear()
            states = dict(zip(self.gates, open_now))
            queue, rule = match.route(self.policy, ticket, states.__getitem__)
            found = match.sla_targets(self.policy, ticket)
            wanted = match.sla_targets(self.policy, ticket, internal=True) if self.objectives else {}
            decision = _Decision(
                queue,
                rule,
                match.ladder_for(self.policy, ticket),
                tuple((metric, applied.target) for metric, applied in found.items()),
                tuple((metric, applied.target) for metric, applied in wanted.items()),
            )
            self._decisions[key] = decision
        return decision

    def _deadline(self, arrival: int, metric: Metric, target: Target) -> Deadline:
        return Deadline(metric, target, *self.clock.start_and_due(arrival, target))

    def route(self, row: TicketRow) -> Routed:
        """Raises `HorizonError` if an answer needs a calendar outside the horizon."""
        arrival = row.created_at
        open_now = tuple(self.clock.is_open(arrival, gate) for gate in self.gates)
        decision = self._decide(row.ticket, open_now)
        return Routed(
            row,
            decision.queue,
            decision.rule,
            decision.ladder,
            tuple(self._deadline(arrival, metric, target) for metric, target in decision.promises),
            tuple(self._deadline(arrival, metric, target) for metric, target in decision.objectives),
        )


@dataclass(frozen=True)
class Rejected:
    """A row that was not routed, and why."""

    row: Row
    diagnostics: tuple[Diagnostic, ...]


def route_rows(router: Router, rows: Iterable[Row], tickets_file: str) -> Iterator[Routed | Rejected]:
    """Check and route rows one at a time, in order."""
    checker = RowChecker(router.policy, tickets_file)
    for row in rows:
        checked = checker.check(row)
        if isinstance(checked, list):
            yield Rejected(row, tuple(checked))
            continue
        try:
            yield router.route(checked)
        except HorizonError as error:
            yield Rejected(row, (horizon_diagnostic(error, row, checked, tickets_file),))


def horizon_diagnostic(error: HorizonError, row: Row, ticket: TicketRow, tickets_file: str) -> Diagnostic:
    return OUTSIDE_HORIZON.diagnostic(
        f"row {ticket.number} (ticket `{ticket.id}`): calendar `{error.calendar}`: {error.reason}",
        field_span(tickets_file, row, "created_at"),
        hint=f"the policy covers {error.first} to {error.last}; extend `horizon:` to route this ticket",
    )


def no_horizon_diagnostic(policy: Policy) -> Diagnostic:
    return OUTSIDE_HORIZON.diagnostic(
        "the policy sets no horizon, so no calendar can be read to route tickets",
        policy.organisation.span,
        hint="add `horizon:` with `start` and `end` dates, or `organisation.contract.effective_date`",
    )
