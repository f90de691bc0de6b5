"""The rule registry: every diagnostic policyc can emit, with a stable code and its docs.

A rule is declared next to the code that emits it (`define(...)` at module level) and
its docs are what `policyc explain CODE` prints and what `docs/diagnostics.md` is
generated from. The examples in a rule's docs are complete policies that the test suite
runs: the failing one must raise the rule, the passing one must not.
"""

from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass

from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.span import Span

# Every module that declares rules, in catalogue order. `all_rules()` imports them so
# that `explain` and the docs see the whole catalogue without running a check.
RULE_MODULES = (
    "policyc.frontend.yaml_loader",
    "policyc.frontend.dsl",
    "policyc.validate",
    "policyc.resolve",
    "policyc.checks.units",
    "policyc.checks.calendars",
    "policyc.checks.coverage",
    "policyc.checks.dst",
    "policyc.checks.sla",
    "policyc.checks.escalation",
    "policyc.checks.routing",
    "policyc.checks.commercial",
    "policyc.suppressions",
    "policyc.tickets",
    "policyc.router",
    "policyc.backends.lossy",
)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example_fail: str | None = None
    example_pass: str | None = None
    # Input that cannot be read or parsed: the run exits 2.
    fatal: bool = False
    # The file name the examples are checked under; its extension picks the language
    # (`.pol` for the DSL).
    example_file: str = "example.policy.yaml"
    # Rules a compile target raises about what it cannot express fire only when that
    # target runs: the examples of such a rule are compiled for these targets.
    compile_targets: tuple[str, ...] = ()
    # What the rule reports on: a policy (`policyc check`), or the tickets given to
    # `policyc route`, whose examples are ticket rows shown in `what`, not policies.
    subject: str = "policy"

    @property
    def example_language(self) -> str:
        from policyc.pipeline import language_of

        return language_of(self.example_file)

    def diagnostic(
        self,
        message: str,
        span: Span | None,
        *,
        hint: str | None = None,
        related: tuple[Related, ...] | list[Related] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            span=span,
            hint=hint,
            related=tuple(related),
            fatal=self.fatal,
        )


_RULES: dict[str, Rule] = {}


def define(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    what: str,
    why: str,
    example_fail: str | None = None,
    example_pass: str | None = None,
    fatal: bool = False,
    example_file: str = "example.policy.yaml",
    compile_targets: tuple[str, ...] = (),
    subject: str = "policy",
) -> Rule:
    if code in _RULES:
        raise ValueError(f"rule code {code} is defined twice")
    rule = Rule(
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        what=textwrap.dedent(what).strip(),
        why=textwrap.dedent(why).strip(),
        example_fail=_example(example_fail),
        example_pass=_example(example_pass),
        fatal=fatal,
        example_file=example_file,
        compile_targets=compile_targets,
        subject=subject,
    )
    _RULES[code] = rule
    return rule


def _example(text: str | None) -> str | None:
    if text is None:
        return None
    return textwrap.dedent(text).lstrip("\n")


def example_policy(*bodies: str, timezone: str = "Europe/London", effective_date: str | None = None) -> str:
    """A complete example policy: the example organisation, then each of `bodies` (YAML,
    each in any indentation: definitions a family's examples share, then the example's
    own lines). Most rule examples differ only after this preamble."""
    preamble = f"policyc: 1\norganisation:\n  name: Acme\n  currency: USD\n  timezone: {timezone}\n"
    if effective_date is not None:
        preamble += f"  contract:\n    effective_date: {effective_date}\n"
    return preamble + "".join(textwrap.dedent(body).lstrip("\n") for body in bodies)


def all_rules() -> list[Rule]:
    for module in RULE_MODULES:
        importlib.import_module(module)
    return sorted(_RULES.values(), key=lambda rule: rule.code)


def lookup(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None


def rule_doc(rule: Rule) -> str:
    """The rule's documentation as Markdown: what `explain` prints and the docs show."""
    parts = [
        f"## {rule.code} `{rule.name}`",
        "",
        f"**Default severity:** {rule.severity.value}" + (" (input cannot be read: exit 2)" if rule.fatal else ""),
        "",
    ]
    if rule.compile_targets:
        parts += [
            f"**Raised by:** `policyc compile` for {', '.join(f'`{t}`' for t in rule.compile_targets)}; "
            f"accept the loss in the policy, with a `suppress:` entry of {rule.code} and the reason on the "
            f"definition it points at, or for one run with `--allow-lossy {rule.code}`",
            "",
        ]
    parts += [
        *(["Reported by `policyc route` on the tickets it reads.", ""] if rule.subject == "tickets" else []),
        rule.summary,
        "",
        "### What it does",
        "",
        rule.what,
        "",
        "### Why it matters",
        "",
        rule.why,
    ]
    fence = "```" + rule.example_language
    if rule.example_fail is not None:
        parts += ["", "### Example", "", fence, rule.example_fail.rstrip("\n"), "```"]
    if rule.example_pass is not None:
        parts += ["", "### Use instead", "", fence, rule.example_pass.rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"
