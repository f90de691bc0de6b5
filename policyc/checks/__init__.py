"""The checker: rules that run over a resolved policy and report what is wrong with it.

Each check is a function from the IR to diagnostics, registered with `@check` in the
module of its rule family. A check never formats output and never reads the source.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterable

from policyc.diagnostics import Diagnostic
from policyc.ir import Policy

Check = Callable[[Policy], Iterable[Diagnostic]]

# The rule families, in the order their checks run.
CHECK_MODULES = (
    "policyc.checks.units",
    "policyc.checks.calendars",
    "policyc.checks.dst",
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
