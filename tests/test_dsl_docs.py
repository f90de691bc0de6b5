"""The examples in docs/dsl.md are real: each DSL example reads, and each one shown
beside its YAML form gives the same policy."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from policyc.pipeline import parse_policy
from policyc.span import Source

DOC = (ROOT / "docs" / "dsl.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2)) for m in re.finditer(r"```(dsl|yaml)\n(.*?)```", DOC, re.S)]
ORGANISATION = {
    "dsl": 'organisation "Acme" {\n  currency USD\n  timezone Europe/London\n}\n',
    "yaml": "organisation:\n  name: Acme\n  currency: USD\n  timezone: Europe/London\n",
}


def complete(language: str, text: str) -> str:
    """A documentation snippet made a whole policy: the header and an organisation."""
    header = "policyc 1\n" if language == "dsl" else "policyc: 1\n"
    if text.startswith(("policyc", "organisation")) or "\norganisation" in text:
        return text if text.startswith("policyc") else header + text
    return header + ORGANISATION[language] + text


def read(language: str, text: str):
    front = parse_policy(Source("doc.pol" if language == "dsl" else "doc.policy.yaml", complete(language, text)))
    assert front.policy is not None and not [d for d in front.diagnostics if d.severity.value == "error"], (front.diagnostics, text)
    return front.policy


PAIRS = [(dsl, yaml) for (first, dsl), (second, yaml) in zip(BLOCKS, BLOCKS[1:]) if (first, second) == ("dsl", "yaml")]


def test_the_document_has_examples():
    assert len([b for b in BLOCKS if b[0] == "dsl"]) >= 14 and len(PAIRS) >= 13


@pytest.mark.parametrize("text", [text for language, text in BLOCKS if language == "dsl"])
def test_every_dsl_example_reads(text):
    read("dsl", text)


@pytest.mark.parametrize("dsl, yaml", PAIRS)
def test_each_dsl_example_means_what_the_yaml_beside_it_means(dsl, yaml):
    assert read("dsl", dsl) == read("yaml", yaml)
