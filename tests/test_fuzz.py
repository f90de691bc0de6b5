"""No traceback, ever: mutated policies never make policyc fail internally.

Valid policies (the every-key fixture and the shipped examples) are mutated: bytes
flipped, lines deleted, duplicated, swapped or re-indented, the file truncated, and
values or keys replaced by look-alikes of typed literals and YAML traps. Whatever
comes out, `policyc check` and `policyc compile` must exit 0, 1 or 2 (never 3, an
internal error) and never print a traceback. Hypothesis drives the mutations, so a failure shrinks to a small
one; inputs it found are kept in `tests/corpus/`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, PolicycRunner
from policyc.diagnostics.render import FORMATS

SEEDS = [ROOT / "tests" / "fixtures" / "every-key.policy.yaml", *sorted(EXAMPLES.glob("*/policy.yaml"))]

LOOK_ALIKES = [
    # YAML 1.1 traps and core-schema edge cases
    "9:30", "NO", "yes", "off", "~", "null", "", "''", '""', "0x1F", "0o17", "012", "1e999", "-1", "1.5", ".inf", ".nan",
    "2026-02-30", "2026-1-5", "true", "True",
    # typed literals, right and wrong
    "USD 100", "USD 2,500.50", "$100", "usd 5", "XYZ 5", "USD 49/seat/month", "from USD 1/month", "USD 5", "included",
    "4 business hours", "2 business days", "1.5 business days", "30s", "1h30m", "4 hourz", "24-72h", "NaN-72h",
    "Infinity-72h", "-5-72h", "72-24h", "4h-2 business days", "95%", "0-20%", "150%", "-5%",
    "09:00-17:00", "17:00-09:00", "09:00-09:00", "22:00-06:00+1", "24:00-24:00", "00:00-24:00", "9-17",
    "mon-fri", "Mon-Fri", "fri-mon", "daily", "closed", "24x7",
    "Europe/Lndon", "EST", "US", "GB", "EN", "XX",
    # YAML structure in a value's place
    "[a, b]", "[]", "{}", "{a: 1}", "- a", "&anchor x", "*nowhere", "!!python/object:os.system {}", "!Ref x",
    "!!binary aGk=", "|", ">-", "'unterminated", '"\\ud800"', '"\\e[2J\\a"', "#", "a: b: c", "[[[[[[[[", "x" * 300,
]
KEY_LOOK_ALIKES = ["<<", "? a", "on", "1", "calender", "tiers", "id", "-", "a b", "mon-fri", "[x]", "&k key", "!!str"]

_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([^:#\s][^:#]*?):( +)(.*)$")


@st.composite
def mutants(draw) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    text = seed.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        if text:
            text = draw(st.sampled_from(_MUTATIONS))(draw, text)
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = _flip_bytes(draw, data)
    return data


def _line(draw, lines: list[str]) -> int:
    return draw(st.integers(0, max(0, len(lines) - 1)))


def _delete_line(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    del lines[_line(draw, lines)]
    return "".join(lines)


def _duplicate_line(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    index = _line(draw, lines)
    lines.insert(draw(st.integers(0, len(lines))), lines[index])
    return "".join(lines)


def _swap_lines(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    a, b = _line(draw, lines), _line(draw, lines)
    lines[a], lines[b] = lines[b], lines[a]
    return "".join(lines)


def _reindent(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    index = _line(draw, lines)
    stripped = lines[index].lstrip(" ")
    indent = len(lines[index]) - len(stripped)
    new = draw(st.sampled_from([indent + 1, indent + 2, max(0, indent - 1), max(0, indent - 2), 0]))
    lines[index] = draw(st.sampled_from([" " * new, "\t" * (new // 2 or 1)])) + stripped
    return "".join(lines)


def _replace_value(draw, text: str) -> str:
    return _replace_in_key_value_line(draw, text, lambda indent, key, gap, value: f"{indent}{key}:{gap}{draw(st.sampled_from(LOOK_ALIKES))}")


def _replace_key(draw, text: str) -> str:
    return _replace_in_key_value_line(draw, text, lambda indent, key, gap, value: f"{indent}{draw(st.sampled_from(KEY_LOOK_ALIKES))}:{gap}{value}")


def _replace_in_key_value_line(draw, text: str, rewrite) -> str:
    lines = text.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if _KEY_VALUE.match(line.rstrip("\n"))]
    if not candidates:
        return text
    index = draw(st.sampled_from(candidates))
    lines[index] = rewrite(*_KEY_VALUE.match(lines[index].rstrip("\n")).groups()) + "\n"
    return "".join(lines)


def _replace_list_item(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if "[" in line and "]" in line]
    if not candidates:
        return text
    index = draw(st.sampled_from(candidates))
    line = lines[index]
    start, end = line.index("["), line.rindex("]")
    items = [item.strip() for item in line[start + 1 : end].split(",")]
    items[draw(st.integers(0, len(items) - 1))] = draw(st.sampled_from(LOOK_ALIKES))
    lines[index] = line[: start + 1] + ", ".join(items) + line[end:]
    return "".join(lines)


def _truncate(draw, text: str) -> str:
    return text[: draw(st.integers(0, len(text)))]


_MUTATIONS = [_delete_line, _duplicate_line, _swap_lines, _reindent, _replace_value, _replace_value, _replace_key, _replace_list_item, _truncate]


def _flip_bytes(draw, data: bytes) -> bytes:
    flipped = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if flipped:
            flipped[draw(st.integers(0, len(flipped) - 1))] = draw(st.integers(0, 255))
    return bytes(flipped)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _check_never_fails_internally(data: bytes, format_: str, workdir: Path) -> None:
    (workdir / "mutant.policy.yaml").write_bytes(data)
    outcome = PolicycRunner(workdir)("check", "--format", format_, "mutant.policy.yaml")
    assert outcome.exit_code in (0, 1, 2), outcome.transcript()
    assert "Traceback" not in outcome.stdout + outcome.stderr, outcome.transcript()
    assert outcome.stderr == "", outcome.transcript()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutants(), format_=st.sampled_from(FORMATS))
def test_mutated_policies_never_fail_internally(data: bytes, format_: str, workdir: Path):
    _check_never_fails_internally(data, format_, workdir)


@pytest.mark.slow
@settings(max_examples=10_000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutants(), format_=st.sampled_from(FORMATS))
def test_many_mutated_policies_never_fail_internally(data: bytes, format_: str, workdir: Path):
    _check_never_fails_internally(data, format_, workdir)


def _compile_never_fails_internally(data: bytes, workdir: Path) -> None:
    """Back ends run only on policies without errors, but on any such policy: a mutant
    that still checks clean must compile, or be refused with a diagnostic."""
    (workdir / "mutant.policy.yaml").write_bytes(data)
    outcome = PolicycRunner(workdir)("compile", "mutant.policy.yaml", "-o", "out", "--format", "json")
    assert outcome.exit_code in (0, 1, 2), outcome.transcript()
    assert "Traceback" not in outcome.stdout + outcome.stderr, outcome.transcript()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutants())
def test_mutated_policies_never_fail_to_compile_internally(data: bytes, workdir: Path):
    _compile_never_fails_internally(data, workdir)


@pytest.mark.slow
@settings(max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutants())
def test_many_mutated_policies_never_fail_to_compile_internally(data: bytes, workdir: Path):
    _compile_never_fails_internally(data, workdir)


def test_mutations_change_the_input():
    """The fuzzer would prove nothing if its mutants were all the seed itself."""
    from hypothesis import find

    seed = SEEDS[0].read_bytes()
    assert find(mutants(), lambda data: data != seed) != seed
