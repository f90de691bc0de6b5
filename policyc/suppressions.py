"""Suppressions written in the policy: a definition's `suppress:` list silences the
diagnostics of the named codes whose place is inside that definition.

Two kinds of diagnostics can be suppressed: the checker's (the rules of
`policyc.checks`), and the losses a compile target reports (PC950-PC960,
`policyc.backends.lossy`), which an organisation may decide to live with. A policy
that cannot be read, validated or resolved is never checked, so silencing those
stages' errors would hide that nothing was checked at all. A suppression must say why,
names a code that exists, and must silence something: one left behind after its
diagnostic is fixed is reported, so suppressions do not outlive their reasons. A loss
is known only once the targets have run, so `check` leaves suppressions of losses to
`compile`, which reports them unused only when it compiled every target.
"""

from __future__ import annotations

from typing import Iterable

from policyc.backends.lossy import LOSSY_RULES
from policyc.checks import checker_rules
from policyc.diagnostics import Diagnostic, Related, Severity, Suppressed
from policyc.diagnostics.rules import define, example_policy, lookup
from policyc.ir import Policy, Suppression
from policyc.span import Span

BAD_SUPPRESSION = define(
    "PC205",
    "bad-suppression",
    Severity.ERROR,
    "A suppression of a code that does not exist or cannot be suppressed.",
    what="""
        Reports a `suppress:` entry whose `code` is neither a diagnostic of the
        checker nor a loss a compile target reports (PC950 to PC960): a code no rule
        has, or one of a stage that runs before the checker (reading, validating or
        resolving the policy), whose errors stop it from being checked.
    """,
    why="""
        A suppression of a code that never occurs here silences nothing, and usually
        has a typo in its code; errors that stop the checker cannot be silenced,
        because then nothing would be checked at all.
    """,
    example_fail=example_policy(
        """
        priorities:
          high:
          standard:
        sla:
          - priorities: [high]
            first_response: 1h
            suppress:
              - code: PC999
                reason: Triaged by phone first.
        """
    ),
    example_pass=example_policy(
        """
        priorities:
          high:
          standard:
        sla:
          - priorities: [high]
            first_response: 12h
            suppress:
              - code: PC502
                reason: High tickets are triaged by phone within the hour; the 12 hours are for the written answer.
          - priorities: [standard]
            first_response: 1h
        """
    ),
)

UNUSED_SUPPRESSION = define(
    "PC206",
    "unused-suppression",
    Severity.WARNING,
    "A suppression that silences nothing.",
    what="""
        Reports a `suppress:` entry when the checker raises no diagnostic of its code
        inside the definition it is written on. A suppression of a loss a compile
        target reports (PC950 to PC960) is reported by `policyc compile`, and only
        when it compiled every target and none reported that loss there: `policyc
        check` does not run the targets, and a compile of some targets knows nothing
        of the losses of the others.
    """,
    why="""
        The problem it was written for has been fixed, or it was written on the wrong
        definition. Left in place, it would silence the next, unrelated problem of the
        same kind without anyone reading it.
    """,
    example_fail=example_policy(
        """
        priorities:
          high:
          standard:
        sla:
          - priorities: [high]
            first_response: 1h
            suppress:
              - code: PC502
                reason: High tickets are triaged by phone first.
          - priorities: [standard]
            first_response: 12h
        """
    ),
    example_pass=example_policy(
        """
        priorities:
          high:
          standard:
        sla:
          - priorities: [high]
            first_response: 1h
          - priorities: [standard]
            first_response: 12h
        """
    ),
)


def _inside(span: Span | None, scope: Span) -> bool:
    if span is None or span.file != scope.file:
        return False
    return (scope.line, scope.column) <= (span.line, span.column) <= (scope.end_line, scope.end_column)


def _silence(suppressions: list[Suppression], diagnostics: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Suppressed], list[Suppression]]:
    """The diagnostics no suppression covers, those silenced, and the suppressions that
    silenced nothing."""
    used: set[int] = set()
    kept: list[Diagnostic] = []
    silenced: list[Suppressed] = []
    for diagnostic in diagnostics:
        matches = [i for i, s in enumerate(suppressions) if s.code == diagnostic.code and _inside(diagnostic.span, s.scope)]
        if not matches:
            kept.append(diagnostic)
            continue
        used.update(matches)
        silenced.append(Suppressed(diagnostic, suppressions[matches[0]].reason, suppressions[matches[0]].span))
    return kept, silenced, [s for i, s in enumerate(suppressions) if i not in used]


def _unused(suppression: Suppression, reporter: str) -> Diagnostic:
    return UNUSED_SUPPRESSION.diagnostic(
        f"`{suppression.place}` suppresses {suppression.code}, but {reporter} no {suppression.code} there",
        suppression.span,
        hint="remove the suppression, or move it to the definition the diagnostic points at",
        related=[Related(suppression.scope, f"`{suppression.place}`")],
    )


def apply_suppressions(policy: Policy, diagnostics: Iterable[Diagnostic], *, checked: bool) -> tuple[list[Diagnostic], list[Suppressed]]:
    """The diagnostics still reported, and those the policy's suppressions silence.
    `checked`: whether the checker ran (if not, no suppression can be unused).
    Suppressions of losses are accepted here and applied by `accept_losses`."""
    checker_codes = {rule.code for rule in checker_rules()}
    valid: list[Suppression] = []
    kept: list[Diagnostic] = []
    for suppression in policy.suppressions:
        if suppression.code in checker_codes:
            valid.append(suppression)
            continue
        if suppression.code in LOSSY_RULES:
            continue
        rule = lookup(suppression.code)
        why = "no rule has this code" if rule is None else f"`{rule.name}` is reported before the policy is checked"
        kept.append(
            BAD_SUPPRESSION.diagnostic(
                f"`{suppression.place}` suppresses {suppression.code}, which cannot be suppressed: {why}",
                suppression.span,
                hint="name the code of a checker diagnostic or of a loss a compile target reports "
                "(`policyc explain --list` lists them), or fix the problem",
            )
        )
    reported, silenced, unused = _silence(valid, diagnostics)
    if checked:
        reported += [_unused(suppression, "the checker reports") for suppression in unused]
    return kept + reported, silenced


def accept_losses(policy: Policy, losses: Iterable[Diagnostic], *, every_target: bool) -> tuple[list[Diagnostic], list[Suppressed]]:
    """The losses compile targets reported that are still reported, and those the
    policy accepts with a suppression. `every_target`: whether every target was
    compiled; only then is a suppression that accepted no loss unused."""
    accepting = [s for s in policy.suppressions if s.code in LOSSY_RULES]
    reported, silenced, unused = _silence(accepting, losses)
    if every_target:
        reported += [_unused(suppression, "the compiled targets report") for suppression in unused]
    return reported, silenced
