"""The bad-input corpus, run through `policyc check` as a user runs it.

Every file in `tests/corpus/` says on its second line what `policyc check` must report:

    # expect: PC005 at 14:7 (related 12:7), PC101 at 20:3, exit 1
    # expect: clean, exit 0

that is, each diagnostic's code and the line:column of its primary span (and of its
related spans, in order), in the order they are reported, then the exit code. Inputs
that cannot be committed as text (binary, invalid UTF-8, a BOM, CRLF line endings, an
empty file, a missing path) are generated below with the same kind of expectation.
Whatever the input, the output never holds a Python traceback and the exit code is
never 3 (an internal error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT, Outcome, PolicycRunner

CORPUS = ROOT / "tests" / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.policy.yaml"))

_DIAGNOSTIC = re.compile(r"(?P<code>PC\d{3}) at (?P<at>\d+:\d+)(?: \(related (?P<related>\d+:\d+(?: \d+:\d+)*)\))?")


def _position(text: str) -> tuple[int, int]:
    line, column = text.split(":")
    return int(line), int(column)


@dataclass(frozen=True)
class Expected:
    # (code, (line, column), ((line, column) of each related span, ...)) in report order
    diagnostics: tuple[tuple[str, tuple[int, int], tuple[tuple[int, int], ...]], ...]
    exit_code: int

    @classmethod
    def parse(cls, text: str) -> Expected:
        body, _, exit_part = text.strip().rpartition(", exit ")
        assert exit_part.isdigit(), f"expectation {text!r} does not end with `, exit N`"
        if body == "clean":
            return cls((), int(exit_part))
        diagnostics = []
        for part in body.split(", "):
            match = _DIAGNOSTIC.fullmatch(part)
            assert match, f"cannot read the expected diagnostic {part!r} (write `PC123 at 4:5`)"
            related = tuple(_position(p) for p in (match["related"] or "").split())
            diagnostics.append((match["code"], _position(match["at"]), related))
        return cls(tuple(diagnostics), int(exit_part))


def expectation_of(path: Path) -> Expected:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:2] if line.startswith("# expect: ")]
    assert header, f"{path.name}: the second line must be `# expect: ...`"
    return Expected.parse(header[0].removeprefix("# expect: "))


def assert_reports(policyc_cli: PolicycRunner, cwd: Path, name: str, expected: Expected) -> None:
    """`policyc check NAME` (run in `cwd`) reports exactly what is expected, in JSON and
    in text, with the expected exit code and without a traceback."""
    as_json = policyc_cli("check", "--format", "json", name, cwd=cwd)
    as_text = policyc_cli("check", name, cwd=cwd)
    for outcome in (as_json, as_text):
        assert_no_traceback(outcome)
        assert outcome.exit_code == expected.exit_code, _clipped(outcome.transcript())
    reported = tuple(
        (
            d["code"],
            (d["location"]["line"], d["location"]["column"]),
            tuple((r["location"]["line"], r["location"]["column"]) for r in d["related"]),
        )
        for d in json.loads(as_json.stdout)["diagnostics"]
    )
    report = _clipped(as_text.stdout)
    assert reported == expected.diagnostics, report
    for code, (line, column), related in expected.diagnostics:
        assert f"[{code}]: " in as_text.stdout, report
        assert f"--> {name}:{line}:{column}\n" in as_text.stdout, report
        for other_line, other_column in related:
            assert f"--> {name}:{other_line}:{other_column}\n" in as_text.stdout, report


def assert_no_traceback(outcome: Outcome) -> None:
    assert outcome.exit_code != 3, f"internal error:\n{_clipped(outcome.transcript())}"
    for stream in (outcome.stdout, outcome.stderr):
        assert "Traceback" not in stream, _clipped(outcome.transcript())


def _clipped(text: str, width: int = 200) -> str:
    """Output fit for an assertion message, even when the input had a huge line."""
    return "\n".join(line if len(line) <= width else line[:width] + "..." for line in text.splitlines())


# --- the committed corpus ------------------------------------------------------------


def test_corpus_is_not_empty():
    assert len(CORPUS_FILES) >= 30


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name.removesuffix(".policy.yaml"))
def test_corpus_file(path: Path, policyc_cli: PolicycRunner):
    assert_reports(policyc_cli, ROOT, path.relative_to(ROOT).as_posix(), expectation_of(path))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name.removesuffix(".policy.yaml"))
@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
    ],
)
def test_corpus_file_with_crlf_or_bom_reports_the_same(path: Path, variant: Callable[[bytes], bytes], policyc_cli: PolicycRunner, tmp_path: Path):
    """Windows line endings and a byte-order mark change nothing, columns included."""
    (tmp_path / path.name).write_bytes(variant(path.read_bytes()))
    assert_reports(policyc_cli, tmp_path, path.name, expectation_of(path))


# --- generated inputs ----------------------------------------------------------------

FIXTURE = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"
ORGANISATION = "policyc: 1\norganisation:\n  name: {name}\n  currency: USD\n  timezone: Europe/London\n"


def _nested_flow(depth: int) -> bytes:
    return ("policyc: 1\norganisation: " + "[" * depth + "]" * depth + "\n").encode()


def _nested_block(depth: int) -> bytes:
    keys = "".join("  " * (level + 1) + f"k{level}:\n" for level in range(depth))
    return ("policyc: 1\norganisation:\n" + keys + "  " * (depth + 1) + "leaf\n").encode()


GENERATED: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", "PC007 at 1:1, exit 1"),
    "whitespace-only": (lambda: b"  \n\n \n", "PC007 at 1:1, exit 1"),
    "binary": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PC002 at 1:1, exit 2"),
    "invalid-utf8-latin1": (lambda: ORGANISATION.format(name="Café").encode("latin-1"), "PC002 at 3:12, exit 2"),
    # The bad byte comes after a BOM and two-byte characters: columns count characters.
    "invalid-utf8-after-bom": (
        lambda: b"\xef\xbb\xbf" + "policyc: 1\norganisation:\n  name: Café Mü".encode() + b"\xfcller\n",
        "PC002 at 3:16, exit 2",
    ),
    "bom": (lambda: b"\xef\xbb\xbf" + FIXTURE.read_bytes(), "clean, exit 0"),
    "crlf": (lambda: FIXTURE.read_bytes().replace(b"\n", b"\r\n"), "clean, exit 0"),
    "control-character-crlf": (lambda: ORGANISATION.format(name="Acme\x1b Ltd").replace("\n", "\r\n").encode(), "PC003 at 3:13, exit 2"),
    "deeply-nested-flow": (lambda: _nested_flow(5000), "PC006 at 2:114, exit 1"),
    "deeply-nested-block": (lambda: _nested_block(1500), "PC006 at 101:199, exit 1"),
    "nested-within-limit": (lambda: _nested_flow(90), "PC103 at 2:15, exit 1"),
    "huge-line": (
        lambda: ("policyc: 1\norganisation: {name: " + "x" * 1_000_000 + ", currency: USD, timezone: Europe/Lndon}\n").encode(),
        "PC401 at 2:1000049, exit 1",
    ),
}


@pytest.mark.parametrize("case", list(GENERATED))
def test_generated_input(case: str, policyc_cli: PolicycRunner, tmp_path: Path):
    make, expectation = GENERATED[case]
    name = f"{case}.policy.yaml"
    (tmp_path / name).write_bytes(make())
    assert_reports(policyc_cli, tmp_path, name, Expected.parse(expectation))


def test_missing_file(policyc_cli: PolicycRunner, tmp_path: Path):
    assert_reports(policyc_cli, tmp_path, "no-such.policy.yaml", Expected.parse("PC001 at 1:1, exit 2"))


def test_directory_without_policies(policyc_cli: PolicycRunner, tmp_path: Path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a policy\n")
    assert_reports(policyc_cli, tmp_path, "notes", Expected.parse("PC001 at 1:1, exit 2"))


def test_unreadable_file(policyc_cli: PolicycRunner, tmp_path: Path):
    path = tmp_path / "locked.policy.yaml"
    path.write_text(ORGANISATION.format(name="Acme"))
    path.chmod(0)
    try:
        if path.open("rb"):  # running as root: permissions do not stop reading
            pytest.skip("permissions do not stop this user from reading files")
    except PermissionError:
        assert_reports(policyc_cli, tmp_path, path.name, Expected.parse("PC001 at 1:1, exit 2"))
    finally:
        path.chmod(0o644)


def test_expectation_syntax():
    expected = Expected.parse("PC005 at 14:7 (related 12:7 3:1), PC101 at 20:3, exit 1")
    assert expected == Expected((("PC005", (14, 7), ((12, 7), (3, 1))), ("PC101", (20, 3), ())), 1)
    assert Expected.parse("clean, exit 0") == Expected((), 0)
    with pytest.raises(AssertionError):
        Expected.parse("PC005 at line 14, exit 1")


@pytest.mark.parametrize("format_", ["text", "junit", "github"])
def test_control_characters_from_values_never_reach_the_report(format_: str, policyc_cli: PolicycRunner):
    outcome = policyc_cli("check", "--format", format_, "tests/corpus/control-character-escapes.policy.yaml", cwd=ROOT)
    assert "\x07" not in outcome.stdout and "\x1b" not in outcome.stdout
    if format_ == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(outcome.stdout)
