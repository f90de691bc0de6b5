"""One diagnostic model for every stage: load, validate, resolve, check, compile."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable

from policyc.span import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Related:
    """Another place that contributed to a diagnostic (the other window of an overlap)."""

    span: Span
    message: str


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span | None
    hint: str | None = None
    related: tuple[Related, ...] = ()
    # Input that could not be read or parsed at all: the CLI exits 2, not 1.
    fatal: bool = False

    @property
    def sort_key(self) -> tuple:
        if self.span is None:
            return ("", 0, 0, self.code, self.message)
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)


@dataclass(frozen=True)
class Suppressed:
    """A diagnostic the policy silences where it occurs (`suppress:`), with the
    author's reason and the place of the suppression. Reports count it; SARIF and
    JUnit also list it, as a suppressed result and a skipped test."""

    diagnostic: Diagnostic
    reason: str
    span: Span | None


@dataclass
class Report:
    """The diagnostics of one run, in a stable order."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: d.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def has_fatal(self) -> bool:
        return any(d.fatal for d in self.diagnostics)


def exit_code(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    """0 clean, 1 the policy has errors (or warnings under --strict), 2 unreadable input."""
    diagnostics = list(diagnostics)
    if any(d.fatal for d in diagnostics):
        return 2
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return 1
    if strict and any(d.severity is Severity.WARNING for d in diagnostics):
        return 1
    return 0
