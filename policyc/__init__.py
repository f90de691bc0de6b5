"""policyc: a compiler for customer-support policy.

The Python API mirrors the command line and needs no click:

    import policyc
    policy = policyc.load("examples/flexfacts/policy.yaml")   # the IR, as written
    for diagnostic in policyc.check(policy):                 # resolve + every check
        print(diagnostic.code, diagnostic.message)
    policyc.compile("examples/flexfacts/policy.yaml", "out/", targets=["routing"])
    for answer in policyc.route(policy, [{"id": "T-1", "created_at": "2026-03-09T14:00:00Z",
                                          "tier": "pro", "channel": "email", "priority": "P2"}]):
        print(answer)                                        # queue, rule, due instants
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import policyc.resolve  # noqa: F401  (see below)
from policyc.compile import Compilation
from policyc.diagnostics import Diagnostic, Severity
from policyc.ir import Policy

# Importing a submodule makes it an attribute of its package: the first import of
# `policyc.resolve` (by `check`) or `policyc.compile` would replace the `resolve` or
# `compile` function defined below with the module. Importing them here, before the
# functions are defined, means the functions are what those names stay for good.

__version__ = "0.1.0"

__all__ = ["Compilation", "Diagnostic", "Policy", "PolicyError", "Severity", "check", "compile", "load", "loads", "resolve", "route", "__version__"]


class PolicyError(Exception):
    """The policy could not be loaded; `diagnostics` says why, each with its place."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: d.sort_key)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.span}: {first.code} {first.message}" if first and first.span else "invalid policy"
        more = len(self.diagnostics) - 1
        super().__init__(summary + (f" (and {more} more)" if more > 0 else ""))


def _accepted(front) -> Policy:
    errors = [d for d in front.diagnostics if d.severity is Severity.ERROR]
    if front.policy is None or errors:
        raise PolicyError(front.diagnostics)
    return front.policy


def load(path: str | Path) -> Policy:
    """Read and validate a policy file; raise `PolicyError` if it cannot be loaded."""
    from policyc.pipeline import read_policy

    return _accepted(read_policy(path))


def loads(text: str, name: str = "<string>") -> Policy:
    """Like `load`, from text; `name` is used in diagnostics."""
    from policyc.pipeline import parse_policy
    from policyc.span import Source

    return _accepted(parse_policy(Source(name, text)))


def check(policy: Policy) -> list[Diagnostic]:
    """Resolve a loaded policy and run every check; the diagnostics in source order."""
    from policyc.pipeline import analyse

    _, diagnostics = analyse(policy)
    return sorted(set(diagnostics), key=lambda d: d.sort_key)


# Importing a submodule binds its name on the package: without this, the first
# `import policyc.resolve` anywhere would replace the function below with the module.
import policyc.resolve  # noqa: E402,F401  (before the function, which then wins)


def resolve(policy: Policy) -> Policy:
    """The policy ready for back ends: references, defaults and holidays resolved.
    Raises `PolicyError` if it has errors."""
    from policyc.pipeline import analyse

    resolved, diagnostics = analyse(policy)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise PolicyError(diagnostics)
    return resolved


def compile(
    path: str | Path,
    output: str | Path | None = None,
    *,
    targets=None,
    allow_lossy=(),
    as_of=None,
    templates: str | Path | None = None,
):
    """Compile a policy file for `targets` (all by default) and, if `output` is given,
    write the files there atomically (each target's folder is replaced, others kept).

    Returns the `Compilation`: `files` (path -> bytes) and `diagnostics` (warnings,
    including losses allowed with `allow_lossy` codes). Raises `PolicyError` when the
    policy has errors, including what a target cannot express, and `ValueError` for an
    unknown target.
    """
    from policyc.compile import compile_options, compile_path
    from policyc.write import write_tree_atomic

    chosen = compile_options(targets, allow_lossy, as_of, templates)
    result = compile_path(path, chosen)
    if not result.ok:
        raise PolicyError(result.diagnostics)
    if output is not None:
        write_tree_atomic(output, result.files, replace=result.targets)
    return result

def route(policy: Policy, tickets: Iterable[Mapping[str, Any]], *, objectives: bool = False) -> Iterator[Any]:
    """Route tickets (mappings with the fields `policyc route` reads) through a loaded
    policy. Yields, in order, a `policyc.router.Routed` per ticket (queue, rule, ladder,
    due instants) or a `policyc.router.Rejected` with the diagnostics of a bad one.
    Raises `PolicyError` if the policy has errors or its tickets need a horizon it lacks."""
    from policyc.router import Router, route_rows
    from policyc.tickets import Row

    router = Router(resolve(policy), objectives=objectives)
    rows = (Row(number, number, "", dict(ticket)) for number, ticket in enumerate(tickets, 1))
    return route_rows(router, rows, "<tickets>")
