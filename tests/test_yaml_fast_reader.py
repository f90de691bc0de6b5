"""Differential test of the two YAML readers.

Valid documents are read with libyaml's parser (fast) and every error is reported by
PyYAML's Python parser (the reference), so that messages never depend on how PyYAML
was built. That is sound only if, whenever libyaml accepts a text, the reference
accepts it too and gives the same tree: the same values, styles and spans. These
tests compare the two on every policy the repository ships and on mutants of them.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from policyc.frontend import yaml_loader
from policyc.frontend.yaml_loader import Loaded, _compose, _compose_fast, _TreeBuilder, parse_yaml
from policyc.span import Source
from test_fuzz import mutants

pytestmark = pytest.mark.skipif(yaml_loader._FastComposer is None, reason="PyYAML was built without libyaml here: only the reference reader runs")

SHIPPED = sorted(
    {
        *EXAMPLES.glob("*/*.yaml"),
        *(ROOT / "tests" / "fixtures").rglob("*.yaml"),
        *(ROOT / "tests" / "corpus").glob("*.yaml"),
    }
)


def _tree(text: str, node):
    builder = _TreeBuilder("policy.yaml", text)
    return builder.build(node), builder.diagnostics


def assert_readers_agree(text: str) -> None:
    fast = _compose_fast(text)
    if fast is None:
        return  # libyaml refused it (or it is empty): the reference reads it alone
    reference = _compose(Source("policy.yaml", text))
    assert not isinstance(reference, Loaded), f"libyaml accepts what the reference refuses: {reference.diagnostics}"
    assert reference is not None
    assert _tree(text, fast) == _tree(text, reference)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED])
def test_both_readers_give_the_same_tree_for_every_shipped_policy(path):
    text = path.read_text(encoding="utf-8-sig")
    assert_readers_agree(text)


def _read_with_and_without_libyaml(text: str, monkeypatch) -> tuple[Loaded, Loaded]:
    fast = parse_yaml(Source("policy.yaml", text))
    with monkeypatch.context() as patch:
        patch.setattr(yaml_loader, "_FastComposer", None)
        reference = parse_yaml(Source("policy.yaml", text))
    return fast, reference


def test_a_policy_reads_the_same_with_or_without_libyaml(monkeypatch):
    text = (EXAMPLES / "flexfacts" / "policy.yaml").read_text(encoding="utf-8")
    assert _compose_fast(text) is not None
    fast, reference = _read_with_and_without_libyaml(text, monkeypatch)
    assert fast.root is not None
    assert fast == reference


def test_errors_are_the_reference_readers_whoever_found_them(monkeypatch):
    text = 'policyc: 1\norganisation:\n  name: "Acme\n  currency: USD\n'
    assert _compose_fast(text) is None
    fast, reference = _read_with_and_without_libyaml(text, monkeypatch)
    assert [d.code for d in fast.diagnostics] == ["PC003"]
    assert fast == reference


# Characters where the two readers could count lines, columns or indentation
# differently: other line breaks, tabs, wide and combining characters, a BOM.
_AWKWARD = st.lists(st.sampled_from(["\r\n", "\r", "\x85", "\u2028", "\t", " ", "é", "e\u0301", "日本", "😀", "\ufeff", "#", ":", "- ", "'", '"', "|", ">", "[", "]", "{", "}", ",", "&a", "*a", "!!str", "\n"]), max_size=6).map("".join)


@st.composite
def _texts(draw) -> str:
    data = draw(mutants())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        assume(False)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(_AWKWARD) + text[at:]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(text=_texts())
def test_both_readers_agree_on_mutated_policies(text: str):
    assert_readers_agree(text)


@pytest.mark.slow
@settings(max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(text=_texts())
def test_both_readers_agree_on_many_mutated_policies(text: str):
    assert_readers_agree(text)
