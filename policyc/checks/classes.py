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
    """Every class a ticket can be in, in the order of the policy's definitions, those
    without an intent or segment first: a finding shown on an example class shows the
    plainest one."""
    found = [ticket for ticket in sla_dimensions(policy).tickets() if _arrives(policy, ticket)]
    return sorted(found, key=lambda ticket: (ticket.intent is not None, ticket.segment is not None))


def _arrives(policy: Policy, ticket: Ticket) -> bool:
    if ticket.channel is not None and policy.channels[ticket.channel].self_service:
        return False
    if ticket.tier is None or ticket.channel is None:
        return True
    included = policy.tiers[ticket.tier].channels
    return not included or any(ref.id == ticket.channel for ref in included)


# How each field of a ticket reads after "... tickets", in this order.
_FIELD_WORDS = (
    ("tier", "of tier `{}`"),
    ("channel", "by `{}`"),
    ("intent", "with intent `{}`"),
    ("segment", "from segment `{}`"),
    ("language", "in language `{}`"),
    ("data_class", "carrying `{}`"),
)


def describe(ticket: Ticket) -> str:
    """The class in words: "`P1` tickets of tier `pro` by `email`", or "tickets"."""
    words = f"`{ticket.priority}` tickets" if ticket.priority is not None else "tickets"
    for field, text in _FIELD_WORDS:
        value = getattr(ticket, field)
        if value is not None:
            words += " " + text.format(value)
    return words


def scope(ticket: Ticket) -> str:
    """" (for `P1` tickets of tier `pro` by `email`)", or nothing for a policy that
    tells no tickets apart."""
    words = describe(ticket)
    return f" (for {words})" if words != "tickets" else ""
