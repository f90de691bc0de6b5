"""Ticket classes: every kind of ticket a policy tells apart, for checks that ask
"what does this ticket get?" of each one.

A class is a tier, one of the staffed channels the tier includes, a priority, and an
intent and a customer segment (or none). These are exactly the fields SLA entries and
escalation ladders select on, so two tickets of one class always get the same targets
and the same ladder: checking every class checks every ticket.
"""

from __future__ import annotations

from itertools import product

from policyc.ir import Policy
from policyc.match import Ticket


def ticket_classes(policy: Policy) -> list[Ticket]:
    """Every class, in the order of the policy's definitions (tiers, then channels,
    priorities, intents and segments)."""
    staffed = [id for id, channel in policy.channels.items() if not channel.self_service]
    priorities = list(policy.priorities) or [None]
    intents = [None, *policy.intents]
    segments = [None, *policy.segments]
    found = []
    for tier in list(policy.tiers) or [None]:
        for channel in channels_of(policy, tier, staffed) or [None]:
            for priority, intent, segment in product(priorities, intents, segments):
                found.append(Ticket(tier=tier, channel=channel, priority=priority, intent=intent, segment=segment))
    return found


def channels_of(policy: Policy, tier: str | None, staffed: list[str]) -> list[str]:
    """The staffed channels a tier's tickets can arrive by: those it includes, or every
    staffed channel when it lists none."""
    included = {ref.id for ref in policy.tiers[tier].channels} if tier is not None else set()
    return [id for id in staffed if not included or id in included]


def describe(ticket: Ticket) -> str:
    """The class in words: "`P1` tickets of tier `pro` by `email`"."""
    words = f"`{ticket.priority}` tickets" if ticket.priority is not None else "tickets"
    if ticket.tier is not None:
        words += f" of tier `{ticket.tier}`"
    if ticket.channel is not None:
        words += f" by `{ticket.channel}`"
    if ticket.intent is not None:
        words += f" with intent `{ticket.intent}`"
    if ticket.segment is not None:
        words += f" from segment `{ticket.segment}`"
    return words
