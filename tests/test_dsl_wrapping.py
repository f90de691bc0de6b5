"""Long free text and long lists in the DSL: written over several lines, read as one.

Quoted pieces written one after another are one text (`description "The first part, "
"and the rest."`), and a list may break after any comma. `policyc fmt` uses both to keep
statements within the width.
"""

from __future__ import annotations

import dataclasses

from conftest import ROOT
from test_printer_roundtrip import assert_printing_laws
from policyc import ir
from policyc.pipeline import parse_policy, read_policy
from policyc.printer import print_policy
from policyc.printer.layout import WIDTH
from policyc.span import Source

HEADER = 'policyc 1\norganisation "Acme" {\n  currency USD\n  timezone Europe/London\n}\n'
EVERY_KEY = read_policy(ROOT / "tests" / "dsl" / "every-key.pol").policy

LONG = (
    "A function the customer's business depends on (such as claims or benefits-card "
    'payments) is unavailable for most users, "and" there is no workaround \\ at all.'
)


def read(text: str):
    front = parse_policy(Source("policy.pol", text))
    assert front.policy is not None, front.diagnostics
    return front


def test_quoted_pieces_one_after_another_are_one_text():
    front = read(HEADER + 'priority P1 {\n  definition "Down for "  # why\n    "most users."\n}\n')
    assert front.policy.priorities["P1"].definition == "Down for most users."
    definition = front.tree.get("priorities").get("P1").get("definition")
    assert (definition.span.line, definition.span.column, definition.span.end_line, definition.span.end_column) == (7, 14, 8, 18)


def test_the_reason_of_a_suppression_may_run_over_lines():
    front = read(HEADER + 'tier basic {\n  suppress PC401 "The plan is "\n                 "sold without hours."\n}\n')
    assert front.policy.suppressions[0].reason == "The plan is sold without hours."


def test_a_list_may_break_after_any_comma():
    front = read(HEADER + 'tier basic {\n  extras "One",\n         "Two", "Three"\n}\n')
    assert front.policy.tiers["basic"].extras == ("One", "Two", "Three")


def _with_long_values(policy: ir.Policy) -> ir.Policy:
    first, *others = policy.tiers.values()
    extras = tuple(f"Extra number {n}, with words" for n in range(8))
    tier = dataclasses.replace(first, description=LONG, extras=extras)
    priority = dataclasses.replace(next(iter(policy.priorities.values())), definition=LONG + "  Two spaces stay.")
    return dataclasses.replace(
        policy,
        tiers=ir.Table({tier.id: tier} | {t.id: t for t in others}),
        priorities=ir.Table({priority.id: priority} | {p.id: p for p in list(policy.priorities.values())[1:]}),
        suppressions=tuple(dataclasses.replace(s, reason=LONG) for s in policy.suppressions),
    )


def test_fmt_wraps_long_text_and_lists_within_the_width():
    policy = _with_long_values(EVERY_KEY)
    text = print_policy(policy, "dsl")
    assert max(len(line) for line in text.splitlines()) <= WIDTH, text
    assert '  description "A function the customer\'s business depends on (such as claims or "\n' in text
    assert '              "benefits-card payments) is unavailable for most users, \\"and\\" there is "\n' in text
    assert '  extras "Extra number 0, with words", "Extra number 1, with words",\n         "Extra number 2' in text
    assert_printing_laws(policy)


def test_a_word_longer_than_the_width_keeps_a_line_of_its_own():
    word = "x" * (WIDTH + 10)
    first, *others = EVERY_KEY.tiers.values()
    tier = dataclasses.replace(first, description=f"Before {word} after")
    policy = dataclasses.replace(EVERY_KEY, tiers=ir.Table({tier.id: tier} | {t.id: t for t in others}))
    text = print_policy(policy, "dsl")
    assert f'              "{word} "\n              "after"\n' in text
    assert_printing_laws(policy)
