"""Printing a policy and reading it back gives the same policy, in both languages.

The strategies in `ir_strategies.py` generate IR with every concept and option of the
language; each test prints it, reads the text with the front end of its language and
compares the IR (spans aside). `convert` is the same printers, so converting to the
other language and back gives the same IR too.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import ROOT
from ir_strategies import policies
from policyc.frontend.yaml_loader import parse_yaml, to_plain
from policyc.pipeline import parse_policy, read_policy
from policyc.printer import print_policy
from policyc.printer.yaml import SCHEMA_LINE
from policyc.span import Source

NAMES = {"yaml": "generated.policy.yaml", "dsl": "generated.pol"}
# Bounded for the default run; `pytest -m slow` runs many more.
QUICK = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read_back(text: str, language: str):
    front = parse_policy(Source(NAMES[language], text))
    assert front.policy is not None, f"printed {language} does not read back:\n{front.diagnostics}\n\n{text}"
    assert [d for d in front.diagnostics if d.severity.value == "error"] == []
    return front.policy


def assert_printing_laws(policy) -> None:
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    for language in ("dsl", "yaml"):
        text = print_policy(policy, language)
        # Reading back what was printed gives the same IR...
        assert read_back(text, language) == policy, text
        # ...and printing that again gives the same text: `fmt` is idempotent.
        assert print_policy(read_back(text, language), language) == text
    # Converting to the other language and back gives the same IR, both ways round.
    from_dsl = read_back(print_policy(policy, "dsl"), "dsl")
    assert read_back(print_policy(from_dsl, "yaml"), "yaml") == policy
    from_yaml = read_back(print_policy(policy, "yaml"), "yaml")
    assert read_back(print_policy(from_yaml, "dsl"), "dsl") == policy
    # Printed YAML points editors at the schema, and the schema accepts it.
    yaml_text = print_policy(policy, "yaml")
    assert yaml_text.splitlines()[0] == SCHEMA_LINE
    jsonschema.Draft202012Validator(schema).validate(to_plain(parse_yaml(Source(NAMES["yaml"], yaml_text)).root))


# Generating a policy costs more than printing it, so one test checks every law on
# each generated policy.
@QUICK
@given(policy=policies())
def test_printing_then_reading_gives_the_same_ir(policy):
    assert_printing_laws(policy)


@pytest.mark.slow
@SLOW
@given(policy=policies())
def test_printing_then_reading_gives_the_same_ir_many_times(policy):
    assert_printing_laws(policy)


def test_the_every_key_fixture_converts_both_ways():
    front = read_policy(ROOT / "tests" / "fixtures" / "every-key.policy.yaml")
    for language in ("dsl", "yaml"):
        assert read_back(print_policy(front.policy, language), language) == front.policy
