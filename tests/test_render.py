"""Renderers: text (caret, gutter, colour), GitHub workflow commands, JUnit, JSON."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from policyc.cli.common import use_color
from policyc.diagnostics import Diagnostic, Related, Severity, exit_code
from policyc.diagnostics.render import RenderContext, render, visible
from policyc.span import Source, SourceMap, Span

FILE = "p.policy.yaml"
TEXT = "\n".join(
    [
        "policyc: 1",  # 1
        "organisation:",  # 2
        "  name: Acme",  # 3
        "  currency: USD",  # 4
        "  timezone: Europe/Lndon",  # 5
        "calendars:",  # 6
        "  office:",  # 7
        "\thours: x",  # 8
        "      mon-fri: 09:00-17:00",  # 9
        "      mon-fri: 08:00-18:00",  # 10
    ]
) + "\n"


def _context(*, color: bool = False, text: str = TEXT, files: list[str] | None = None) -> RenderContext:
    sources = SourceMap()
    sources.add(Source(FILE, text))
    return RenderContext(sources=sources, files=files if files is not None else [FILE], color=color)


def _diagnostic(span: Span | None, *, message: str = "something is wrong", hint: str | None = None, related=(), severity=Severity.ERROR, code="PC999", name="test-rule", fatal=False) -> Diagnostic:
    return Diagnostic(code, name, severity, message, span, hint, tuple(related), fatal)


def _text(*diagnostics: Diagnostic, **context) -> str:
    return render("text", list(diagnostics), _context(**context))


# --- text ------------------------------------------------------------------------------


def test_caret_under_the_span():
    d = _diagnostic(Span(FILE, 5, 13, 5, 25), message="`Europe/Lndon` is not an IANA time zone", hint="did you mean `Europe/London`?")
    assert _text(d) == (
        "error[PC999]: `Europe/Lndon` is not an IANA time zone\n"
        " --> p.policy.yaml:5:13\n"
        "  |\n"
        "5 |   timezone: Europe/Lndon\n"
        "  |             ^^^^^^^^^^^^\n"
        "  = hint: did you mean `Europe/London`?\n"
        "\n"
        "Found 1 error in 1 file.\n"
    )


def test_gutter_fits_the_widest_line_number_of_primary_and_related_spans():
    d = _diagnostic(
        Span(FILE, 10, 7, 10, 14),
        message="`mon-fri` is defined twice",
        related=[Related(Span(FILE, 9, 7, 9, 14), "first defined here")],
    )
    assert _text(d) == (
        "error[PC999]: `mon-fri` is defined twice\n"
        "  --> p.policy.yaml:10:7\n"
        "   |\n"
        "10 |       mon-fri: 08:00-18:00\n"
        "   |       ^^^^^^^\n"
        "note: first defined here\n"
        "  --> p.policy.yaml:9:7\n"
        "   |\n"
        " 9 |       mon-fri: 09:00-17:00\n"
        "   |       -------\n"
        "\n"
        "Found 1 error in 1 file.\n"
    )


def test_tab_before_the_span_moves_the_caret_by_its_width():
    d = _diagnostic(Span(FILE, 8, 9, 8, 10))
    lines = _text(d).splitlines()
    assert lines[3] == "8 |     hours: x"
    assert lines[4] == "  |            ^"
    assert lines[3].index("x") == lines[4].index("^")


def test_tab_inside_the_span_is_underlined_across_its_width():
    d = _diagnostic(Span(FILE, 8, 1, 8, 7))
    assert _text(d).splitlines()[4] == "  | " + "^" * 9  # a tab (four columns) and `hours`


def test_span_at_the_end_of_a_line_puts_the_caret_after_the_last_character():
    d = _diagnostic(Span.point(FILE, 3, 13))
    lines = _text(d).splitlines()
    assert lines[3] == "3 |   name: Acme"
    assert lines[4] == "  |             ^"


def test_span_past_the_end_of_a_line_is_clamped_to_it():
    d = _diagnostic(Span(FILE, 3, 40, 3, 45))
    assert _text(d).splitlines()[4] == "  |             ^"


def test_span_over_several_lines_is_underlined_to_the_end_of_its_first():
    d = _diagnostic(Span(FILE, 9, 7, 10, 27))
    assert _text(d).splitlines()[4] == "  |       " + "^" * 20


def test_span_over_several_lines_stops_before_a_trailing_comment():
    text = TEXT.replace("      mon-fri: 09:00-17:00", "      mon-fri: 09:00-17:00  # the office hours")
    d = _diagnostic(Span(FILE, 9, 7, 10, 27))
    lines = _text(d, text=text).splitlines()
    assert lines[3] == "9 |       mon-fri: 09:00-17:00  # the office hours"
    assert lines[4] == "  |       " + "^" * 20


def test_span_on_a_line_past_the_end_of_the_file_shows_no_excerpt():
    d = _diagnostic(Span.point(FILE, 12, 1), hint="a hint")
    assert _text(d) == "error[PC999]: something is wrong\n  --> p.policy.yaml:12:1\n   = hint: a hint\n\nFound 1 error in 1 file.\n"


def test_diagnostic_without_a_span_or_source():
    assert _text(_diagnostic(None)) == "error[PC999]: something is wrong\n\nFound 1 error in 1 file.\n"
    unknown_file = _diagnostic(Span.point("elsewhere.yaml", 1, 1))
    assert _text(unknown_file).splitlines()[1] == " --> elsewhere.yaml:1:1"


def test_long_line_is_cut_around_the_span():
    line = "organisation: {name: " + "x" * 5000 + ", timezone: Europe/Lndon}"
    column = line.index("Europe") + 1
    d = _diagnostic(Span(FILE, 1, column, 1, column + 12))
    _, _, _, shown, underline, *_ = _text(d, text=line + "\n").splitlines()
    assert shown.startswith("1 | …x") and shown.endswith(", timezone: Europe/Lndon}")
    assert len(shown) < 250
    assert shown[underline.index("^") :].startswith("Europe/Lndon")
    assert underline.count("^") == 12


def test_long_span_on_a_long_line_is_cut_too():
    line = "x" * 100_000
    d = _diagnostic(Span(FILE, 1, 1, 1, 100_001))
    _, _, _, shown, underline, *_ = _text(d, text=line + "\n").splitlines()
    assert shown == "1 | " + "x" * 200 + "…"
    assert underline == "  | " + "^" * 200


def test_control_characters_are_shown_not_sent_to_the_terminal():
    d = _diagnostic(Span(FILE, 1, 7, 1, 8), message="bad \x1b[2J value", hint="no \x07 bell", related=[Related(Span(FILE, 1, 1, 1, 2), "see \x1b")])
    output = _text(d, text="name: \x1b[31mred\n")
    assert "\x1b" not in output and "\x07" not in output
    assert "1 | name: ␛[31mred" in output
    assert "bad ␛[2J value" in output and "no ␇ bell" in output and "see ␛" in output


def test_summary_counts_each_severity_and_files():
    diagnostics = [
        _diagnostic(None, severity=Severity.ERROR),
        _diagnostic(None, severity=Severity.WARNING, message="w1"),
        _diagnostic(None, severity=Severity.WARNING, message="w2"),
        _diagnostic(None, severity=Severity.INFO, message="i"),
    ]
    text = render("text", diagnostics, _context(files=[FILE, "other.yaml"]))
    assert text.endswith("Found 1 error, 2 warnings, 1 note in 2 files.\n")
    assert render("text", [], _context()) == "All checks passed (1 file).\n"
    assert render("text", [], _context(files=[FILE, "b", "c"])) == "All checks passed (3 files).\n"


def test_warning_and_note_labels():
    text = _text(_diagnostic(None, severity=Severity.WARNING), _diagnostic(None, severity=Severity.INFO, message="fyi"))
    assert text.startswith("warning[PC999]: something is wrong\n\ninfo[PC999]: fyi\n")


# --- colour --------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_colour_only_when_asked_and_otherwise_identical():
    d = _diagnostic(Span(FILE, 10, 7, 10, 14), hint="h", related=[Related(Span(FILE, 9, 7, 9, 14), "first")])
    plain = _text(d)
    coloured = _text(d, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m" in coloured  # errors in red
    assert ANSI.sub("", coloured) == plain


class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    "choice, environment, tty, expected",
    [
        ("always", {}, False, True),
        ("never", {}, True, False),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # set but empty does not count (no-color.org)
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ("always", {"NO_COLOR": "1"}, False, True),  # an explicit flag beats the environment
    ],
)
def test_use_color(choice, environment, tty, expected, monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert use_color(choice, _Stream(tty)) is expected


# --- GitHub workflow commands ----------------------------------------------------------


def test_github_one_command_per_diagnostic_with_position():
    d = _diagnostic(Span(FILE, 5, 13, 5, 25), message="bad zone", hint="did you mean X?")
    assert render("github", [d], _context()) == (
        "::error file=p.policy.yaml,line=5,col=13,endLine=5,endColumn=25,title=PC999 test-rule::bad zone%0Ahint: did you mean X?\n"
    )


def test_github_escapes_data_and_properties():
    d = _diagnostic(
        Span("dir,with:odd%name.yaml", 1, 2, 3, 4),
        message="100% sure\r\nsecond line",  # a carriage return can only come from a value: shown
        related=[Related(Span("a.yaml", 9, 1, 9, 2), "first, here: 50%")],
        severity=Severity.WARNING,
        name="odd:name,here",
    )
    [line] = render("github", [d], _context()).splitlines()
    assert line == (
        "::warning file=dir%2Cwith%3Aodd%25name.yaml,line=1,col=2,endLine=3,title=PC999 odd%3Aname%2Chere"
        "::100%25 sure␍%0Asecond line%0Anote: first, here: 50%25 (a.yaml:9:1)"
    )


def test_github_severities_and_no_span():
    diagnostics = [
        _diagnostic(None, severity=Severity.INFO, message="a note"),
        _diagnostic(None, severity=Severity.ERROR, message="an error"),
    ]
    assert render("github", diagnostics, _context()) == "::notice title=PC999 test-rule::a note\n::error title=PC999 test-rule::an error\n"
    assert render("github", [], _context()) == ""


# --- JUnit ---------------------------------------------------------------------------


def test_junit_is_well_formed_with_right_counts():
    diagnostics = [
        _diagnostic(Span(FILE, 5, 13, 5, 25), message='<zone> & "quotes"', hint="h", related=[Related(Span(FILE, 9, 7, 9, 14), "first")]),
        _diagnostic(Span(FILE, 10, 7, 10, 14), severity=Severity.WARNING, message="w"),
        _diagnostic(Span("unreadable.yaml", 1, 1, 1, 2), message="cannot read", fatal=True),
    ]
    files = [FILE, "clean.yaml", "unreadable.yaml"]
    root = ET.fromstring(render("junit", diagnostics, _context(files=files)))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "3", "0")
    suites = {suite.get("name"): suite for suite in root}
    assert list(suites) == files
    assert (suites[FILE].get("tests"), suites[FILE].get("failures")) == ("2", "2")
    first = suites[FILE][0]
    assert first.get("name") == "PC999 test-rule at 5:13" and first.get("classname") == FILE
    failure = first.find("failure")
    assert failure.get("message") == '<zone> & "quotes"' and failure.get("type") == "error"
    assert failure.text == 'p.policy.yaml:5:13: <zone> & "quotes"\nhint: h\nnote: first (p.policy.yaml:9:7)'
    assert suites[FILE][1].find("failure").get("type") == "warning"
    assert sum(int(suite.get("tests")) for suite in root) == int(root.get("tests"))


def test_junit_clean_file_is_one_passing_case():
    root = ET.fromstring(render("junit", [], _context(files=["a.yaml", "b.yaml"])))
    assert (root.get("tests"), root.get("failures")) == ("2", "0")
    for suite in root:
        [case] = list(suite)
        assert case.tag == "testcase" and case.find("failure") is None
        assert (suite.get("tests"), suite.get("failures")) == ("1", "0")


def test_junit_stays_well_formed_with_control_characters():
    d = _diagnostic(Span(FILE, 1, 1, 1, 2), message="value `a\x07\x1b[31m\x00`")
    root = ET.fromstring(render("junit", [d], _context()))
    assert root[0][0].find("failure").get("message") == "value `a␇␛[31m␀`"


# --- JSON ----------------------------------------------------------------------------


def test_json_structure():
    d = _diagnostic(Span(FILE, 10, 7, 10, 14), message="twice", hint="remove one", related=[Related(Span(FILE, 9, 7, 9, 14), "first")])
    document = json.loads(render("json", [d, _diagnostic(None, severity=Severity.WARNING, message="w")], _context()))
    from policyc import __version__

    assert document == {
        "tool": {"name": "policyc", "version": __version__},
        "files": [FILE],
        "summary": {"error": 1, "warning": 1, "info": 0, "suppressed": 0},
        "diagnostics": [
            {
                "code": "PC999",
                "name": "test-rule",
                "severity": "error",
                "message": "twice",
                "location": {"file": FILE, "line": 10, "column": 7, "end_line": 10, "end_column": 14},
                "hint": "remove one",
                "related": [{"message": "first", "location": {"file": FILE, "line": 9, "column": 7, "end_line": 9, "end_column": 14}}],
            },
            {
                "code": "PC999",
                "name": "test-rule",
                "severity": "warning",
                "message": "w",
                "location": None,
                "hint": None,
                "related": [],
            },
        ],
    }


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render("xml", [], _context())


# --- shared --------------------------------------------------------------------------


def test_visible_keeps_tabs_newlines_and_text():
    assert visible("a\tb\nc é ✓") == "a\tb\nc é ✓"
    assert visible("\x00\x1b\x7f\r") == "␀␛␡␍"


@pytest.mark.parametrize(
    "severities, strict, expected",
    [
        ([], False, 0),
        ([Severity.INFO], True, 0),
        ([Severity.WARNING], False, 0),
        ([Severity.WARNING], True, 1),
        ([Severity.ERROR], False, 1),
        ([Severity.ERROR, Severity.WARNING], True, 1),
    ],
)
def test_exit_code(severities, strict, expected):
    assert exit_code([_diagnostic(None, severity=s) for s in severities], strict=strict) == expected


def test_exit_code_is_2_when_any_input_is_unreadable():
    assert exit_code([_diagnostic(None), _diagnostic(None, fatal=True)]) == 2
