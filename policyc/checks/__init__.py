"""The checker: rules that run over a resolved policy and report what is wrong with it.

Each check is a function from the IR to diagnostics, registered with `@check` in the
module of its rule family. A check never formats output and never reads the source.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterable, TypeVar

from policyc.diagnostics import Diagnostic
from policyc.diagnostics.rules import Rule
from policyc.ir import Policy

Check = Callable[[Policy], Iterable[Diagnostic]]
T = TypeVar("T")

# The rule families, in the order their checks run.
CHECK_MODULES = (
    "policyc.checks.units",
    "policyc.checks.calendars",
    "policyc.checks.coverage",
    "policyc.checks.dst",
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


def checker_rules() -> list[Rule]:
    """The rules the checker reports: those its modules define. These, and only these,
    a policy can suppress and `--select`/`--ignore` can choose."""
    found = []
    for name in CHECK_MODULES:
        module = importlib.import_module(name)
        found += [value for value in vars(module).values() if isinstance(value, Rule)]
    return sorted(set(found), key=lambda rule: rule.code)


def chosen_codes(select: list[str], ignore: list[str]) -> set[str]:
    """The checker codes to report, as `--select` and `--ignore` choose them: each
    word a code (`PC504`), the start of codes (`PC5`, `PC50`) or a rule name
    (`conflicting-targets`). Without `select`, every checker rule; `ignore` then
    removes. Raises ValueError, with the reason, for a word that names no checker rule."""
    rules = checker_rules()

    def matching(word: str) -> set[str]:
        wanted = word.strip()
        found = {r.code for r in rules if r.code.startswith(wanted.upper()) or r.name == wanted.lower()}
        if found:
            return found
        from policyc.diagnostics.rules import all_rules

        if any(r.code.startswith(wanted.upper()) or r.name == wanted.lower() for r in all_rules()):
            raise ValueError(
                f"`{word}` names only diagnostics reported before a policy is checked (reading, validating, "
                "resolving); those are always reported"
            )
        raise ValueError(f"`{word}` is not a code or a name of a rule; `policyc explain --list` lists them")

    chosen = set().union(*(matching(word) for word in select)) if select else {r.code for r in rules}
    for word in ignore:
        chosen -= matching(word)
    return chosen


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
