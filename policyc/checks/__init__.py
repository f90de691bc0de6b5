"""The checker: rules that run over a resolved policy and report what is wrong with it.

Each check is a function from the IR to diagnostics, registered with `@check` in the
module of its rule family. A check never formats output and never reads the source.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterable, TypeVar

from policyc.diagnostics import Diagnostic
from policyc.ir import Policy

Check = Callable[[Policy], Iterable[Diagnostic]]
T = TypeVar("T")

# The rule families, in the order their checks run.
CHECK_MODULES = (
    "policyc.checks.units",
    "policyc.checks.calendars",
    "policyc.checks.sla",
    "policyc.checks.escalation",
    "policyc.checks.routing",
    "policyc.checks.commercial",
)

_CHECKS: list[Check] = []


def check(function: Check) -> Check:
    _CHECKS.append(function)
    return function


def run_checks(policy: Policy) -> list[Diagnostic]:
    for module in CHECK_MODULES:
        importlib.import_module(module)
    diagnostics: list[Diagnostic] = []
    for function in _CHECKS:
        diagnostics.extend(function(policy))
    return diagnostics


def per_policy(build: Callable[[Policy], T]) -> Callable[[Policy], T]:
    """`build(policy)` once per policy: an analysis several checks share (the ticket
    classes and their targets, compiled calendars) is made once per run. Only the
    latest policy's is kept, and it is told apart by identity, never by value."""
    latest: list[tuple[Policy, T]] = []

    def shared(policy: Policy) -> T:
        if not latest or latest[0][0] is not policy:
            latest[:] = [(policy, build(policy))]
        return latest[0][1]

    return shared
