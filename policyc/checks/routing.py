"""Routing: rules that fight over tickets, rules that can never match, tickets no rule
takes, and data routed where it may not go.

Each rule takes a *box* of tickets: for every field (tier and channel, priority,
intent, segment, language, data class, and the open/closed state of the calendars
rules ask about) the set of values it accepts. Two rules overlap when their boxes meet
in every field; a rule is shadowed when the boxes of the rules tried before it cover
its own. Rules are indexed by the values they accept, so a rule is compared only with
the rules that can share a ticket with it, never with all of them; covering is decided
by splitting a box on the values that tell the covering boxes apart, which is exact
and gives an example of an uncovered ticket when there is one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterator

from policyc.backends.classes import condition_calendars, routing_dimensions
from policyc.checks import check, per_policy
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Policy, RoutingRule
from policyc.checks.classes import describe
from policyc.checks.deadlines import deadlines_for, when
from policyc.match import Ticket, rules_in_order


# Definitions the examples share: an office calendar, two teams and two queues.
_QUEUES = """
    calendars:
      office:
        timezone: Europe/London
        hours:
          mon-fri: 09:00-17:00
    defaults:
      calendar: office
    teams:
      agents:
      billing:
    queues:
      general:
        team: agents
      billing:
        team: billing
"""


OVERLAPPING_RULES = define(
    "PC701",
    "overlapping-rules",
    Severity.ERROR,
    "Two routing rules of equal precedence that can take the same ticket and send it to different queues.",
    what="""
        Reports a routing rule that shares some tickets with a rule of the same
        `precedence` earlier in the file and sends them to another queue. The message
        names an example ticket both rules take.
    """,
    why="""
        Rules of equal precedence are tried in file order, so where such a ticket goes
        depends on which rule happens to be written first. A playbook that says "route
        enterprise tickets to Tier 2" and "separate queues for billing" does not say
        where an enterprise billing ticket goes; the policy must.
    """,
    example_fail=example_policy(
        _QUEUES,
        """
        tiers:
          basic:
            name: Basic
          enterprise:
            name: Enterprise
        intents:
          billing:
        routing:
          default: general
          rules:
            - id: enterprise
              when:
                tiers: [enterprise]
              queue: general
            - id: billing
              when:
                intents: [billing]
              queue: billing
        """
    ),
    example_pass=example_policy(
        _QUEUES,
        """
        tiers:
          basic:
            name: Basic
          enterprise:
            name: Enterprise
        intents:
          billing:
        routing:
          default: general
          rules:
            - id: enterprise
              precedence: 10
              when:
                tiers: [enterprise]
              queue: general
            - id: billing
              precedence: 20
              when:
                intents: [billing]
              queue: billing
        """
    ),
)

SHADOWED_RULE = define(
    "PC702",
    "shadowed-rule",
    Severity.WARNING,
    "A routing rule that can never match: rules tried before it take every ticket it would.",
    what="""
        Reports a routing rule all of whose tickets are taken by rules tried before it
        (a lower `precedence`, or the same precedence earlier in the file), whether by
        one broader rule or by several together.
    """,
    why="""
        The rule is dead: whatever it was written for never happens. Usually its
        precedence is wrong, or a broader rule above it was meant to be narrower.
    """,
    example_fail=example_policy(
        _QUEUES,
        """
        intents:
          billing:
          refund:
        routing:
          default: general
          rules:
            - id: money-matters
              precedence: 10
              when:
                intents: [billing, refund]
              queue: billing
            - id: refunds
              precedence: 20
              when:
                intents: [refund]
              queue: general
        """
    ),
    example_pass=example_policy(
        _QUEUES,
        """
        intents:
          billing:
          refund:
        routing:
          default: general
          rules:
            - id: refunds
              precedence: 10
              when:
                intents: [refund]
              queue: general
            - id: money-matters
              precedence: 20
              when:
                intents: [billing, refund]
              queue: billing
        """
    ),
)

UNROUTED_TICKETS = define(
    "PC703",
    "unrouted-tickets",
    Severity.ERROR,
    "Tickets that no routing rule takes, in a policy without a default queue.",
    what="""
        Reports, when `routing` has rules but no `default`, a kind of ticket that no
        rule takes, with an example.
    """,
    why="""
        Such tickets land in no queue: nobody sees them, and every target they have is
        breached. A default queue, or a rule for them, closes the hole.
    """,
    example_fail=example_policy(
        _QUEUES,
        """
        intents:
          billing:
        routing:
          rules:
            - id: billing
              when:
                intents: [billing]
              queue: billing
        """
    ),
    example_pass=example_policy(
        _QUEUES,
        """
        intents:
          billing:
        routing:
          default: general
          rules:
            - id: billing
              when:
                intents: [billing]
              queue: billing
        """
    ),
)

DESTINATION_NOT_STAFFED = define(
    "PC704",
    "destination-not-staffed",
    Severity.ERROR,
    "A routing rule that applies while a calendar is open (or closed) and sends tickets to a team not working then.",
    what="""
        Reports a routing rule with `open:` or `closed:` whose queue's team is not
        working at some instant the rule applies, and names the first such instant. A
        rule without such a condition applies at any hour and its queue is expected to
        work through the backlog; its deadlines are checked by `PC415`.
    """,
    why="""
        A rule that says when it applies says who should be there then: "P1 outside
        office hours goes to the on-call queue" is wrong if the on-call team keeps office
        hours itself. Tickets the rule takes wait, unread, until the team returns.
    """,
    example_fail=example_policy(
        _QUEUES,
        """
        priorities:
          P1:
        routing:
          default: general
          rules:
            - id: p1-after-hours
              when:
                priorities: [P1]
                closed: office
              queue: billing
        """,
        effective_date="2026-01-01",
    ),
    example_pass=example_policy(
        _QUEUES,
        """
        priorities:
          P1:
        routing:
          default: general
          rules:
            - id: p1-in-hours
              when:
                priorities: [P1]
                open: office
              queue: billing
        """,
        effective_date="2026-01-01",
    ),
)

DATA_CLASS_VIOLATION = define(
    "PC705",
    "data-class-violation",
    Severity.ERROR,
    "A routing rule that takes tickets carrying a data class by a channel that may not carry it.",
    what="""
        Reports a routing rule that matches a data class (`phi`) on a channel whose
        `data_classes` do not include it: the rule routes protected health information
        that arrived by email when email may not carry it.
    """,
    why="""
        Data classes on a channel are a compliance promise (PHI only through the secure
        portal). A rule written for PHI arriving by email says the promise is broken in
        practice, or that the channel's list is wrong.
    """,
    example_fail=example_policy(
        _QUEUES,
        """
        data_classes:
          phi:
          general:
        channels:
          portal:
            kind: portal
            data_classes: [phi, general]
          email:
            kind: email
            data_classes: [general]
        routing:
          default: general
          rules:
            - id: paperwork
              when:
                channels: [email]
                data_classes: [phi]
              queue: billing
        """
    ),
    example_pass=example_policy(
        _QUEUES,
        """
        data_classes:
          phi:
          general:
        channels:
          portal:
            kind: portal
            data_classes: [phi, general]
          email:
            kind: email
            data_classes: [general]
        routing:
          default: general
          rules:
            - id: paperwork
              when:
                channels: [portal]
                data_classes: [phi]
              queue: billing
        """
    ),
)

# The fields of a box. Tier and channel are one field, of the pairs a ticket can be
# (a tier's tickets arrive only by the channels it includes).
FIELDS = ("tier_channel", "priority", "intent", "segment", "language", "data_class", "calendars")

Box = tuple[frozenset, ...]


@dataclass(frozen=True)
class Space:
    """The values of each field, and which calendars' states the last field holds."""

    domains: Box
    calendars: tuple[str, ...]

    def box(self, rule: RoutingRule) -> Box:
        """The tickets a rule takes (a field may come out empty: then none)."""
        m = rule.match

        def accepted(domain: frozenset, wanted: set) -> frozenset:
            return domain if not wanted else frozenset(v for v in domain if v in wanted)

        tiers, channels = {r.id for r in m.tiers}, {r.id for r in m.channels}
        pairs = frozenset((t, c) for t, c in self.domains[0] if (not tiers or t in tiers) and (not channels or c in channels))
        states = frozenset(
            s
            for s in self.domains[6]
            if (m.open is None or dict(s)[m.open.id]) and (m.closed is None or not dict(s)[m.closed.id])
        )
        return (
            pairs,
            accepted(self.domains[1], {r.id for r in m.priorities}),
            accepted(self.domains[2], {r.id for r in m.intents}),
            accepted(self.domains[3], {r.id for r in m.segments}),
            accepted(self.domains[4], {t.value for t in m.languages}),
            accepted(self.domains[5], {r.id for r in m.data_classes}),
            states,
        )


def routing_space(policy: Policy, feasible=None) -> Space:
    """The tickets routing tells apart. `feasible(states)` says whether the calendars
    can be in those open/closed states at once (every combination, without it)."""
    dims = routing_dimensions(policy)
    staffed = [c for c in dims.channel if c is None or not policy.channels[c].self_service] or [None]
    pairs = []
    for tier in dims.tier:
        included = {r.id for r in policy.tiers[tier].channels} if tier is not None else set()
        pairs += [(tier, channel) for channel in staffed if not included or channel in included]
    calendars = condition_calendars(policy)
    states = [tuple(zip(calendars, values)) for values in itertools.product((True, False), repeat=len(calendars))]
    if feasible is not None:
        states = [s for s in states if feasible(dict(s))]
    return Space(
        (
            frozenset(pairs),
            frozenset(dims.priority),
            frozenset(dims.intent),
            frozenset(dims.segment),
            frozenset(dims.language),
            frozenset(dims.data_class),
            frozenset(states),
        ),
        calendars,
    )


def _meet(a: Box, b: Box) -> Box | None:
    """The tickets two boxes share, or None."""
    return tuple(x & y for x, y in zip(a, b)) if _meets(a, b) else None


def _meets(a: Box, b: Box) -> bool:
    return not any(x.isdisjoint(y) for x, y in zip(a, b))


def uncovered(box: Box, cover: list[Box]) -> Box | None:
    """A part of `box` that no box of `cover` reaches, or None if they cover it all.

    Exact: the values of one field are grouped by which covering boxes accept them;
    within a group every one of those boxes accepts every value, so the field is
    settled for them and the search goes on in the next field with just those boxes.
    """
    clipped = [c for c in (_meet(box, other) for other in cover) if c is not None]
    return _uncovered(box, clipped, 0)


def _uncovered(box: Box, cover: list[Box], first: int) -> Box | None:
    if not cover:
        return box
    if first == len(box):
        return None  # every field settled and some box accepts all of them
    groups: dict[frozenset[int], set] = {}
    for value in box[first]:
        holders = frozenset(i for i, c in enumerate(cover) if value in c[first])
        groups.setdefault(holders, set()).add(value)
    for holders, values in sorted(groups.items(), key=lambda item: len(item[0])):
        part = box[:first] + (frozenset(values),) + box[first + 1 :]
        hole = _uncovered(part, [cover[i] for i in holders], first + 1)
        if hole is not None:
            return hole
    return None


class RuleIndex:
    """Rules by the values they accept, field by field, so that the rules that can
    share a ticket with a given box are found without looking at the others."""

    def __init__(self, space: Space):
        self.space = space
        self.rules: list[tuple[RoutingRule, Box]] = []
        self._by_value: list[dict] = [{} for _ in FIELDS]
        self._any: list[list[int]] = [[] for _ in FIELDS]

    def add(self, rule: RoutingRule, box: Box) -> None:
        position = len(self.rules)
        self.rules.append((rule, box))
        for f, (accepted, domain) in enumerate(zip(box, self.space.domains)):
            if accepted == domain:
                self._any[f].append(position)
            else:
                for value in accepted:
                    self._by_value[f].setdefault(value, []).append(position)

    def meeting(self, box: Box) -> Iterator[tuple[RoutingRule, Box]]:
        """The rules added so far that share a ticket with `box`, in the order added."""
        # The field whose accepted values the fewest rules share; counted first, and
        # only its rules gathered.
        sizes = [
            (len(self._any[f]) + sum(len(self._by_value[f].get(value, ())) for value in accepted), f)
            for f, (accepted, domain) in enumerate(zip(box, self.space.domains))
            if accepted != domain
        ]
        if sizes:
            f = min(sizes)[1]
            found = set(self._any[f])
            for value in box[f]:
                found.update(self._by_value[f].get(value, ()))
            candidates = sorted(found)
        else:
            candidates = range(len(self.rules))
        for position in candidates:
            rule, other = self.rules[position]
            if _meets(box, other):
                yield rule, other


def example(space: Space, box: Box) -> str:
    """One ticket of a box, in words."""
    (tier, channel), priority, intent, segment, language, data_class, states = (min(values, key=_order) for values in box)
    words = describe(Ticket(tier, channel, priority, intent, segment, language, data_class))
    if intent is None and len(space.domains[2]) > 1:
        words += " with none of the intents the rules name"
    for calendar, is_open in states:
        words += f" while `{calendar}` is {'open' if is_open else 'closed'}"
    return words


def _order(value) -> tuple:
    """Named values before "none", so examples show a real tier or intent first."""
    if isinstance(value, tuple):
        return tuple(_order(v) for v in value)
    return (value is None, str(value))


class Routing:
    """The rules of one policy as boxes, in the order they are tried."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.space = routing_space(policy, self._feasible)
        self.ordered = [(rule, self.space.box(rule)) for rule in rules_in_order(policy)]

    def _feasible(self, states: dict[str, bool]) -> bool:
        """Whether the calendars can be in these states at one instant of the horizon
        (without a horizon, any states can)."""
        deadlines = deadlines_for(self.policy)
        if not states or deadlines.clock is None:
            return True
        return bool(_when(deadlines, states))


routing_for = per_policy(Routing)


@check
def rules_do_not_fight(policy: Policy) -> Iterator[Diagnostic]:
    routing = routing_for(policy)
    tried = RuleIndex(routing.space)
    for rule, box in routing.ordered:
        if not all(box):
            yield SHADOWED_RULE.diagnostic(
                f"routing rule `{rule.id}` can never match: {_why_empty(rule, box)}",
                rule.span,
                hint="correct its conditions, or remove it",
            )
            continue
        before = list(tried.meeting(box))
        hole = uncovered(box, [other for _, other in before])
        if hole is None:
            takers = [other for other, _ in before]
            yield SHADOWED_RULE.diagnostic(
                f"routing rule `{rule.id}` can never match: {_rules(takers)} tried before it {'takes' if len(takers) == 1 else 'take'} every ticket it would",
                rule.span,
                hint="give it a lower `precedence` than the rules that take its tickets, or remove it",
                related=[Related(other.span, f"rule `{other.id}` takes some of its tickets") for other in takers[:3]],
            )
        else:
            rivals = [(other, other_box) for other, other_box in before if other.precedence == rule.precedence and other.queue.id != rule.queue.id]
            if rivals:
                other, other_box = rivals[0]
                shared = _meet(box, other_box)
                more = f" (and {len(rivals) - 1} more rule{'s' if len(rivals) > 2 else ''})" if len(rivals) > 1 else ""
                yield OVERLAPPING_RULES.diagnostic(
                    f"routing rules `{other.id}`{more} and `{rule.id}` have the same precedence ({rule.precedence}) and "
                    f"both take {example(routing.space, shared)}, but send them to different queues "
                    f"(`{other.queue.id}` and `{rule.queue.id}`); the rule first in the file wins",
                    rule.span,
                    hint="give the rule that should win a lower `precedence`, or narrow one of them so they share no tickets",
                    related=[Related(other.span, f"rule `{other.id}` sends them to `{other.queue.id}`")],
                )
        tried.add(rule, box)


def _why_empty(rule: RoutingRule, box: Box) -> str:
    if not box[0]:
        return "none of its tiers includes any of its channels"
    return "its `open` and `closed` conditions never hold at the same time"


def _rules(rules: list[RoutingRule]) -> str:
    names = [f"`{rule.id}`" for rule in rules[:3]]
    if len(rules) > 3:
        names.append(f"{len(rules) - 3} more")
    return ("rule " if len(rules) == 1 else "rules ") + ", ".join(names)


@check
def every_ticket_is_routed(policy: Policy) -> Iterator[Diagnostic]:
    if policy.routing.default is not None or not policy.routing.rules:
        return
    routing = routing_for(policy)
    hole = uncovered(routing.space.domains, [box for _, box in routing.ordered])
    if hole is not None:
        yield UNROUTED_TICKETS.diagnostic(
            f"no routing rule takes {example(routing.space, hole)}, and there is no default queue",
            policy.routing.span,
            hint="add `default:` with the queue such tickets should go to, or a rule for them",
        )


def _when(deadlines, states: dict[str, bool]):
    """The instants at which the calendars are in these open (True) or closed states."""
    found = None
    for calendar, is_open in sorted(states.items()):
        open_time = deadlines.open_time(calendar)
        part = open_time if is_open else open_time.closed(*deadlines.bounds(calendar))
        found = part if found is None else found & part
    return found


@check
def destinations_work_when_rules_apply(policy: Policy) -> Iterator[Diagnostic]:
    deadlines = deadlines_for(policy)
    if deadlines.clock is None:
        return
    for rule in policy.routing.rules:
        m = rule.match
        states = {ref.id: is_open for ref, is_open in ((m.open, True), (m.closed, False)) if ref is not None}
        team = policy.teams[policy.queues[rule.queue.id].team.id]
        if not states or team.calendar is None:
            continue
        applies = _when(deadlines, states)
        working = deadlines.open_time(team.calendar.id)
        idle = applies & working.closed(*deadlines.bounds(team.calendar.id))
        if not idle:
            continue
        start, end = idle.intervals[0]
        zone = policy.calendars[team.calendar.id].timezone.name
        condition = " and ".join(f"`{id}` is {'open' if is_open else 'closed'}" for id, is_open in states.items())
        yield DESTINATION_NOT_STAFFED.diagnostic(
            f"routing rule `{rule.id}` sends tickets to queue `{rule.queue.id}` while {condition}, but its team "
            f"`{team.id}` (calendar `{team.calendar.id}`) is not working from {when(start, zone)} to {when(end, zone)}",
            rule.queue.span,
            hint=f"send these tickets to a queue whose team works while {condition}, or change the rule's condition",
            related=[Related(team.span, f"team `{team.id}`")],
        )


@check
def data_stays_on_its_channels(policy: Policy) -> Iterator[Diagnostic]:
    for rule in policy.routing.rules:
        for data_class in rule.match.data_classes:
            for ref in rule.match.channels:
                allowed = policy.channels[ref.id].data_classes
                if allowed and data_class.id not in {a.id for a in allowed}:
                    listed = ", ".join(f"`{a.id}`" for a in allowed)
                    yield DATA_CLASS_VIOLATION.diagnostic(
                        f"routing rule `{rule.id}` takes tickets carrying `{data_class.id}` by `{ref.id}`, but `{ref.id}` "
                        f"may carry only {listed}",
                        data_class.span,
                        hint=f"move such tickets to a channel that may carry `{data_class.id}`, or add it to the "
                        f"`data_classes` of `{ref.id}` if the channel is cleared for it",
                        related=[Related(policy.channels[ref.id].span, f"channel `{ref.id}`")],
                    )
