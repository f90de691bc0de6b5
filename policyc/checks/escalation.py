"""Escalation ladders: steps in the wrong order or too late for the deadline they
protect, ladders that go round in circles, updates promised less often than the ticket
is resolved, and ladders that tie for the same tickets.

A level's engagement is a deadline like any other: `after: 2 business hours` is "due"
two open hours of the level's calendar after the ticket arrives, and
`before_breach: {metric: resolution, margin: 2h}` two hours before the resolution the
ticket gets. So the steps of a ladder and the targets they protect are compared as
deadlines (`policyc.checks.deadlines`), exactly, on every clock. An `after` step
protects the ticket's resolution (a promise, or else the internal objective).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from policyc.backends.words import metric as metric_words
from policyc.checks import check
from policyc.checks.classes import describe, scope
from policyc.checks.deadlines import Work, deadlines_for, when, words
from policyc.checks.sla import Matrix, Placed, matrix_for
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Clock, Duration, EscalationLevel, Ladder, Metric, Policy, Target, TimeUnit, TriggerKind
from policyc.literals import format_duration
from policyc.match import Ticket, tied_ladders

# Definitions the examples share: two teams that work around the clock.
_TEAMS = """
    calendars:
      always:
        timezone: Europe/London
        hours: 24x7
    teams:
      agents:
        calendar: always
      specialists:
        calendar: always
"""

AFTER_BREACH = define(
    "PC601",
    "escalation-after-breach",
    Severity.ERROR,
    "An escalation step that is engaged only when the deadline it protects is already due, or later.",
    what="""
        Reports an `after` step of an escalation ladder that, for some ticket the ladder
        applies to, is engaged at or after the instant the ticket's resolution is due.
        An `after` step protects the resolution (the promise, or the internal objective
        where there is no promise).
    """,
    why="""
        Escalating is how a team keeps a promise it is about to miss. A step engaged at
        the breach ("page Tier 2 if resolution time exceeds 4 hours") reports the
        failure; it cannot prevent it.
    """,
    example_fail=example_policy(
        _TEAMS,
        """
        sla:
          - resolution: 4h
        escalation:
          standard:
            levels:
              - name: Agents
                team: agents
                after: 0m
              - name: Specialists
                team: specialists
                after: 4h
        """
    ),
    example_pass=example_policy(
        _TEAMS,
        """
        sla:
          - resolution: 4h
        escalation:
          standard:
            levels:
              - name: Agents
                team: agents
                after: 0m
              - name: Specialists
                team: specialists
                after: 2h
        """
    ),
)

OUT_OF_ORDER = define(
    "PC602",
    "escalation-out-of-order",
    Severity.ERROR,
    "An escalation step engaged before a step listed above it.",
    what="""
        Reports a level of a ladder that, for some ticket, is engaged before the
        automatic level listed above it (manual levels are skipped). Levels are listed
        in the order tickets climb them.
    """,
    why="""
        A ticket would reach the specialists before the generalists, or skip a level
        altogether: usually two `after` times typed in the wrong rows, or a
        business-time step beside a calendar-time one that overtakes it at night.
    """,
    example_fail=example_policy(
        _TEAMS,
        """
        escalation:
          standard:
            levels:
              - name: Agents
                team: agents
                after: 2h
              - name: Specialists
                team: specialists
                after: 1h
        """
    ),
    example_pass=example_policy(
        _TEAMS,
        """
        escalation:
          standard:
            levels:
              - name: Agents
                team: agents
                after: 1h
              - name: Specialists
                team: specialists
                after: 2h
        """
    ),
)

CYCLE = define(
    "PC603",
    "escalation-cycle",
    Severity.ERROR,
    "An escalation ladder that hands a ticket back to a team it has already escalated from.",
    what="""
        Reports a level whose team already held the ticket at an earlier level, with
        another team in between (Tier 1, Tier 2, then Tier 1 again).
    """,
    why="""
        Escalation goes up: a ladder that comes back down to a team that already failed
        to resolve the ticket is a loop, and the ticket's owner becomes unclear. Several
        consecutive levels of one team (a rota, then its manager) are fine.
    """,
    example_fail=example_policy(
        _TEAMS,
        """
        escalation:
          standard:
            levels:
              - name: Agents
                team: agents
                after: 0m
              - name: Specialists
                team: specialists
                after: 2h
              - name: Agents again
                team: agents
                manual: true
        """
    ),
    example_pass=example_policy(
        _TEAMS,
        """
        escalation:
          standard:
            levels:
              - name: Agents
                team: agents
                after: 0m
              - name: Specialists
                team: specialists
                after: 2h
              - name: Specialists' manager
                team: specialists
                manual: true
        """
    ),
)

UPDATES_AFTER_RESOLUTION = define(
    "PC604",
    "update-interval-longer-than-resolution",
    Severity.ERROR,
    "An update interval so long that the first update can be due after the resolution.",
    what="""
        Reports an `update_interval` of an SLA entry that, for some ticket, puts the
        first status update after the resolution the same ticket is promised; and an
        escalation level whose `update_interval` is due after its own `resolve`.
    """,
    why="""
        "Updates every 48 hours, resolution within 24" promises updates that can never
        be due: the promise is empty, and usually the two figures belong to different
        kinds of ticket.
    """,
    example_fail=example_policy(
        """
        sla:
          - update_interval: 48h
            resolution: 24h
        """
    ),
    example_pass=example_policy(
        """
        sla:
          - update_interval: 8h
            resolution: 24h
        """
    ),
)

OVERLAPPING_LADDERS = define(
    "PC606",
    "overlapping-ladders",
    Severity.ERROR,
    "Two equally specific escalation ladders for the same tickets.",
    what="""
        Reports an escalation ladder that applies to some of the same tickets as a
        ladder before it in the file and is just as specific (see "which SLA entry
        applies" in the language reference: ladders are chosen the same way).
    """,
    why="""
        A ticket climbs one ladder. With two equally specific ones, only the first in
        the file is used and the other is dead text, often a second description of the
        same escalation path with different times.
    """,
    example_fail=example_policy(
        _TEAMS,
        """
        escalation:
          text:
            levels:
              - name: Agents
                team: agents
                after: 0m
          matrix:
            levels:
              - name: Specialists
                team: specialists
                after: 0m
        """
    ),
    example_pass=example_policy(
        _TEAMS,
        """
        escalation:
          matrix:
            levels:
              - name: Agents
                team: agents
                after: 0m
              - name: Specialists
                team: specialists
                after: 2h
        """
    ),
)


LEVEL_NOT_STAFFED = define(
    "PC605",
    "level-not-staffed",
    Severity.ERROR,
    "An escalation level that can be engaged while its team is not working, with a deadline that passes before it is.",
    what="""
        Reports an automatic level (`after` or `before_breach`) that, for some ticket,
        is engaged when its team's calendar is closed, and has something due before
        the team is back: its own `acknowledge`, `resolve` or `update_interval` in
        calendar time, a notification (`notify ... within`), or the SLA target the level
        protects (the resolution for an `after` step). The message names the first such
        ticket's arrival, the engagement, the deadline and when the team returns.
        Manual levels are engaged by someone who chooses when, and are not reported.
    """,
    why="""
        A 24/7 incident ladder that escalates to a team on office hours escalates into
        an empty room: "C-level notification within 2 hours" of a recall reported at
        midnight reaches nobody before morning. Put the level on a team that works when
        it is engaged, or give it business-time targets that wait for the team.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
        teams:
          managers:
            calendar: office
        roles:
          cxo:
        escalation:
          incidents:
            levels:
              - name: Incident manager
                team: managers
                after: 0m
                notify:
                  - role: cxo
                    within: 2h
        """,
        timezone="America/New_York",
        effective_date="2026-01-01",
    ),
    example_pass=example_policy(
        """
        calendars:
          always:
            timezone: America/New_York
            hours: 24x7
        teams:
          managers:
            calendar: always
        roles:
          cxo:
        escalation:
          incidents:
            levels:
              - name: Incident manager
                team: managers
                after: 0m
                notify:
                  - role: cxo
                    within: 2h
        """,
        timezone="America/New_York",
        effective_date="2026-01-01",
    ),
)


def _level_name(ladder: Ladder, level: EscalationLevel) -> str:
    return f"level `{level.name}` of escalation `{ladder.id}`"


def _trigger_words(level: EscalationLevel) -> str:
    trigger = level.trigger
    if trigger.kind is TriggerKind.AFTER:
        return f"`after: {format_duration(trigger.offset)}`"
    return f"`before_breach` of `{trigger.metric.value}` by `{format_duration(trigger.offset)}`"


class Engagements:
    """When each automatic level is engaged, as a target from the ticket's arrival."""

    def __init__(self, matrix: Matrix):
        self.matrix = matrix
        # Made once and kept: deadline answers are remembered by target identity.
        self._made: dict[tuple, Target | None] = {}

    def of(self, level: EscalationLevel, ticket: Ticket) -> Target | None:
        trigger = level.trigger
        if trigger.kind is TriggerKind.AFTER:
            key: tuple = (id(level),)
            if key not in self._made:
                business = trigger.offset.clock is Clock.BUSINESS
                self._made[key] = Target(
                    trigger.offset,
                    calendar=level.calendar if business else None,
                    business_day_mode=self.matrix.policy.defaults.business_day_mode if business else None,
                    span=trigger.span,
                )
            return self._made[key]
        if trigger.kind is TriggerKind.BEFORE_BREACH:
            protected = protected_target(self.matrix, ticket, trigger.metric)
            if protected is None:
                return None
            key = (id(level), protected.key)
            if key not in self._made:
                self._made[key] = _shifted(protected.target, trigger.offset, trigger.span)
            return self._made[key]
        return None


def protected_target(matrix: Matrix, ticket: Ticket, metric: Metric) -> Placed | None:
    """The target a step protects: the promise, else the internal objective."""
    return matrix.applied(ticket, metric) or matrix.applied(ticket, metric, internal=True)


def _shifted(target: Target, margin: Duration, span) -> Target | None:
    """The target `margin` before `target` falls due, where one target says it: a
    calendar-time margin before a calendar-time target, or a business-time margin
    before a business-hours target."""
    length, clock = target.duration, target.duration.clock
    if length.is_business_days or margin.is_business_days or margin.clock is not clock:
        return None
    seconds = max(0, length.seconds - margin.seconds)
    return Target(Duration(Decimal(seconds), TimeUnit.SECONDS, clock), calendar=target.calendar, span=span)


def ladder_classes(matrix: Matrix) -> Iterator[tuple[Ladder, Ticket]]:
    """Each ticket class with the ladder it climbs."""
    for ticket in matrix.classes:
        tied = tied_ladders(matrix.policy, ticket)
        if tied:
            yield tied[0], ticket


@check
def steps_come_before_the_breach(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    engagements = Engagements(matrix)
    reported: set = set()
    for ladder, ticket in ladder_classes(matrix):
        protected = protected_target(matrix, ticket, Metric.RESOLUTION)
        if protected is None:
            continue
        for level in ladder.levels:
            if level.trigger.kind is not TriggerKind.AFTER:
                continue
            key = (ladder.id, level.name, protected.key)
            if key in reported:
                continue
            engaged = engagements.of(level, ticket)
            later = matrix.deadlines.later(engaged, protected.target, or_at=True)
            if later is None:
                continue
            reported.add(key)
            evidence = matrix.deadlines.evidence(later, f"the engagement of `{level.name}`", "the resolution")
            yield AFTER_BREACH.diagnostic(
                f"{_level_name(ladder, level)} is engaged {_trigger_words(level)}, when the resolution it should protect "
                f"({words(protected.target)}, {protected.name}) is already due{scope(ticket)}{evidence}",
                level.trigger.span,
                hint="engage the level while there is time to act: a shorter `after`, or "
                "`before_breach: {metric: resolution, margin: ...}`",
                related=[Related(protected.target.span, f"the resolution target, {protected.name}")],
            )


@check
def steps_are_in_order(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    engagements = Engagements(matrix)
    reported: set = set()
    for ladder, ticket in ladder_classes(matrix):
        automatic = [level for level in ladder.levels if level.trigger.kind is not TriggerKind.MANUAL]
        for above, below in zip(automatic, automatic[1:]):
            key = (ladder.id, below.name)
            if key in reported:
                continue
            first, second = engagements.of(above, ticket), engagements.of(below, ticket)
            if first is None or second is None:
                continue
            later = matrix.deadlines.later(first, second)
            if later is None:
                continue
            reported.add(key)
            evidence = matrix.deadlines.evidence(later, f"the engagement of `{above.name}`", f"that of `{below.name}`")
            yield OUT_OF_ORDER.diagnostic(
                f"{_level_name(ladder, below)} ({_trigger_words(below)}) can be engaged before `{above.name}` "
                f"({_trigger_words(above)}), the level listed above it{scope(ticket)}{evidence}",
                below.trigger.span,
                hint="list levels in the order tickets reach them, or correct the trigger times",
                related=[Related(above.trigger.span, f"the trigger of `{above.name}`")],
            )


@check
def ladders_do_not_loop(policy: Policy) -> Iterator[Diagnostic]:
    for ladder in policy.escalation.values():
        held: dict[str, EscalationLevel] = {}
        previous: str | None = None
        for level in ladder.levels:
            team = level.team.id
            if team != previous and team in held:
                yield CYCLE.diagnostic(
                    f"{_level_name(ladder, level)} hands the ticket back to team `{team}`, which escalated it at "
                    f"level `{held[team].name}`",
                    level.team.span,
                    hint="escalate to a team that has not held the ticket, or end the ladder; keep a team's "
                    "levels next to each other",
                    related=[Related(held[team].team.span, f"`{team}` held the ticket at `{held[team].name}`")],
                )
            held.setdefault(team, level)
            previous = team


@check
def updates_come_before_resolution(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    reported: set = set()
    for ticket in matrix.classes:
        update = matrix.applied(ticket, Metric.UPDATE_INTERVAL)
        resolution = matrix.applied(ticket, Metric.RESOLUTION)
        if update is None or resolution is None or (update.key, resolution.key) in reported:
            continue
        later = matrix.deadlines.later(update.target, resolution.target)
        if later is None:
            continue
        reported.add((update.key, resolution.key))
        evidence = matrix.deadlines.evidence(later, "the first update", "the resolution")
        yield UPDATES_AFTER_RESOLUTION.diagnostic(
            f"{update.name} ({words(update.target)}) puts the first update after the resolution "
            f"({words(resolution.target)}, {resolution.name}){scope(ticket)}{evidence}",
            update.target.span,
            hint="give updates a shorter interval than the resolution, or drop the update promise",
            related=[Related(resolution.target.span, f"the resolution target, {resolution.name}")],
        )
    for ladder in policy.escalation.values():
        for level in ladder.levels:
            if level.update_interval is None or level.resolve is None:
                continue
            later = matrix.deadlines.later(level.update_interval, level.resolve)
            if later is None:
                continue
            evidence = matrix.deadlines.evidence(later, "the first update", "the resolution")
            yield UPDATES_AFTER_RESOLUTION.diagnostic(
                f"{_level_name(ladder, level)} promises updates every {words(level.update_interval)}, but resolves "
                f"within {words(level.resolve)}: the first update can be due after the resolution{evidence}",
                level.update_interval.span,
                hint="give updates a shorter interval than the level's `resolve`",
                related=[Related(level.resolve.span, f"`resolve` of `{level.name}`")],
            )


@check
def ladders_do_not_tie(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    reported: set = set()
    for ticket in matrix.classes:
        tied = tied_ladders(policy, ticket)
        for later in tied[1:]:
            if later.id in reported:
                continue
            reported.add(later.id)
            yield OVERLAPPING_LADDERS.diagnostic(
                f"escalation `{later.id}` and escalation `{tied[0].id}` are equally specific and both apply to "
                f"{describe(ticket) if describe(ticket) != 'tickets' else 'every ticket'}; only `{tied[0].id}`, first in the file, is used",
                later.span,
                hint="merge the two ladders, or narrow one (by tier, priority, channel, intent or segment)",
                related=[Related(tied[0].span, f"escalation `{tied[0].id}`, which applies")],
            )


def _obligations(level: EscalationLevel, engaged: Target, protected: Placed | None) -> Iterator[tuple[str, Target, int, object]]:
    """What the level must do by when, as (words, target, seconds after it, span): its
    own calendar-time targets and notifications, counted from its engagement, and the
    SLA target it protects."""
    for name in ("acknowledge", "resolve", "update_interval"):
        target = getattr(level, name)
        if target is not None and target.duration.clock is Clock.CALENDAR and target.goal is None:
            yield f"its `{name}` ({words(target)})", engaged, target.duration.seconds, target.span
    for notification in level.notify:
        if notification.within.clock is Clock.CALENDAR:
            within = format_duration(notification.within)
            yield f"notifying `{notification.role.id}` (within `{within}`)", engaged, notification.within.seconds, notification.span
    if protected is not None:
        yield f"the {metric_words(protected.metric)} it protects ({words(protected.target)}, {protected.name})", protected.target, 0, protected.target.span


@check
def levels_are_staffed_when_engaged(policy: Policy) -> Iterator[Diagnostic]:
    deadlines = deadlines_for(policy)
    if deadlines.clock is None:
        return
    matrix = matrix_for(policy)
    engagements = Engagements(matrix)
    reported: set = set()
    tried: set = set()
    for ladder, ticket in ladder_classes(matrix):
        for level in ladder.levels:
            if level.trigger.kind is TriggerKind.MANUAL or level.calendar is None or (ladder.id, level.name) in reported:
                continue
            working = deadlines.open_time(level.calendar.id)
            lower, upper = deadlines.bounds(level.calendar.id)
            if not working.closed(lower, upper):
                continue  # the team never stops
            engaged = engagements.of(level, ticket)
            if engaged is None:
                continue
            metric = level.trigger.metric if level.trigger.kind is TriggerKind.BEFORE_BREACH else Metric.RESOLUTION
            for what, done, plus, span in _obligations(level, engaged, protected_target(matrix, ticket, metric)):
                key = (id(engaged), id(done), plus, level.calendar.id)
                if key in tried:
                    continue
                tried.add(key)
                found = Work(deadlines, engaged, done, plus).first_unstaffed(working)
                if found is None:
                    continue
                reported.add((ladder.id, level.name))
                yield _unstaffed(policy, ladder, level, ticket, what, span, found, deadlines)
                break


def _unstaffed(policy, ladder, level, ticket, what, span, found, deadlines) -> Diagnostic:
    arrival, engaged_at, due = found
    calendar = level.calendar.id
    zone = policy.calendars[calendar].timezone.name
    back = deadlines.open_time(calendar).next_open(engaged_at)
    team = level.team.id
    return LEVEL_NOT_STAFFED.diagnostic(
        f"{_level_name(ladder, level)} can be engaged when team `{team}` is not working: for {describe(ticket)} arriving "
        f"{when(arrival, zone)}, it is engaged ({_trigger_words(level)}) {when(engaged_at, zone)}, and {what} is due "
        f"{when(due, zone)}, but `{team}` (calendar `{calendar}`) is not at work again until {when(back, zone)}",
        level.trigger.span,
        hint=f"give the level a team that works when it is engaged, or targets in business time on `{calendar}`",
        related=[Related(policy.teams[team].span, f"team `{team}`"), Related(span, "what is due")],
    )
