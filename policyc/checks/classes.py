"""The ticket classes checks ask about, and how messages name them.

The classes are those of `policyc.backends.classes` (every tier, channel and priority,
and the intents and segments some definition names, plus "other"), less those no
ticket can be: a tier's tickets arrive only by the staffed channels it includes.
Two tickets of one class get the same targets and the same ladder, so checking every
class checks every ticket.
"""

from __future__ import annotations

from policyc.backends.classes import sla_dimensions
from policyc.ir import Policy
from policyc.match import Ticket


def ticket_classes(policy: Policy) -> list[Ticket]:
    """Every class a ticket can be in, in the order of the policy's definitions."""
    return [ticket for ticket in sla_dimensions(policy).tickets() if _arrives(policy, ticket)]


def _arrives(policy: Policy, ticket: Ticket) -> bool:
    if ticket.channel is not None and policy.channels[ticket.channel].self_service:
        return False
    if ticket.tier is None or ticket.channel is None:
        return True
    included = policy.tiers[ticket.tier].channels
    return not included or any(ref.id == ticket.channel for ref in included)


def describe(ticket: Ticket) -> str:
    """The class in words: "`P1` tickets of tier `pro` by `email`", or "tickets"."""
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


def scope(ticket: Ticket) -> str:
    """" (for `P1` tickets of tier `pro` by `email`)", or nothing for a policy that
    tells no tickets apart."""
    words = describe(ticket)
    return f" (for {words})" if words != "tickets" else ""
