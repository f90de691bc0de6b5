"""Suppressions written in the policy: a definition's `suppress:` list silences the
diagnostics of the named codes whose place is inside that definition.

Only the checker's diagnostics can be suppressed (the rules of `policyc.checks`): a
policy that cannot be read, validated or resolved is never checked, so silencing
those would hide that nothing was checked at all. A suppression must say why, names
a code that exists, and must silence something: one left behind after its diagnostic
is fixed is reported, so suppressions do not outlive their reasons.
"""

from __future__ import annotations

from typing import Iterable

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
        Reports a `suppress:` entry whose `code` is not a diagnostic of the checker:
        a code no rule has, or one of a stage that runs before the checker (reading,
        validating or resolving the policy), whose errors stop it from being checked.
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
        inside the definition it is written on.
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


def apply_suppressions(policy: Policy, diagnostics: Iterable[Diagnostic], *, checked: bool) -> tuple[list[Diagnostic], list[Suppressed]]:
    """The diagnostics still reported, and those the policy's suppressions silence.
    `checked`: whether the checker ran (if not, no suppression can be unused)."""
    suppressible = {rule.code for rule in checker_rules()}
    valid: list[Suppression] = []
    kept: list[Diagnostic] = []
    for suppression in policy.suppressions:
        if suppression.code in suppressible:
            valid.append(suppression)
            continue
        rule = lookup(suppression.code)
        why = "no rule has this code" if rule is None else f"`{rule.name}` is reported before the policy is checked"
        kept.append(
            BAD_SUPPRESSION.diagnostic(
                f"`{suppression.place}` suppresses {suppression.code}, which cannot be suppressed: {why}",
                suppression.span,
                hint="name the code of a checker diagnostic (`policyc explain --list` lists them), or fix the problem",
            )
        )
    used: set[int] = set()
    silenced: list[Suppressed] = []
    for diagnostic in diagnostics:
        matches = [i for i, s in enumerate(valid) if s.code == diagnostic.code and _inside(diagnostic.span, s.scope)]
        if not matches:
            kept.append(diagnostic)
            continue
        used.update(matches)
        silenced.append(Suppressed(diagnostic, valid[matches[0]].reason, valid[matches[0]].span))
    if checked:
        for i, suppression in enumerate(valid):
            if i not in used:
                kept.append(
                    UNUSED_SUPPRESSION.diagnostic(
                        f"`{suppression.place}` suppresses {suppression.code}, but the checker reports no "
                        f"{suppression.code} there",
                        suppression.span,
                        hint="remove the suppression, or move it to the definition the diagnostic points at",
                        related=[Related(suppression.scope, f"`{suppression.place}`")],
                    )
                )
    return kept, silenced
