"""Reading and checking ticket rows: every format, every way a row can be wrong."""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyc
from conftest import ROOT
from policyc import tickets
from policyc.tickets import Row, RowChecker, TicketRow, TicketsUnreadable, detect_format, read_rows

POLICY = policyc.resolve(policyc.load(ROOT / "tests" / "fixtures" / "route" / "helpdesk.policy.yaml"))
GOOD = {"id": "T-1", "created_at": "2026-03-03T14:00:00-05:00", "tier": "pro", "channel": "email", "priority": "P2"}


def rows(text: str, format: str) -> list[Row]:
    return list(read_rows(io.StringIO(text, newline=""), "tickets", format))


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("t.jsonl", "[", "jsonl"),
        ("t.ndjson", "", "jsonl"),
        ("t.csv", "{", "csv"),
        ("t.json", '  [{"id"', "json"),
        ("t.json", '{"id": 1}', "jsonl"),
        ("<stdin>", "\n [", "json"),
        ("<stdin>", "{", "jsonl"),
        ("<stdin>", "id,created_at", "csv"),
    ],
)
def test_the_format_comes_from_the_name_else_the_first_character(name, head, expected):
    assert detect_format(name, head) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    elements=st.lists(json_values, max_size=6),
    indent=st.sampled_from([None, 0, 2]),
    chunk=st.integers(1, 40),
)
def test_a_json_array_streams_element_by_element_across_any_chunk_size(elements, indent, chunk):
    text = json.dumps(elements, indent=indent)
    with mock.patch.object(tickets, "_CHUNK", chunk):
        read = rows(text, "json")
    assert [row.fields if row.fields is not None else "not an object" for row in read] == [
        e if isinstance(e, dict) else "not an object" for e in elements
    ]
    if indent == 2:
        # each element starts on the line json.dumps put it on, two spaces in
        starts = [i + 1 for i, line in enumerate(text.splitlines()) if line[:2] == "  " and line[2:3] not in (" ", "}", "]")]
        assert [row.line for row in read] == starts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"id": 1}', "must be an array"),
        ('[{"id": 1} {"id": 2}]', "expected `,` or `]`"),
        ('[{"id": 1}] trailing', "text after the end of the array"),
        ('[{"id": 1}, {"id": tru}]', "not valid JSON"),
        ('[{"id": 1}, {"id":', "ends in the middle of this ticket"),
    ],
)
def test_a_broken_json_array_is_unreadable(text, message):
    with pytest.raises(TicketsUnreadable, match=message) as raised:
        rows(text, "json")
    assert raised.value.diagnostic.fatal


def test_json_lines_skip_blank_lines_and_keep_line_numbers():
    read = rows('{"id": 1}\n\n  \n[1]\n{"id": 2\n{"id": 3}\n', "jsonl")
    assert [(row.number, row.line) for row in read] == [(1, 1), (2, 4), (3, 5), (4, 6)]
    assert read[1].problem == "is not a JSON object with the ticket's fields"
    assert read[2].problem.startswith("is not valid JSON") and read[2].column == 9


def test_csv_rows_know_their_first_line_even_with_a_newline_in_a_cell():
    text = 'id,created_at,tier,channel,priority,notes\nT-1,2026-03-03T14:00:00Z,pro,email,P2,"two\nlines"\nT-2,2026-03-03T14:00:00Z,pro,email,P2,\n'
    read = rows(text, "csv")
    assert [(row.number, row.line, row.fields["id"]) for row in read] == [(1, 2, "T-1"), (2, 4, "T-2")]
    assert "notes" not in read[1].fields  # an empty cell is an absent field


def test_csv_rows_with_more_cells_than_columns_are_malformed():
    read = rows("id,created_at,tier,channel,priority\nT-1,x,pro,email,P2,extra\n", "csv")
    assert read[0].fields is None and "6 cells" in read[0].problem


def test_a_csv_header_without_required_columns_is_unreadable():
    with pytest.raises(TicketsUnreadable, match="no `priority` column"):
        rows("id,created_at,tier,channel\n", "csv")


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid,created_at,tier,channel,priority\nT-1,2026-03-03T14:00:00Z,pro,email,P2\n".encode())
    with open(path, encoding="utf-8-sig", newline="") as stream:
        (row,) = read_rows(stream, "excel.csv", "csv")
    assert row.fields["id"] == "T-1"


# --- checking ------------------------------------------------------------------------------

CHECKER = RowChecker(POLICY, "tickets")


def check(fields: dict) -> TicketRow | list:
    return CHECKER.check(Row(1, 1, json.dumps(fields), fields))


def codes(result) -> list[str]:
    return sorted(d.code for d in result)


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"created_at": None}, "PC902", "has no `created_at`"),
        ({"created_at": "2026-03-03"}, "PC902", "a date without a time of day"),
        ({"created_at": "2026-03-03T14:00:00"}, "PC902", "has no UTC offset"),
        ({"created_at": "yesterday"}, "PC902", "not an ISO 8601 date and time"),
        ({"tier": 3}, "PC902", "`tier` is 3, not text"),
        ({"id": True}, "PC902", "`id` is true, not text"),
        ({"tier": "platinum"}, "PC903", "tier `platinum` is not defined"),
        ({"priority": "p1"}, "PC903", "did you mean"),
        ({"segment": "VIP"}, "PC903", "segment `VIP`"),
        ({"data_class": "phi"}, "PC903", "data class `phi`"),
    ],
)
def test_each_problem_is_named_with_its_field(change, code, words):
    result = check({**GOOD, **change})
    assert codes(result) == [code]
    assert words in result[0].message + (result[0].hint or "")
    assert result[0].message.startswith("row 1")


def test_the_span_points_at_the_value():
    fields = {**GOOD, "tier": "platnum"}
    (problem,) = check(fields)
    text = json.dumps(fields)
    assert text[problem.span.column - 1 : problem.span.end_column - 1] == '"platnum"'


def test_a_good_row_becomes_a_ticket():
    result = check({**GOOD, "intent": "complaint", "language": "pt-BR", "segment": "", "unused": [1]})
    assert isinstance(result, TicketRow)
    assert (result.id, result.created_at) == ("T-1", 1772564400)
    assert (result.ticket.tier, result.ticket.intent, result.ticket.language, result.ticket.segment) == ("pro", "complaint", "pt-BR", None)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(st.sampled_from(["T-1", ""]), st.integers(), st.booleans()),
            "created_at": st.sampled_from(["2026-03-03T14:00:00Z", " 2026-03-03T14:00:00+01:00 ", "2026-03-03T14:00:00", "x", ""]),
            "tier": st.sampled_from(["pro", "basic", "platinum", "", 1]),
            "channel": st.sampled_from(["email", "fax", None]),
            "priority": st.sampled_from(["P1", "P2", "p2"]),
            "intent": st.sampled_from(["complaint", "", "complain", None]),
            "segment": st.sampled_from(["vip", "", "gold"]),
            "language": st.sampled_from(["en", "", 5]),
            "data_class": st.sampled_from(["general", "phi", ""]),
        },
    )
)
def test_the_quick_path_agrees_with_the_careful_one(fields):
    row = Row(1, 1, json.dumps(fields), fields)
    careful = CHECKER._problems(row)
    quick = CHECKER._well_formed(row)
    if quick is not None:
        assert quick == careful
    assert isinstance(CHECKER.check(row), TicketRow) == isinstance(careful, TicketRow)
