"""Coverage: promises that need someone at work when nobody is.

A tier's `coverage` is kept when, whenever its coverage calendar is open, at least one
of the staffed channels it includes is open. A deadline is kept only if somebody can
work on the ticket before it falls due: the channel it arrived by and the team of the
queue it is routed to must both be open at some instant between its arrival and its
due instant. Routing may depend on the time of arrival (`open:`/`closed:`), so the
queue, and with it the team, is taken for each stretch of arrivals it applies to.
Everything is computed over the policy's horizon, on the open time of the calendars
(`policyc.clock.intervals`), exactly; the message names the first arrival that
breaks the promise.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product
from typing import Iterator

from policyc.backends.classes import condition_calendars, routes, routing_dimensions, sla_dimensions
from policyc.checks import check, per_policy
from policyc.checks.classes import describe
from policyc.checks.deadlines import Deadlines, Work, deadlines_for, has_due_instant, when, words
from policyc.checks.sla import Placed, matrix_for
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Clock, Duration, Metric, Policy, Target, TimeUnit
from policyc.match import Ticket

# Definitions the examples share: an email desk and its team, on the default calendar.
_DESK = """
    defaults:
      calendar: office
    channels:
      email:
        kind: email
    teams:
      agents:
    queues:
      general:
        team: agents
    routing:
      default: general
"""

COVERAGE_NOT_STAFFED = define(
    "PC414",
    "coverage-not-staffed",
    Severity.ERROR,
    "A tier promises coverage (24x7, say) at times none of its channels is staffed.",
    what="""
        Reports a tier whose `coverage` calendar is open at some instant of the horizon
        when none of the staffed channels the tier includes is open, and names the first
        such stretch.
    """,
    why="""
        "24/7 support" sells round-the-clock help; if every channel of the plan keeps
        office hours, a customer who writes at night reaches nobody, whatever the
        contract says. Staff a channel of the tier on the coverage calendar (a 24/7
        portal or phone line), or promise the coverage the channels give.
    """,
    example_fail=example_policy(
        _DESK,
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
          always:
            timezone: America/New_York
            hours: 24x7
        tiers:
          enterprise:
            channels: [email]
            coverage: always
        """,
        timezone="America/New_York",
        effective_date="2026-01-01",
    ),
    example_pass=example_policy(
        _DESK,
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
          always:
            timezone: America/New_York
            hours: 24x7
        tiers:
          enterprise:
            channels: [email]
            coverage: office
        """,
        timezone="America/New_York",
        effective_date="2026-01-01",
    ),
)

TARGET_OUTLASTED = define(
    "PC415",
    "target-shorter-than-closure",
    Severity.ERROR,
    "A target that falls due while nobody can work on the ticket: shorter than a closure of its channel or queue.",
    what="""
        Reports a target (an SLA promise or objective) that, for some ticket, falls due
        before anyone could have worked on it: between its arrival and its due instant,
        the channel it arrived by and the team of the queue routing sends it to are
        never both open. For a calendar-time target that is a closure longer than the
        target (`48h` against a weekend from Friday 17:00 to Monday 09:00, 64 hours); the
        message names the first arrival that breaches, its due instant and the closure,
        and the longest closure. Targets with an attainment goal (`goal: 80%`) are not
        reported: they allow some tickets to miss.
    """,
    why="""
        "48-hour response" reads as generous, but on an email desk that works Monday to
        Friday an email sent on Friday evening is due on Sunday evening, and nobody
        reads it before Monday morning: the promise is broken every weekend, whatever
        the team does. Write it in business time (`2 business days`), lengthen it, or
        staff the channel and the queue when it must be met.
    """,
    example_fail=example_policy(
        _DESK,
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
        sla:
          - first_response: 48h
        """,
        timezone="America/New_York",
        effective_date="2026-01-01",
    ),
    example_pass=example_policy(
        _DESK,
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
        sla:
          - first_response: 2 business days
        """,
        timezone="America/New_York",
        effective_date="2026-01-01",
    ),
)


def _hours(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours} hours" + (f" {rest // 60} minutes" if rest >= 60 else "")


@check
def coverage_is_staffed(policy: Policy) -> Iterator[Diagnostic]:
    deadlines = deadlines_for(policy)
    if deadlines.clock is None:
        return
    for tier in policy.tiers.values():
        if tier.coverage is None:
            continue
        included = {ref.id for ref in tier.channels}
        channels = [c for c in policy.channels.values() if not c.self_service and c.calendar and (not included or c.id in included)]
        promised = deadlines.open_time(tier.coverage.id)
        lower, upper = deadlines.bounds(tier.coverage.id)
        staffed = deadlines.open_time(channels[0].calendar.id) if channels else None
        for channel in channels[1:]:
            staffed = staffed | deadlines.open_time(channel.calendar.id)
        unstaffed = promised & staffed.closed(lower, upper) if staffed is not None else promised
        if not unstaffed:
            continue
        start, end = unstaffed.intervals[0]
        zone = policy.calendars[tier.coverage.id].timezone.name
        calendar = policy.calendars[tier.coverage.id]
        by_calendar = sorted({(c.calendar.id, c.id) for c in channels})
        staffing = "; ".join(
            f"{', '.join(f'`{c}`' for cal, c in by_calendar if cal == id)} on `{id}`" for id in sorted({cal for cal, _ in by_calendar})
        )
        yield COVERAGE_NOT_STAFFED.diagnostic(
            f"tier `{tier.id}` promises support on `{calendar.id}`{' (24x7)' if calendar.always_open else ''}, but none "
            f"of its channels is staffed from {when(start, zone)} to {when(end, zone)}"
            + (f" (its channels: {staffing})" if staffing else " (it includes no staffed channel)"),
            tier.coverage.span,
            hint=f"staff a channel of `{tier.id}` on `{calendar.id}` (give it that calendar), or make the tier's coverage "
            "the hours its channels keep",
            related=[Related(calendar.span, f"calendar `{calendar.id}`")],
        )


class Staffing:
    """Who can work on each kind of ticket, and when, for one policy."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.deadlines: Deadlines = deadlines_for(policy)
        self.calendars = condition_calendars(policy)
        sla, routing = sla_dimensions(policy), routing_dimensions(policy)
        # A ticket whose intent (or segment) no SLA entry names may still have one a
        # routing rule names: it gets the same targets, but may go elsewhere. Values
        # are tried plainest first ("none"), so examples show the plainest ticket.
        self.intents = _plain_first(i for i in routing.intent if i is None or i not in sla.intent)
        self.segments = _plain_first(s for s in routing.segment if s is None or s not in sla.segment)
        self.languages = _plain_first(routing.language)
        self.data_classes = _plain_first(routing.data_class)
        self._arrivals: dict[tuple, object] = {}
        self._outcomes: dict[Ticket, list] = {}
        self._staffed: dict[tuple[str, str], object] = {}
        self._breaches: dict[tuple, tuple | None] = {}

    def staffed(self, channel_calendar: str, team_calendar: str):
        """When both the channel and the team are open."""
        key = (channel_calendar, team_calendar)
        if key not in self._staffed:
            self._staffed[key] = self.deadlines.open_time(channel_calendar) & self.deadlines.open_time(team_calendar)
        return self._staffed[key]

    def breach(self, target: Target, channel_calendar: str, team_calendar: str, states: dict[str, str]):
        """`_breach` for one channel, team and routing state, remembered."""
        key = (id(target), channel_calendar, team_calendar, tuple(sorted(states.items())))
        if key not in self._breaches:
            lower, upper = self.deadlines.bounds(channel_calendar)
            staffed = self.staffed(channel_calendar, team_calendar)
            self._breaches[key] = _breach(self.deadlines, target, staffed, self.arrivals(states, lower, upper), lower, upper)
        return self._breaches[key]

    def variants(self, ticket: Ticket) -> Iterator[Ticket]:
        """The tickets of an SLA class as routing tells them apart."""
        channel = self.policy.channels[ticket.channel] if ticket.channel else None
        allowed = {ref.id for ref in channel.data_classes} if channel is not None else set()
        for intent, segment, language, data_class in product(
            [ticket.intent] if ticket.intent is not None else self.intents,
            [ticket.segment] if ticket.segment is not None else self.segments,
            self.languages,
            self.data_classes,
        ):
            if data_class is not None and allowed and data_class not in allowed:
                continue  # the channel may not carry it
            yield Ticket(ticket.tier, ticket.channel, ticket.priority, intent, segment, language, data_class)

    def outcomes(self, ticket: Ticket) -> list[tuple[dict[str, str], str]]:
        """Each queue the ticket can go to, with the calendar states it goes there in."""
        found = self._outcomes.get(ticket)
        if found is None:
            found = self._outcomes[ticket] = [
                (states, queue) for states, (queue, _) in routes(self.policy, ticket, self.calendars) if queue is not None
            ]
        return found

    def arrivals(self, states: dict[str, str], lower: int, upper: int):
        """When the calendars are in these states (None: at any time)."""
        if not states:
            return None
        key = (tuple(sorted(states.items())), lower, upper)
        found = self._arrivals.get(key)
        if found is None:
            found = None
            for calendar, state in sorted(states.items()):
                open_time = self.deadlines.open_time(calendar)
                part = open_time if state == "open" else open_time.closed(lower, upper)
                found = part if found is None else found & part
            self._arrivals[key] = found
        return found

    def team_calendar(self, queue: str) -> str | None:
        team = self.policy.teams[self.policy.queues[queue].team.id]
        return team.calendar.id if team.calendar else None


def _plain_first(values) -> list:
    return sorted(values, key=lambda value: value is not None)


staffing_for = per_policy(Staffing)

_ZERO = Target(Duration(Decimal(0), TimeUnit.MINUTES))


@check
def targets_outlast_closures(policy: Policy) -> Iterator[Diagnostic]:
    deadlines = deadlines_for(policy)
    if deadlines.clock is None:
        return
    matrix = matrix_for(policy)
    staffing = staffing_for(policy)
    worst: dict[tuple, tuple] = {}
    for ticket in matrix.classes:
        if ticket.channel is None or policy.channels[ticket.channel].calendar is None:
            continue
        for metric in Metric:
            for internal in (False, True):
                placed = matrix.applied(ticket, metric, internal=internal)
                if placed is None or placed.target.goal is not None or not has_due_instant(placed.target):
                    continue
                found = _first_breach(staffing, ticket, placed.target)
                if found is not None and (placed.key not in worst or found[0] < worst[placed.key][1][0]):
                    worst[placed.key] = (placed, found, ticket)
    for placed, (arrival, due, closure, longest, channel, queue, variant), _ in sorted(worst.values(), key=lambda item: item[0].key):
        yield _outlasted(policy, placed, variant, arrival, due, closure, longest, channel, queue)


def _first_breach(staffing: Staffing, ticket: Ticket, target: Target):
    """The first arrival of the class for which nobody can work on the ticket before
    `target` falls due, with its due instant, the closure, the longest closure, the
    channel and the queue; None if there is none."""
    channel = staffing.policy.channels[ticket.channel]
    lower, _ = staffing.deadlines.bounds(channel.calendar.id)
    best = None
    for variant in staffing.variants(ticket):
        for states, queue in staffing.outcomes(variant):
            team = staffing.team_calendar(queue)
            if team is None:
                continue
            found = staffing.breach(target, channel.calendar.id, team, states)
            if found is not None and (best is None or found[0] < best[0]):
                closures = staffing.staffed(channel.calendar.id, team).closures(lower)
                longest = max(closures, key=lambda c: c[1] - c[0]) if closures else found[2]
                best = (*found, longest, channel.id, queue, variant)
    return best


def _breach(deadlines: Deadlines, target: Target, staffed, within, lower: int, upper: int):
    """(arrival, due, closure) for the first arrival in `within` whose target falls due
    before `staffed` opens again, or None."""
    from policyc.clock.intervals import OpenTime

    duration = target.duration
    if duration.clock is Clock.BUSINESS and not deadlines.open_time(target.calendar.id) & staffed.closed(lower, upper):
        return None  # it runs only while someone is at work: its clock starts when they are
    if duration.clock is Clock.CALENDAR:
        length = duration.seconds
        closures = [(start, end) for start, end in staffed.closures(lower) if end - start > length]
        # Arrivals from a closure's start until `length` before its end are due before it ends.
        late = OpenTime((start, end - length) for start, end in closures)
        if within is not None:
            late = late & within
        if not late:
            return None
        arrival = late.starts[0]
        closure = next((start, end) for start, end in closures if start <= arrival < end)
        return arrival, arrival + length, closure
    found = Work(deadlines, _ZERO, target).first_unstaffed(staffed, within)
    if found is None:
        return None
    arrival, _, due = found
    closure_end = staffed.next_open(arrival)
    return arrival, due, (arrival, closure_end)


def _outlasted(policy: Policy, placed: Placed, ticket: Ticket, arrival: int, due: int, closure, longest, channel: str, queue: str) -> Diagnostic:
    zone = policy.calendars[policy.channels[channel].calendar.id].timezone.name
    team = policy.queues[queue].team.id
    channel_calendar = policy.channels[channel].calendar.id
    team_calendar = policy.teams[team].calendar.id
    who = (
        f"`{channel}` and queue `{queue}` (team `{team}`) both keep calendar `{channel_calendar}`"
        if channel_calendar == team_calendar
        else f"`{channel}` (calendar `{channel_calendar}`) and queue `{queue}` (team `{team}`, calendar `{team_calendar}`) are not both open"
    )
    kind = "objective" if placed.target.internal else "target"
    start, end = closure
    message = (
        f"the {kind} {placed.name} ({words(placed.target)}) cannot be met: for {describe(ticket)} arriving "
        f"{when(arrival, zone)} (the first such arrival), it is due {when(due, zone)}, but {who}, and nobody can work "
        f"on it from {when(start, zone)} until {when(end, zone)}"
    )
    if longest is not None and longest[1] - longest[0] > end - start:
        message += f"; the longest such closure is {_hours(longest[1] - longest[0])}, from {when(longest[0], zone)}"
    return TARGET_OUTLASTED.diagnostic(
        message,
        placed.target.span,
        hint="write the target in business time on the calendar that staffs it (`2 business days`, `4 business hours`), "
        f"make it longer than the closure, or staff `{channel}` and queue `{queue}` when it must be met",
        related=[Related(policy.channels[channel].span, f"channel `{channel}`"), Related(policy.teams[team].span, f"team `{team}`")],
    )
