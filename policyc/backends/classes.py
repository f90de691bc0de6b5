"""Ticket classes: the policy's tickets, expanded to the values the policy tells apart.

Every tier, channel and priority is a value of its own. Intents, segments, languages and
data classes are expanded only as far as some SLA entry, ladder or routing rule names
them, plus one "other" value (`None` in a `Ticket`, written `(other)` in outputs) that
stands for every value no definition names: such tickets are all treated alike, so one
class covers them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterator

from policyc.ir import Policy, Ref, Selector
from policyc.match import Ticket, route

OTHER = "(other)"

# The fields of a `Ticket` in the order outputs list them.
FIELDS = ("tier", "channel", "priority", "intent", "segment", "language", "data_class")


def label(value: str | None) -> str:
    """How a dimension value is written in outputs."""
    return OTHER if value is None else value


@dataclass(frozen=True)
class Dimensions:
    """The values of each ticket field that classes are expanded over, in order."""

    tier: tuple[str | None, ...]
    channel: tuple[str | None, ...]
    priority: tuple[str | None, ...]
    intent: tuple[str | None, ...] = (None,)
    segment: tuple[str | None, ...] = (None,)
    language: tuple[str | None, ...] = (None,)
    data_class: tuple[str | None, ...] = (None,)

    def tickets(self) -> Iterator[Ticket]:
        for values in itertools.product(*(getattr(self, name) for name in FIELDS)):
            yield Ticket(**dict(zip(FIELDS, values)))


def declared(table) -> tuple[str | None, ...]:
    """The ids of a section; a policy that declares none (no tiers, no priorities)
    has one class for every ticket, written `(other)`."""
    return tuple(table) or (None,)


def ticket_channels(policy: Policy) -> tuple[str | None, ...]:
    """Channels tickets arrive on: self-service channels raise none."""
    return tuple(id for id, c in policy.channels.items() if not c.self_service) or (None,)


def _named(declared, refs: list[Ref]) -> tuple[str | None, ...]:
    """The declared ids some definition names, in declaration order, then "other"."""
    used = {ref.id for ref in refs}
    return tuple(id for id in declared if id in used) + (None,)


def _selectors(policy: Policy) -> list[Selector]:
    return [entry.selector for entry in policy.sla] + [ladder.applies_to for ladder in policy.escalation.values()]


def sla_dimensions(policy: Policy) -> Dimensions:
    """The classes SLA targets and escalation ladders tell apart."""
    selectors = _selectors(policy)
    return Dimensions(
        tier=declared(policy.tiers),
        channel=declared(policy.channels),
        priority=declared(policy.priorities),
        intent=_named(policy.intents, [r for s in selectors for r in s.intents]),
        segment=_named(policy.segments, [r for s in selectors for r in s.segments]),
    )


def routing_dimensions(policy: Policy) -> Dimensions:
    """The classes SLA targets, ladders and routing rules tell apart."""
    selectors = _selectors(policy)
    matches = [rule.match for rule in policy.routing.rules]
    languages: list[str] = []
    for match in matches:
        for language in match.languages:
            if language.value not in languages:
                languages.append(language.value)
    return Dimensions(
        tier=declared(policy.tiers),
        channel=declared(policy.channels),
        priority=declared(policy.priorities),
        intent=_named(policy.intents, [r for s in selectors for r in s.intents] + [r for m in matches for r in m.intents]),
        segment=_named(policy.segments, [r for s in selectors for r in s.segments] + [r for m in matches for r in m.segments]),
        language=tuple(languages) + (None,),
        data_class=_named(policy.data_classes, [r for m in matches for r in m.data_classes]),
    )


def condition_calendars(policy: Policy) -> tuple[str, ...]:
    """Calendars whose open or closed state some routing rule depends on, in the
    order rules first name them."""
    found: list[str] = []
    for rule in policy.routing.rules:
        for ref in (rule.match.open, rule.match.closed):
            if ref is not None and ref.id not in found:
                found.append(ref.id)
    return tuple(found)


def routes(policy: Policy, ticket: Ticket, calendars: tuple[str, ...]) -> list[tuple[dict[str, str], tuple[str | None, str | None]]]:
    """The queue and rule of a ticket class in each state of the calendars that decide
    it: `[({}, (queue, rule))]` when no calendar does."""
    outcomes: dict[tuple[bool, ...], tuple[str | None, str | None]] = {}
    for states in itertools.product((True, False), repeat=len(calendars)):
        is_open = dict(zip(calendars, states))
        queue, rule = route(policy, ticket, is_open.__getitem__)
        outcomes[states] = (queue, rule.id if rule else None)

    def flipped(states: tuple[bool, ...], i: int) -> tuple[bool, ...]:
        return states[:i] + (not states[i],) + states[i + 1 :]

    deciding = [i for i in range(len(calendars)) if any(outcomes[s] != outcomes[flipped(s, i)] for s in outcomes)]
    found: dict[tuple[bool, ...], tuple[dict[str, str], tuple[str | None, str | None]]] = {}
    for states, outcome in outcomes.items():
        key = tuple(states[i] for i in deciding)
        found.setdefault(key, ({calendars[i]: "open" if states[i] else "closed" for i in deciding}, outcome))
    return list(found.values())
