"""Which definitions apply to a ticket: the one meaning of selectors, shared by the
checker, `policyc route` and every back end.

- SLA entries: for each metric, the most specific matching entry that sets the metric
  wins. An entry narrowed by intent or segment (a complaint, a VIP) is more specific
  than any entry that is not; then the more of tiers, priorities and channels an entry
  constrains, the more specific it is. Among equally specific entries the first in the
  file wins; the checker reports equally specific entries that disagree, so a clean
  policy never depends on file order.
- Escalation ladders: the most specific matching ladder, first in file order on ties.
- Routing rules: the matching rule with the lowest precedence number; rules of equal
  precedence are tried in file order (the checker reports equal-precedence overlaps
  with different queues). If none matches, the default queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from policyc.ir import Ladder, Match, Metric, Policy, Ref, RoutingRule, Selector, SlaEntry, Target


@dataclass(frozen=True)
class Ticket:
    """What routing and SLA lookup know about a ticket. `None` means not known: it
    matches only selectors that do not constrain that field."""

    tier: str | None = None
    channel: str | None = None
    priority: str | None = None
    intent: str | None = None
    segment: str | None = None
    language: str | None = None
    data_class: str | None = None


def _admits(refs: tuple[Ref, ...], value: str | None) -> bool:
    return not refs or (value is not None and any(ref.id == value for ref in refs))


def selector_matches(selector: Selector, ticket: Ticket) -> bool:
    return (
        _admits(selector.tiers, ticket.tier)
        and _admits(selector.priorities, ticket.priority)
        and _admits(selector.channels, ticket.channel)
        and _admits(selector.intents, ticket.intent)
        and _admits(selector.segments, ticket.segment)
    )


def specificity(selector: Selector) -> tuple[int, int]:
    narrowing = sum(bool(refs) for refs in (selector.intents, selector.segments))
    base = sum(bool(refs) for refs in (selector.tiers, selector.priorities, selector.channels))
    return narrowing, base


def _tied(candidates: list[tuple[Selector, object]]) -> list:
    """The items of the most specific selectors, in file order (the first of equals
    wins)."""
    best_rank = max((specificity(selector) for selector, _ in candidates), default=None)
    return [item for selector, item in candidates if specificity(selector) == best_rank]


@dataclass(frozen=True)
class AppliedTarget:
    metric: Metric
    target: Target
    entry: SlaEntry


def sla_targets(policy: Policy, ticket: Ticket, *, internal: bool = False) -> dict[Metric, AppliedTarget]:
    """The target of each metric that applies to the ticket, and the entry it came from.

    Promises and internal objectives are looked up separately: an objective never
    replaces the promise it serves. `internal=True` gives the objectives.
    """
    found: dict[Metric, AppliedTarget] = {}
    for metric in Metric:
        tied = tied_sla_entries(policy, ticket, metric, internal=internal)
        if tied:
            found[metric] = AppliedTarget(metric, tied[0].target(metric), tied[0])
    return found


def tied_sla_entries(policy: Policy, ticket: Ticket, metric: Metric, *, internal: bool = False) -> list[SlaEntry]:
    """The most specific entries that set `metric` for the ticket, in file order. The
    first applies; more than one means the file order decides (the checker reports it
    when they disagree)."""
    return _tied(
        [
            (entry.selector, entry)
            for entry in policy.sla
            if (target := entry.target(metric)) is not None
            and target.internal == internal
            and selector_matches(entry.selector, ticket)
        ]
    )


def tied_ladders(policy: Policy, ticket: Ticket) -> list[Ladder]:
    """The most specific ladders for the ticket, in file order; the first applies."""
    return _tied([(ladder.applies_to, ladder) for ladder in policy.escalation.values() if selector_matches(ladder.applies_to, ticket)])


def ladder_for(policy: Policy, ticket: Ticket) -> Ladder | None:
    tied = tied_ladders(policy, ticket)
    return tied[0] if tied else None


def rule_matches(match: Match, ticket: Ticket, is_open: Callable[[str], bool] | None = None) -> bool:
    """Whether a routing rule takes the ticket. `is_open(calendar_id)` answers the
    open/closed conditions at the ticket's arrival; without it, rules with such a
    condition do not match."""
    if not (
        _admits(match.tiers, ticket.tier)
        and _admits(match.channels, ticket.channel)
        and _admits(match.priorities, ticket.priority)
        and _admits(match.intents, ticket.intent)
        and _admits(match.segments, ticket.segment)
        and _admits(match.data_classes, ticket.data_class)
    ):
        return False
    if match.languages and not (ticket.language is not None and any(t.value == ticket.language for t in match.languages)):
        return False
    if match.open is not None and not (is_open is not None and is_open(match.open.id)):
        return False
    if match.closed is not None and not (is_open is not None and not is_open(match.closed.id)):
        return False
    return True


def rules_in_order(policy: Policy) -> list[RoutingRule]:
    """Routing rules in the order they are tried: precedence, then file order."""
    return sorted(policy.routing.rules, key=lambda rule: rule.precedence)


def route(policy: Policy, ticket: Ticket, is_open: Callable[[str], bool] | None = None) -> tuple[str | None, RoutingRule | None]:
    """The queue a ticket goes to, and the rule that sent it there (None: the default)."""
    for rule in rules_in_order(policy):
        if rule_matches(rule.match, ticket, is_open):
            return rule.queue.id, rule
    default = policy.routing.default
    return (default.id if default else None), None
