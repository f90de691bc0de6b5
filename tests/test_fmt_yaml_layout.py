"""The layout `policyc fmt` gives YAML policies (docs/dsl.md, "policyc fmt").

Each file in `tests/fixtures/fmt/` is written the way people write YAML before it is
formatted; its formatted text is the golden file `tests/snapshots/fmt/<name>`
(`pytest --update-goldens` rewrites it; review the diff). Formatting keeps the policy
and the comments, and formatting again changes nothing. A property test holds long
free text, folded or not, to the printing laws of `test_printer_roundtrip.py`.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from test_printer_roundtrip import assert_printing_laws
from policyc import ir
from policyc.pipeline import parse_policy, read_policy
from policyc.printer import print_policy, reprint
from policyc.printer.layout import WIDTH
from policyc.span import Source

CASES = sorted((ROOT / "tests" / "fixtures" / "fmt").glob("*.policy.yaml"))
EVERY_KEY = read_policy(ROOT / "tests" / "fixtures" / "every-key.policy.yaml").policy


def comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


@pytest.mark.parametrize("path", CASES, ids=[path.name for path in CASES])
def test_fmt_lays_out_yaml_as_its_golden_file_shows(path, golden):
    front = read_policy(path)
    formatted = reprint(front, "yaml")
    golden.check(f"fmt/{path.name}", formatted)
    again = parse_policy(Source(path.name, formatted))
    assert again.policy == front.policy
    assert comments(formatted) == comments(path.read_text(encoding="utf-8")) + ["yaml-language-server: $schema=https://policyc.dev/schemas/policy.schema.json"]
    assert reprint(again, "yaml") == formatted


def test_the_golden_files_show_every_rule():
    """The cases above are about what they say they are."""
    text = {path.name: (ROOT / "tests" / "snapshots" / "fmt" / path.name).read_text(encoding="utf-8") for path in CASES}
    long_text = text["long-text.policy.yaml"]
    assert "    definition: >-\n      The service, or a function" in long_text  # folded at the width
    assert "  # ours\n    definition: >-\n" in long_text  # a comment cannot follow `>-`
    assert "    description: It's a \"quoted\" word\n" in long_text  # plain where it is safe
    assert "    name: \"yes\"\n" in long_text  # a YAML 1.1 boolean stays quoted
    assert "'\"Aim\" is" not in long_text and "\\\"" not in long_text  # no escaped quotes
    lists = text["long-lists.policy.yaml"]
    assert "    channels: [email, knowledge_base]\n" in lists
    assert "    channels:\n      - email\n      - phone\n" in lists
    blanks = text["comments-and-blank-lines.policy.yaml"]
    assert "sla:\n  # --- Promises ---\n" in blanks  # no blank line opens a block
    assert "    first_response: 1 business day\n\n  - id: phone" in blanks  # two blank lines become one
    assert "        reason: Christmas Eve\n\n  # Around the clock.\n" in blanks  # set apart


def test_a_sentence_in_quotes_gets_single_quotes_when_it_fits(tmp_path):
    path = tmp_path / "quoted.policy.yaml"
    path.write_text(
        'policyc: 1\norganisation: {name: Acme, currency: USD, timezone: UTC}\n'
        'intents:\n  x:\n    description: "\\"Aim\\" is a goal: not a promise."\n',
        encoding="utf-8",
    )
    assert "    description: '\"Aim\" is a goal: not a promise.'\n" in reprint(read_policy(path), "yaml")


def test_converting_from_the_dsl_keeps_to_the_width():
    yaml_text = print_policy(read_policy(ROOT / "tests" / "dsl" / "every-key.pol").policy, "yaml")
    assert max(len(line) for line in yaml_text.splitlines()[1:]) <= WIDTH


# Words of any characters, many of them: long text with spaces, line breaks, quotes,
# `#` and `: ` in it, to fold or to quote.
words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=14)
prose = st.lists(st.one_of(words, st.sampled_from(["a", "the", "#", "- x", "'", '"', ": ", "  ", "yes"])), min_size=1, max_size=40).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(descriptions=st.lists(prose, min_size=1, max_size=3), extras=st.lists(prose, min_size=1, max_size=4))
def test_long_text_keeps_every_printing_law(descriptions, extras):
    terms = {f"long{n}": ir.Term(f"long{n}", name=text, description=text) for n, text in enumerate(descriptions)}
    first, *others = EVERY_KEY.tiers.values()
    tiers = {first.id: dataclasses.replace(first, extras=tuple(extras), description=descriptions[0])} | {t.id: t for t in others}
    assert_printing_laws(dataclasses.replace(EVERY_KEY, intents=ir.Table({**EVERY_KEY.intents, **terms}), tiers=ir.Table(tiers)))
