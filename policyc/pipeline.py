"""The pipeline, plainly staged: load -> validate -> resolve -> check.

Every stage reports through one diagnostic model, and a later stage runs only on what
the earlier stages accepted: a policy with schema errors is not resolved, one with
unresolved references is not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policyc.diagnostics import Diagnostic, Severity
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


def parse_policy(source: Source) -> FrontEndResult:
    """Read a policy in the language its file name calls for. Both languages meet at
    the positioned tree, so validation and the IR builder are the same for both."""
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


def analyse(policy: Policy) -> tuple[Policy, list[Diagnostic]]:
    """Resolve a policy as written and run every check on it."""
    from policyc.checks import run_checks
    from policyc.resolve import resolve

    resolved, diagnostics = resolve(policy)
    if _has_errors(diagnostics):
        return resolved, diagnostics
    return resolved, diagnostics + run_checks(resolved)


@dataclass
class CheckResult:
    """Everything `policyc check` learnt about a set of files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: SourceMap = field(default_factory=SourceMap)
    policies: dict[str, Policy] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

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
        resolved, diagnostics = analyse(front.policy)
        result.diagnostics += diagnostics
        if not _has_errors(diagnostics):
            result.policies[path] = resolved
    return result
