"""The SLA matrix: targets that contradict each other, the plans, or the channels.

Every check here asks, for each ticket class (see `policyc.checks.classes`), which
targets apply to it (`policyc.match`) and compares them as deadlines (see
`policyc.checks.deadlines`): so a contradiction is reported only where some ticket
actually meets it, and in the words of the entries that make it.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import Iterator

from policyc.backends.words import metric as metric_words
from policyc.checks import check, per_policy
from policyc.checks.classes import describe, scope, ticket_classes
from policyc.checks.deadlines import deadlines_for, words
from policyc.checks.walk import entry_name
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import Rule, define, example_policy
from policyc.ir import Metric, Policy, SlaEntry, Target
from policyc.match import Ticket, tied_sla_entries

# Definitions the examples share: a Monday-to-Friday office calendar, the default.
_OFFICE = """
    defaults:
      calendar: office
    calendars:
      office:
        timezone: Europe/London
        hours:
          mon-fri: 09:00-17:00
"""

RESPONSE_AFTER_RESOLUTION = define(
    "PC501",
    "response-after-resolution",
    Severity.ERROR,
    "A first response or acknowledgement that can be due after the resolution of the same ticket.",
    what="""
        Reports a `first_response` or `acknowledgement` target that, for some ticket,
        falls due after the `resolution` target of the same ticket. Targets on the same
        clock compare by length (`48h` after `24h`); a business-time target and a
        calendar-time one, or two targets on different calendars, are compared over
        every arrival in the horizon, and the message names the arrival where the
        response is due latest after the resolution, with both due instants.
    """,
    why="""
        A ticket cannot be resolved before anyone has answered it. "Acknowledge within
        8 business hours, resolve within 72 hours" reads well, but an email that
        arrives on a Friday before a holiday Monday is due for its acknowledgement on
        Tuesday, a day after its resolution was due: one of the two promises is broken
        whatever the team does.
    """,
    example_fail=example_policy(
        _OFFICE,
        """
        sla:
          - first_response: 8 business hours
            resolution: 48h
        """,
        effective_date="2026-01-01",
    ),
    example_pass=example_policy(
        _OFFICE,
        """
        sla:
          - first_response: 8 business hours
            resolution: 5 business days
        """,
        effective_date="2026-01-01",
    ),
)

PRIORITY_INVERSION = define(
    "PC502",
    "priority-inversion",
    Severity.ERROR,
    "A more urgent priority with a slower target than a less urgent one.",
    what="""
        Reports a target of a priority that can be due after the same target of a less
        urgent priority, for tickets of the same tier, channel and intent. Priorities
        are listed from most to least urgent.
    """,
    why="""
        Two sections of a playbook often give the same priorities different targets,
        and merged into one matrix they can put a High ticket behind a Standard one.
        Agents work the queue by due time, so the urgent ticket waits.
    """,
    example_fail=example_policy(
        """
        priorities:
          high:
          standard:
        sla:
          - priorities: [high]
            first_response: 12h
          - priorities: [standard]
            first_response: 1h
        """
    ),
    example_pass=example_policy(
        """
        priorities:
          high:
          standard:
        sla:
          - priorities: [high]
            first_response: 1h
          - priorities: [standard]
            first_response: 12h
        """
    ),
)

TIER_INVERSION = define(
    "PC503",
    "tier-inversion",
    Severity.ERROR,
    "A more expensive tier with a slower target than a cheaper one.",
    what="""
        Reports a target of a tier that can be due after the same target of a tier
        listed before it, for tickets of the same priority, channel and intent. Tiers
        are listed from cheapest to most expensive.
    """,
    why="""
        Customers pay more for faster support. A plan that promises less than a
        cheaper one, even for one kind of ticket, contradicts what it is sold on.
    """,
    example_fail=example_policy(
        """
        channels:
          email:
            kind: email
            calendar: office
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        tiers:
          standard:
            price: included
            channels: [email]
          premium:
            price: USD 199/month
            channels: [email]
        sla:
          - tiers: [standard]
            first_response: 4h
          - tiers: [premium]
            first_response: 12h
        """
    ),
    example_pass=example_policy(
        """
        channels:
          email:
            kind: email
            calendar: office
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        tiers:
          standard:
            price: included
            channels: [email]
          premium:
            price: USD 199/month
            channels: [email]
        sla:
          - tiers: [standard]
            first_response: 12h
          - tiers: [premium]
            first_response: 4h
        """
    ),
)

CONFLICTING_TARGETS = define(
    "PC504",
    "conflicting-targets",
    Severity.ERROR,
    "Two equally specific SLA entries give the same tickets different targets.",
    what="""
        Reports an SLA entry whose target for a metric differs from that of another
        entry that is just as specific (see "which SLA entry applies" in the language
        reference) and applies to some of the same tickets. Promises and internal
        objectives are compared separately.
    """,
    why="""
        When two sections of a playbook both set the same target differently, the
        policy says two things: only the order of the file decides which one a ticket
        gets, and the contract prints both.
    """,
    example_fail=example_policy(
        """
        priorities:
          high:
        sla:
          - id: kpis
            priorities: [high]
            first_response: 1h
          - id: escalation-matrix
            priorities: [high]
            first_response: 4h
        """
    ),
    example_pass=example_policy(
        """
        priorities:
          high:
        sla:
          - id: kpis
            priorities: [high]
            first_response: 1h
        """
    ),
)

DUPLICATE_TARGET = define(
    "PC505",
    "duplicate-target",
    Severity.WARNING,
    "Two equally specific SLA entries give the same tickets the same target twice.",
    what="""
        Reports an SLA entry that repeats, for some of the same tickets, the target an
        equally specific entry earlier in the file already sets.
    """,
    why="""
        The repetition changes nothing today, but the two copies drift apart at the
        next edit, and then the order of the file decides which one applies.
    """,
    example_fail=example_policy(
        _OFFICE,
        """
        channels:
          chat:
            kind: chat
        sla:
          - channels: [chat]
            first_response: 2 business minutes
          - channels: [chat]
            first_response: 2 business minutes
        """
    ),
    example_pass=example_policy(
        _OFFICE,
        """
        channels:
          chat:
            kind: chat
        sla:
          - channels: [chat]
            first_response: 2 business minutes
        """
    ),
)

CHANNEL_NOT_IN_TIER = define(
    "PC506",
    "target-for-channel-not-in-tier",
    Severity.ERROR,
    "An SLA entry gives a tier a target on a channel the tier does not include.",
    what="""
        Reports a tier listed in an SLA entry that does not include one of the
        channels the entry lists.
    """,
    why="""
        The contract would promise, say, Basic customers a phone answer time while
        Basic has no phone support: either the plan is missing the channel or the
        target is promised to the wrong plans.
    """,
    example_fail=example_policy(
        _OFFICE,
        """
        channels:
          email:
            kind: email
          phone:
            kind: phone
        tiers:
          basic:
            channels: [email]
          pro:
            channels: [email, phone]
        sla:
          - tiers: [basic, pro]
            channels: [phone]
            first_response: 1 business minute
        """
    ),
    example_pass=example_policy(
        _OFFICE,
        """
        channels:
          email:
            kind: email
          phone:
            kind: phone
        tiers:
          basic:
            channels: [email]
          pro:
            channels: [email, phone]
        sla:
          - tiers: [pro]
            channels: [phone]
            first_response: 1 business minute
        """
    ),
)

PAID_CHANNEL_ON_FREE_TIER = define(
    "PC507",
    "paid-channel-on-free-tier",
    Severity.ERROR,
    "A tier that costs nothing includes a channel for paying tiers only.",
    what="""
        Reports a channel marked `paid_only: true` in the channels of a tier whose
        price is `included`.
    """,
    why="""
        The channel's own definition says free customers cannot use it, and the plan
        says they can; one of the two is wrong.
    """,
    example_fail=example_policy(
        _OFFICE,
        """
        channels:
          phone:
            kind: phone
            paid_only: true
        tiers:
          standard:
            price: included
            channels: [phone]
        """
    ),
    example_pass=example_policy(
        _OFFICE,
        """
        channels:
          email:
            kind: email
          phone:
            kind: phone
            paid_only: true
        tiers:
          standard:
            price: included
            channels: [email]
          premium:
            price: USD 199/month
            channels: [email, phone]
        """
    ),
)

OBJECTIVE_LOOSER_THAN_PROMISE = define(
    "PC508",
    "objective-looser-than-promise",
    Severity.WARNING,
    "An internal objective that can be due after the promise it serves.",
    what="""
        Reports an internal objective (`internal: true`) that, for some ticket, falls
        due after the promised target of the same metric.
    """,
    why="""
        An objective is what the team aims for so that the promise is kept; one looser
        than the promise lets tickets breach the contract while the dashboard is green.
    """,
    example_fail=example_policy(
        """
        sla:
          - first_response: 4h
          - first_response:
              target: 8h
              internal: true
        """
    ),
    example_pass=example_policy(
        """
        sla:
          - first_response: 4h
          - first_response:
              target: 1h
              internal: true
        """
    ),
)

INTENT_FASTER_THAN_TIER = define(
    "PC509",
    "intent-response-faster-than-tier",
    Severity.WARNING,
    "A response promised to an intent (a complaint) sooner than the tickets it arrives among are answered.",
    what="""
        Reports a `first_response` or `acknowledgement` promise of an entry narrowed by
        `intents` (complaints, billing disputes) that can be due before the first
        response the same ticket would be promised without its intent.
    """,
    why="""
        A complaint sent by email is only known to be a complaint once someone has read
        it, and reading it is the first response. Promising complaints an answer within
        24 hours on a plan whose emails are answered within 48 promises what the queue
        cannot deliver. Make the intent's target an internal objective, or a target the
        plan's own response can meet.
    """,
    example_fail=example_policy(
        """
        intents:
          complaint:
        sla:
          - first_response: 48h
          - intents: [complaint]
            first_response: 24h
        """
    ),
    example_pass=example_policy(
        """
        intents:
          complaint:
        sla:
          - first_response: 48h
          - intents: [complaint]
            first_response:
              target: 24h
              internal: true
        """
    ),
)

_RESPONSES = (Metric.FIRST_RESPONSE, Metric.ACKNOWLEDGEMENT)


@dataclasses.dataclass(frozen=True)
class Placed:
    """A target where it is written: its entry, the entry's place in the file, the metric."""

    entry: SlaEntry
    position: int
    metric: Metric

    @property
    def target(self) -> Target:
        return self.entry.target(self.metric)

    @property
    def key(self) -> tuple[int, str]:
        return self.position, self.metric.value

    @property
    def name(self) -> str:
        return f"`{self.metric.value}` of {entry_name(self.entry, self.position)}"


class Matrix:
    """The SLA targets each ticket class gets, with ties (see `tied_sla_entries`)."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.deadlines = deadlines_for(policy)
        self._position = {id(entry): index for index, entry in enumerate(policy.sla)}
        self._cache: dict[tuple[Ticket, Metric, bool], list[Placed]] = {}

    @cached_property
    def classes(self) -> list[Ticket]:
        return ticket_classes(self.policy)

    def tied(self, ticket: Ticket, metric: Metric, *, internal: bool = False) -> list[Placed]:
        key = (ticket, metric, internal)
        found = self._cache.get(key)
        if found is None:
            entries = tied_sla_entries(self.policy, ticket, metric, internal=internal)
            found = self._cache[key] = [Placed(entry, self._position[id(entry)], metric) for entry in entries]
        return found

    def applied(self, ticket: Ticket, metric: Metric, *, internal: bool = False) -> Placed | None:
        """The target the ticket gets: the first of the tied entries. Contradictions
        are looked for between applied targets; ties themselves are `PC504`."""
        tied = self.tied(ticket, metric, internal=internal)
        return tied[0] if tied else None



matrix_for = per_policy(Matrix)


class _Once:
    """Reports each finding once, however many ticket classes (or tied entries) show it."""

    def __init__(self):
        self.reported: set = set()

    def first(self, *key) -> bool:
        if key in self.reported:
            return False
        self.reported.add(key)
        return True


def _compare(
    rule: Rule,
    matrix: Matrix,
    once: _Once,
    ticket: Ticket,
    slower: Placed,
    faster: Placed,
    message: str,
    hint: str,
    related: str,
    *,
    at_faster: bool = False,
    finding: tuple = (),
) -> Iterator[Diagnostic]:
    """Reports `rule` if `slower` can be due after `faster`, at `slower` (or at
    `faster`, with the other as the related place): once per `finding` (by default,
    per pair of targets)."""
    key = (rule.code, *(finding or (slower.key, faster.key)))
    if slower.key == faster.key or key in once.reported:
        return
    later = matrix.deadlines.later(slower.target, faster.target)
    if later is None:
        return
    once.first(*key)
    primary, other = (faster, slower) if at_faster else (slower, faster)
    evidence = matrix.deadlines.evidence(later, _spoken(slower), _spoken(faster))
    yield rule.diagnostic(
        f"{message}{scope(ticket)}{evidence}",
        primary.target.span,
        hint=hint,
        related=[Related(other.target.span, related)],
    )


def _spoken(placed: Placed) -> str:
    """"the first response (SLA entry 3)"."""
    return f"the {metric_words(placed.metric)} of {entry_name(placed.entry, placed.position)}"


@check
def responses_come_before_resolution(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    once = _Once()
    for ticket in matrix.classes:
        resolution = matrix.applied(ticket, Metric.RESOLUTION)
        for response in (matrix.applied(ticket, metric) for metric in _RESPONSES):
            if response is None or resolution is None:
                continue
            yield from _compare(
                RESPONSE_AFTER_RESOLUTION,
                matrix,
                once,
                ticket,
                response,
                resolution,
                f"{response.name} ({words(response.target)}) can be due after the resolution ({words(resolution.target)})",
                "give the response a shorter target than the resolution, on the same clock where you can "
                "(both in business time, or both in calendar time)",
                f"the resolution target of the same tickets, {resolution.name}",
            )


def _by_rank(ids: list[str | None], ticket: Ticket, field: str) -> list[Ticket]:
    return [dataclasses.replace(ticket, **{field: id}) for id in ids]


@check
def urgent_priorities_are_not_slower(policy: Policy) -> Iterator[Diagnostic]:
    if len(policy.priorities) < 2:
        return
    matrix = matrix_for(policy)
    once = _Once()
    order = list(policy.priorities)
    for ticket in matrix.classes:
        if ticket.priority != order[0]:
            continue
        ranked = _by_rank(order, ticket, "priority")
        for metric in Metric:
            for i, urgent in enumerate(ranked):
                slow = matrix.applied(urgent, metric)
                for calmer in ranked[i + 1 :]:
                    fast = matrix.applied(calmer, metric)
                    if slow is None or fast is None:
                        continue
                    yield from _compare(
                        PRIORITY_INVERSION,
                        matrix,
                        once,
                        urgent,
                        slow,
                        fast,
                        f"`{urgent.priority}` is more urgent than `{calmer.priority}`, but its {slow.name} "
                        f"({words(slow.target)}) can be due after `{calmer.priority}`'s ({words(fast.target)})",
                        f"give `{urgent.priority}` a target at least as fast as `{calmer.priority}`'s, "
                        "or check the order of `priorities` (most urgent first)",
                        f"`{calmer.priority}`'s target, {fast.name}",
                        finding=(slow.key, calmer.priority),
                    )


@check
def dearer_tiers_are_not_slower(policy: Policy) -> Iterator[Diagnostic]:
    if len(policy.tiers) < 2:
        return
    matrix = matrix_for(policy)
    once = _Once()
    order = list(policy.tiers)
    known = set(matrix.classes)
    for ticket in matrix.classes:
        for metric in Metric:
            cheaper_ones = order[: order.index(ticket.tier)]
            for cheaper in _by_rank(cheaper_ones, ticket, "tier"):
                if cheaper not in known:  # the cheaper tier does not include the channel
                    continue
                slow, fast = matrix.applied(ticket, metric), matrix.applied(cheaper, metric)
                if slow is None or fast is None:
                    continue
                yield from _compare(
                    TIER_INVERSION,
                    matrix,
                    once,
                    ticket,
                    slow,
                    fast,
                    f"tier `{ticket.tier}` is listed after (dearer than) `{cheaper.tier}`, but its {slow.name} "
                    f"({words(slow.target)}) can be due after `{cheaper.tier}`'s ({words(fast.target)})",
                    f"give `{ticket.tier}` a target at least as fast as `{cheaper.tier}`'s, "
                    "or check the order of `tiers` (cheapest first)",
                    f"`{cheaper.tier}`'s target, {fast.name}",
                    finding=(slow.key, cheaper.tier),
                )


@check
def equal_entries_agree(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    once = _Once()
    for ticket in matrix.classes:
        for metric in Metric:
            for internal in (False, True):
                tied = matrix.tied(ticket, metric, internal=internal)
                for k, later in enumerate(tied[1:], start=1):
                    if not once.first(later.key):
                        continue
                    earlier = tied[:k]
                    differ = [e for e in earlier if e.target != later.target]
                    what = "objective" if internal else "target"
                    if differ:
                        shown = ", ".join(f"{e.name} ({words(e.target)})" for e in differ)
                        yield CONFLICTING_TARGETS.diagnostic(
                            f"{later.name} ({words(later.target)}) and {shown} are equally specific and give "
                            f"{describe(ticket)} different {what}s; the one first in the file applies",
                            later.target.span,
                            hint="keep one of them, or narrow one entry (by tier, priority, channel, intent or segment) "
                            "so that each ticket gets one target",
                            related=[Related(e.target.span, f"the other {what}, {e.name}") for e in differ],
                        )
                    else:
                        yield DUPLICATE_TARGET.diagnostic(
                            f"{later.name} repeats the {what} {words(later.target)} that {earlier[0].name} already gives "
                            f"{describe(ticket)}",
                            later.target.span,
                            hint="remove the repetition, or let the two entries select different tickets",
                            related=[Related(earlier[0].target.span, f"first given here, {earlier[0].name}")],
                        )


@check
def targets_are_on_included_channels(policy: Policy) -> Iterator[Diagnostic]:
    for position, entry in enumerate(policy.sla):
        for tier_ref in entry.selector.tiers:
            tier = policy.tiers[tier_ref.id]
            included = {ref.id for ref in tier.channels}
            missing = [channel for channel in entry.selector.channels if included and channel.id not in included]
            if not missing:
                continue
            named = ", ".join(f"`{channel.id}`" for channel in missing)
            yield CHANNEL_NOT_IN_TIER.diagnostic(
                f"{entry_name(entry, position)} gives tier `{tier.id}` a target on {named}, which `{tier.id}` does not include",
                tier_ref.span,
                hint=f"remove `{tier.id}` from this entry's tiers, or add {named} to the channels of `{tier.id}`",
                related=[Related(tier.span, f"tier `{tier.id}` includes {', '.join(f'`{c}`' for c in included)}")],
            )


@check
def free_tiers_use_free_channels(policy: Policy) -> Iterator[Diagnostic]:
    for tier in policy.tiers.values():
        if tier.price is None or not tier.price.included:
            continue
        for ref in tier.channels:
            channel = policy.channels[ref.id]
            if channel.paid_only:
                yield PAID_CHANNEL_ON_FREE_TIER.diagnostic(
                    f"tier `{tier.id}` costs nothing (`included`) but includes `{channel.id}`, a channel for paying tiers only",
                    ref.span,
                    hint=f"remove `{channel.id}` from `{tier.id}`, or drop `paid_only` from the channel",
                    related=[Related(channel.span, f"`{channel.id}` is `paid_only`")],
                )


@check
def objectives_serve_promises(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    once = _Once()
    for ticket in matrix.classes:
        for metric in Metric:
            promise = matrix.applied(ticket, metric)
            objective = matrix.applied(ticket, metric, internal=True)
            if promise is None or objective is None:
                continue
            yield from _compare(
                OBJECTIVE_LOOSER_THAN_PROMISE,
                matrix,
                once,
                ticket,
                objective,
                promise,
                f"the objective {objective.name} ({words(objective.target)}) can be due after the promise "
                f"{promise.name} ({words(promise.target)})",
                "make the objective at least as tight as the promise it serves",
                f"the promise, {promise.name}",
                finding=(objective.key,),
            )


@check
def intents_are_not_answered_before_triage(policy: Policy) -> Iterator[Diagnostic]:
    matrix = matrix_for(policy)
    once = _Once()
    for ticket in matrix.classes:
        if ticket.intent is None:
            continue
        plain = dataclasses.replace(ticket, intent=None)
        baseline = matrix.applied(plain, Metric.FIRST_RESPONSE) or matrix.applied(plain, Metric.ACKNOWLEDGEMENT)
        if baseline is None:
            continue
        for metric in _RESPONSES:
            narrowed = matrix.applied(ticket, metric)
            if narrowed is None or not narrowed.entry.selector.intents:
                continue
            yield from _compare(
                INTENT_FASTER_THAN_TIER,
                matrix,
                once,
                ticket,
                baseline,
                narrowed,
                f"{narrowed.name} promises `{ticket.intent}` tickets {words(narrowed.target)}, sooner than "
                f"{words(baseline.target)}, the {metric_words(baseline.metric)} of the same tickets otherwise "
                f"({baseline.name}); a ticket is known to be `{ticket.intent}` only once someone has read it",
                "make the intent's target an internal objective (`internal: true`), or no sooner than the tier's "
                "first response",
                f"the response promised to the same tickets without the intent, {baseline.name}",
                at_faster=True,
                finding=(narrowed.key,),
            )
