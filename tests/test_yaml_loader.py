"""The strict YAML front end: YAML 1.2 core typing, text keys, duplicate keys, spans."""

from __future__ import annotations

import math

import pytest
import yaml

from policyc.frontend.yaml_loader import (
    MAX_DEPTH,
    YMap,
    YScalar,
    YSeq,
    core_schema_value,
    decode,
    parse_yaml,
    to_plain,
    yaml11_reading,
)
from policyc.span import Source, Span


def load(text: str):
    loaded = parse_yaml(Source("t.yaml", text))
    return loaded


def value_of(text: str):
    """The value of `v` in `v: <text>`, loaded without diagnostics."""
    loaded = load(f"v: {text}\n")
    assert loaded.diagnostics == []
    return loaded.root.get("v").value


def codes(text: str) -> list[str]:
    return [d.code for d in load(text).diagnostics]


# --- YAML 1.2 core schema ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("012", 12),  # decimal in YAML 1.2 (octal 10 in YAML 1.1)
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-2.5e-3", -0.0025),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
    ],
)
def test_core_schema_types(text, expected):
    value = value_of(text)
    assert value == expected and type(value) is type(expected)
    assert core_schema_value(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # YAML 1.1 booleans, base-60 numbers, dates, binary and underscores: text in 1.2
        "yes", "No", "NO", "on", "OFF", "y", "n",
        "9:30", "1:30:00", "190:20:30",
        "2026-01-01", "2026-01-01T09:00:00Z",
        "0b101", "1_000", "0o8", "0xG",
        # not JSON numbers, and meaningless in a policy
        ".inf", "-.inf", ".Inf", ".nan", ".NaN",
        "12h", "USD 100", "1,000",
    ],
)
def test_other_plain_scalars_stay_text(text):
    assert value_of(text) == text


def test_empty_value_is_null():
    assert load("v:\n").root.get("v").value is None


@pytest.mark.parametrize("text", ['"12"', "'true'", '"~"', "'null'", '"0x1F"', '"9:30"', "'NO'"])
def test_quoted_scalars_stay_text(text):
    loaded = load(f"v: {text}\n")
    node = loaded.root.get("v")
    assert node.value == text[1:-1] and not node.plain


def test_block_scalars_are_text():
    loaded = load("v: |\n  12\nw: >\n  true\n")
    assert loaded.root.get("v").value == "12\n" and loaded.root.get("w").value == "true\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("!!str 12", "12"),
        ("!!str true", "true"),
        ("!!str ~", "~"),
        ("!!int 12", 12),
        ("!!int '0x10'", 16),
        ("!!float 1", 1.0),
        ("!!float 2.5", 2.5),
        ("!!bool true", True),
        ("!!null ~", None),
        ("!!null ''", None),
    ],
)
def test_explicit_standard_tags(text, expected):
    value = value_of(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text", ["!!int twelve", "!!float .nan", "!!bool yes"])
def test_explicit_tag_that_does_not_fit_keeps_the_text(text):
    """Validation then reports the value as text where a number or boolean belongs."""
    assert value_of(text) == text.split(" ", 1)[1]


def test_yaml11_readings_are_named():
    assert yaml11_reading("NO") == "a boolean"
    assert yaml11_reading("on") == "a boolean"
    assert yaml11_reading("9:30") == "a base-60 number"
    assert yaml11_reading("-1:30:00") == "a base-60 number"
    assert yaml11_reading("nope") is None
    assert yaml11_reading("09:00-17:00") is None


# --- keys ------------------------------------------------------------------------------


def test_keys_are_always_text():
    loaded = load("1: a\ntrue: b\nnull: c\n~: d\nno: e\n0x10: f\n9:30: g\n")
    assert loaded.diagnostics == []
    assert loaded.root.keys() == ["1", "true", "null", "~", "no", "0x10", "9:30"]
    assert to_plain(loaded.root) == {"1": "a", "true": "b", "null": "c", "~": "d", "no": "e", "0x10": "f", "9:30": "g"}


def test_duplicate_key_reports_both_places():
    loaded = load("hours:\n  mon-fri: 09:00-17:00\n  sat: closed\n  mon-fri: 08:00-18:00\n")
    [duplicate] = loaded.diagnostics
    assert duplicate.code == "PC005"
    assert duplicate.span == Span("t.yaml", 4, 3, 4, 10)
    [first] = duplicate.related
    assert first.span == Span("t.yaml", 2, 3, 2, 10)
    assert "mon-fri" in duplicate.message and "first" in first.message
    # the first definition is kept, in its place
    assert to_plain(loaded.root) == {"hours": {"mon-fri": "09:00-17:00", "sat": "closed"}}


def test_quoted_and_plain_key_with_the_same_text_are_duplicates():
    assert codes('1: a\n"1": b\n') == ["PC005"]


def test_collection_as_key_is_refused():
    assert codes("? [a, b]\n: c\n") == ["PC006"]


# --- what policy files do not use ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "v: !!python/object:os.system {}\n",
        "v: !!python/name:os.system ''\n",
        "v: !Ref other\n",
        "v: !!binary aGVsbG8=\n",
        "v: !!timestamp 2026-01-01\n",
        "v: !!set {a: null}\n",
        "v: !!omap [a: 1]\n",
        "a: &x {k: 1}\nb:\n  <<: *x\n",
    ],
)
def test_unsafe_or_unsupported_yaml_is_refused(text):
    assert "PC006" in codes(text)


def test_no_object_is_ever_constructed(tmp_path, monkeypatch):
    marker = tmp_path / "constructed"
    monkeypatch.chdir(tmp_path)
    load(f"v: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]\n")
    assert not marker.exists()


def test_anchors_and_aliases_are_fine():
    loaded = load("a: &x [1, 2]\nb: *x\n")
    assert loaded.diagnostics == []
    assert to_plain(loaded.root) == {"a": [1, 2], "b": [1, 2]}


def test_alias_inside_itself_is_refused():
    loaded = load("a: &x\n  b: *x\n")
    assert [d.code for d in loaded.diagnostics] == ["PC006"] and loaded.root is None


def test_nesting_is_limited():
    within = load("v: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n")
    assert within.diagnostics == []
    beyond = load("v: " + "[" * 5000 + "]" * 5000 + "\n")
    assert [d.code for d in beyond.diagnostics] == ["PC006"] and beyond.root is None


def test_several_documents_are_refused():
    loaded = load("a: 1\n---\nb: 2\n")
    [d] = loaded.diagnostics
    assert d.code == "PC006" and d.span.line == 2


def test_lone_surrogate_escape_is_refused():
    loaded = load('v: "a\\ud800b"\n')
    [d] = loaded.diagnostics
    assert d.code == "PC003" and d.fatal and "\\ud800" in d.message
    assert loaded.root.get("v").value == "a\ufffdb"


def test_astral_escape_is_a_character():
    assert value_of('"\\U0001F600"') == "😀"


def test_empty_and_comment_only_documents():
    for text in ("", "\n\n", "# only a comment\n"):
        loaded = load(text)
        assert [d.code for d in loaded.diagnostics] == ["PC007"] and loaded.root is None


# --- spans ---------------------------------------------------------------------------


def test_spans_are_one_based_with_exclusive_ends():
    loaded = load('name: Acme\nquoted: "Acme"\nlist: [a, bc]\nunicode: Café 😀\n')
    root = loaded.root
    assert root.key_node("name").span == Span("t.yaml", 1, 1, 1, 5)
    assert root.get("name").span == Span("t.yaml", 1, 7, 1, 11)
    assert root.get("quoted").span == Span("t.yaml", 2, 9, 2, 15)  # the quotes belong to it
    items = root.get("list")
    assert items.span == Span("t.yaml", 3, 7, 3, 14)
    assert [i.span for i in items.items] == [Span("t.yaml", 3, 8, 3, 9), Span("t.yaml", 3, 11, 3, 13)]
    assert root.get("unicode").span == Span("t.yaml", 4, 10, 4, 16)  # columns count characters


def test_multi_line_values_end_on_their_last_character():
    text = (
        "sla:\n"  # 1
        "  - id: a\n"  # 2
        "    first_response: 4h   \n"  # 3
        "\n"  # 4
        "  # between entries\n"  # 5
        "  - id: b\n"  # 6
        "    note: |\n"  # 7
        "      line one\n"  # 8
        "      line two\n"  # 9
        "\n"  # 10
        "# after\n"  # 11
        "next: 1\n"  # 12
    )
    for variant in (text, text.replace("\n", "\r\n")):
        root = load(variant).root
        first, second = root.get("sla").items
        assert first.span == Span("t.yaml", 2, 5, 3, 23)
        assert second.get("note").span == Span("t.yaml", 7, 11, 9, 15)
        assert second.span == Span("t.yaml", 6, 5, 9, 15)
        assert root.get("sla").span == Span("t.yaml", 2, 3, 9, 15)
        assert root.span == Span("t.yaml", 1, 1, 12, 8)


def test_crlf_and_bom_do_not_move_spans():
    text = "policyc: 1\norganisation:\n  name: Café\n"
    plain, _ = decode("t.yaml", text.encode())
    crlf, _ = decode("t.yaml", text.replace("\n", "\r\n").encode())
    bom, _ = decode("t.yaml", b"\xef\xbb\xbf" + text.encode())

    def spans(source):
        root = parse_yaml(source).root
        return [root.span, root.get("organisation").span, root.get("organisation").get("name").span]

    assert spans(plain) == spans(crlf) == spans(bom)
    assert bom.text == text


def test_syntax_error_position_and_related_span():
    [d] = load('a:\n  b: "open\n  c: 1\n').diagnostics
    assert d.code == "PC003" and d.fatal
    assert (d.related[0].span.line, d.related[0].span.column) == (2, 6)


def test_tab_indentation_is_named():
    [d] = load("a:\n\tb: 1\n").diagnostics
    assert d.code == "PC004" and (d.span.line, d.span.column) == (2, 1)


def test_control_character_position():
    [d] = load("a: 1\r\nb: x\x07y\n").diagnostics
    assert d.code == "PC003" and (d.span.line, d.span.column) == (2, 5)
    assert "U+0007" in d.message


def test_decode_refuses_binary_and_bad_utf8_with_positions():
    _, [binary] = decode("b", b"abc\x00def")
    assert binary.code == "PC002"
    _, [bad] = decode("u", "ab\nxé".encode() + b"\xff")
    assert bad.code == "PC002" and (bad.span.line, bad.span.column) == (2, 3) and "0xff" in bad.message


def test_tree_matches_pyyaml_for_json_compatible_documents():
    """Differential: where YAML 1.1 and 1.2 agree, the tree is what PyYAML's safe loader reads."""
    text = 'a: [1, -2, 3.5, "x", true, null]\nb: {c: {d: [e, "f g"]}}\n"h": \'i\'\n'
    assert to_plain(load(text).root) == yaml.safe_load(text)


def test_floats_are_finite():
    for text in ("1e308", "-1.5"):
        assert math.isfinite(value_of(text))
    assert isinstance(value_of("1e999"), float)  # overflows to inf, which validation then refuses as a number


def test_structures():
    root = load("m: {a: 1}\ns: [1]\n").root
    assert isinstance(root, YMap) and isinstance(root.get("m"), YMap) and isinstance(root.get("s"), YSeq)
    assert isinstance(root.get("s").items[0], YScalar)
