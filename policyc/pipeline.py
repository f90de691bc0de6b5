"""The pipeline, plainly staged: load -> validate -> resolve -> check (-> suppress).

Every stage reports through one diagnostic model, and a later stage runs only on what
the earlier stages accepted: a policy with schema errors is not resolved, one with
unresolved references is not checked.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policyc.diagnostics import Diagnostic, Severity, Suppressed
from policyc.ir import Policy
from policyc.span import Source, SourceMap

if TYPE_CHECKING:
    from policyc.frontend.yaml_loader import YNode


def _has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


@dataclass
class FrontEndResult:
    """A policy as written (not yet resolved), or the reasons there is none."""

    source: Source | None
    policy: Policy | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The positioned tree both front ends produce (YAML's keys, the source's spans):
    # what `fmt` and `convert` attach comments to.
    tree: YNode | None = None


def language_of(path: str | Path) -> str:
    """`dsl` for `*.pol` files, `yaml` for everything else."""
    return "dsl" if str(path).endswith(".pol") else "yaml"


def read_policy(path: str | Path) -> FrontEndResult:
    """Load and validate one file with the front end its name calls for."""
    from policyc.frontend.yaml_loader import read_source

    name = str(path)
    source, diagnostics = read_source(name)
    if source is None:
        return FrontEndResult(None, None, diagnostics)
    return parse_policy(source)


@contextmanager
def _collector_paused():
    """Reading a policy allocates a node, a span and a value for every word of it, and
    none of them refer back to each other: CPython's cycle collector would rescan the
    growing heap again and again for nothing (half the reading time of a
    10,000-rule policy)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_policy(source: Source) -> FrontEndResult:
    """Read a policy in the language its file name calls for. Both languages meet at
    the positioned tree, so validation and the IR builder are the same for both."""
    with _collector_paused():
        return _parse_policy(source)


def _parse_policy(source: Source) -> FrontEndResult:
    from policyc.frontend.yaml_builder import build_policy
    from policyc.frontend.yaml_loader import YMap
    from policyc.validate import validate, yaml_key_syntax

    if language_of(source.name) == "dsl":
        from policyc.frontend.dsl import dsl_key_syntax as key_syntax, parse_dsl as load
    else:
        from policyc.frontend.yaml_loader import parse_yaml as load

        key_syntax = yaml_key_syntax
    loaded = load(source)
    diagnostics = list(loaded.diagnostics)
    if loaded.root is None or any(d.fatal for d in diagnostics):
        return FrontEndResult(source, None, diagnostics, loaded.root)
    diagnostics += validate(loaded.root, key_syntax)
    if _has_errors(diagnostics) or not isinstance(loaded.root, YMap):
        return FrontEndResult(source, None, diagnostics, loaded.root)
    return FrontEndResult(source, build_policy(loaded.root, source.name), diagnostics, loaded.root)


@dataclass
class Analysis:
    """A policy resolved and checked: what to report, and what the policy silences."""

    policy: Policy
    diagnostics: list[Diagnostic]
    suppressed: list[Suppressed] = field(default_factory=list)


def analysis(policy: Policy) -> Analysis:
    """Resolve a policy as written, run every check on it, and apply the policy's own
    suppressions."""
    from policyc.checks import run_checks
    from policyc.resolve import resolve
    from policyc.suppressions import apply_suppressions

    resolved, diagnostics = resolve(policy)
    checked = not _has_errors(diagnostics)
    if checked:
        diagnostics += run_checks(resolved)
    kept, suppressed = apply_suppressions(resolved, diagnostics, checked=checked)
    return Analysis(resolved, kept, suppressed)


def analyse(policy: Policy) -> tuple[Policy, list[Diagnostic]]:
    """Resolve a policy as written and run every check on it: the resolved policy and
    the diagnostics to report (suppressed ones left out)."""
    found = analysis(policy)
    return found.policy, found.diagnostics


@dataclass
class CheckResult:
    """Everything `policyc check` learnt about a set of files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: SourceMap = field(default_factory=SourceMap)
    policies: dict[str, Policy] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)

    def sorted_diagnostics(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: d.sort_key)


def check_paths(paths: list[str]) -> CheckResult:
    result = CheckResult()
    for path in paths:
        result.files.append(path)
        front = read_policy(path)
        if front.source is not None:
            result.sources.add(front.source)
        result.diagnostics += front.diagnostics
        if front.policy is None:
            continue
        found = analysis(front.policy)
        result.diagnostics += found.diagnostics
        result.suppressed += found.suppressed
        if not _has_errors(found.diagnostics):
            result.policies[path] = found.policy
    return result
