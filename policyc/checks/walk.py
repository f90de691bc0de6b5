"""Walks over the IR that several checks and the resolver share."""

from __future__ import annotations

from typing import Iterator

from policyc.ir import Policy, SlaEntry, Target


def entry_name(entry: SlaEntry, index: int) -> str:
    return f"SLA entry `{entry.id}`" if entry.id else f"SLA entry {index + 1}"


def targets(policy: Policy) -> Iterator[tuple[str, Target]]:
    """Every deadline in the policy, with words that say where it is."""
    for index, entry in enumerate(policy.sla):
        for metric, target in entry.targets:
            yield f"`{metric.value}` of {entry_name(entry, index)}", target
    for ladder in policy.escalation.values():
        for level in ladder.levels:
            for name in ("acknowledge", "resolve", "update_interval"):
                target = getattr(level, name)
                if target is not None:
                    yield f"`{name}` of level `{level.name}` in escalation `{ladder.id}`", target
    if policy.refunds is not None and policy.refunds.processing is not None:
        yield "`refunds.processing`", policy.refunds.processing
