"""Tickets for `policyc route`: read one at a time from JSON Lines, a JSON array or CSV.

Files of any size stream through: a row is read, checked and handed on before the next
is read, so memory does not grow with the file. A row that cannot be used gets a
diagnostic that names its row number, its line and the field at fault; the rows around
it are still read.

A ticket has `id`, `created_at` (ISO 8601 with a UTC offset or `Z`), `tier`, `channel`
and `priority`, and optionally `intent`, `language`, `data_class` and `segment`. Other
fields are ignored, so a helpdesk export can be routed as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, TextIO

from policyc.clock import to_seconds
from policyc.diagnostics import Diagnostic, Severity
from policyc.diagnostics.rules import define
from policyc.ir import Policy
from policyc.match import Ticket
from policyc.span import Source, Span

FORMATS = ("jsonl", "json", "csv")
REQUIRED = ("id", "created_at", "tier", "channel", "priority")
OPTIONAL = ("intent", "language", "data_class", "segment")
# The policy section each checked field must name a definition of.
_VOCABULARIES = {
    "tier": "tiers",
    "channel": "channels",
    "priority": "priorities",
    "intent": "intents",
    "data_class": "data_classes",
    "segment": "segments",
}
_CHUNK = 1 << 16
_SPACE = re.compile(r"\s*")

UNREADABLE_TICKETS = define(
    "PC901",
    "unreadable-tickets",
    Severity.ERROR,
    "The tickets file cannot be read as JSON Lines, a JSON array or CSV.",
    fatal=True,
    subject="tickets",
    what="""
        Reports a tickets file given to `policyc route` that does not exist, is not
        UTF-8 text, is a JSON array with a syntax error, or is a CSV file whose header
        lacks a required column (`id`, `created_at`, `tier`, `channel`, `priority`).
    """,
    why="""
        No ticket in it can be trusted to be read as written, so none is routed. The run
        exits with code 2, like any unreadable input. (In JSON Lines and CSV, a broken
        row is reported on its own and the other rows are still routed.)
    """,
)

MALFORMED_TICKET = define(
    "PC902",
    "malformed-ticket",
    Severity.ERROR,
    "A ticket row with a missing or unreadable field.",
    what="""
        Reports a row of the tickets file given to `policyc route` that is not a JSON
        object, lacks a required field, or has a field that cannot be read: a
        `created_at` that is not an ISO 8601 date and time, or that has no UTC offset.
        The diagnostic names the row number and the field. This row is reported,
        because `2026-03-09T14:00:00` could be any of 24 instants:

        ```jsonl
        {"id": "T-1", "created_at": "2026-03-09T14:00:00", "tier": "pro", "channel": "email", "priority": "P2"}
        ```

        and this one is routed:

        ```jsonl
        {"id": "T-1", "created_at": "2026-03-09T14:00:00-05:00", "tier": "pro", "channel": "email", "priority": "P2"}
        ```
    """,
    why="""
        A due instant computed from a guessed arrival time is a wrong promise. The row
        is left out of the output, every other row is still routed, and the run exits
        with code 1 so that a pipeline notices.
    """,
    subject="tickets",
)

UNKNOWN_TICKET_VALUE = define(
    "PC903",
    "unknown-ticket-value",
    Severity.ERROR,
    "A ticket names a tier, channel, priority, intent, data class or segment the policy does not define.",
    what="""
        Reports a ticket row whose `tier`, `channel` or `priority` (or `intent`,
        `data_class` or `segment`, when given) is not defined in the policy, with the
        closest defined name. With a policy whose tiers are `basic`, `pro` and
        `enterprise`, this row is reported:

        ```jsonl
        {"id": "T-1", "created_at": "2026-03-09T14:00:00Z", "tier": "enterprize", "channel": "email", "priority": "P2"}
        ```

        and this one is routed:

        ```jsonl
        {"id": "T-1", "created_at": "2026-03-09T14:00:00Z", "tier": "enterprise", "channel": "email", "priority": "P2"}
        ```
    """,
    why="""
        A ticket with a misspelt tier (`platnum`) would match only the rules that do not
        care about tiers and be routed, and promised, as nobody in particular. policyc
        does not route it at all, and says which value to fix.
    """,
    subject="tickets",
)


class TicketsUnreadable(Exception):
    """The tickets file as a whole cannot be read; `diagnostic` says why and where, and
    `text` is the line it points at (if any)."""

    def __init__(self, diagnostic: Diagnostic, text: str = ""):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.text = text


# Rows and tickets are made by the million: plain slotted dataclasses, quick to build.
@dataclass(slots=True)
class Row:
    """One row as read: its fields, or why it could not be read."""

    number: int  # the ticket's position in the file, from 1
    line: int  # the line it starts on
    text: str  # that line, for diagnostics
    fields: dict[str, Any] | None
    problem: str | None = None
    column: int | None = None  # where the problem is, if known
    header: tuple[str, ...] = ()  # a CSV file's columns, to find a cell on the line


@dataclass(slots=True)
class TicketRow:
    """A ticket ready to route."""

    number: int
    line: int
    id: str | int
    created_at: int  # UTC seconds
    ticket: Ticket


@dataclass(frozen=True)
class ExcerptSource(Source):
    """The lines of a tickets file that diagnostics quote, without keeping the file."""

    excerpts: dict[int, str] = field(default_factory=dict)

    def line_text(self, line: int) -> str:
        return self.excerpts.get(line, "")


# --- reading rows --------------------------------------------------------------------------


def detect_format(name: str, head: str) -> str:
    """The format a file's name says, else the one its first character suggests."""
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lowered.endswith(".csv"):
        return "csv"
    first = head.lstrip()[:1]
    if first == "[":
        return "json"
    if first == "{" or lowered.endswith(".json"):
        return "jsonl"
    return "csv"


def read_rows(stream: TextIO, name: str, format: str) -> Iterator[Row]:
    readers = {"jsonl": _json_lines, "json": _json_array, "csv": _csv_rows}
    try:
        yield from readers[format](stream, name)
    except UnicodeDecodeError as error:
        raise TicketsUnreadable(
            UNREADABLE_TICKETS.diagnostic(
                f"{name} is not UTF-8 text ({error.reason})",
                Span.point(name, 1, 1),
                hint="save the tickets as UTF-8 (CSV exports from spreadsheets offer it)",
            )
        ) from None


def _json_lines(stream: TextIO, name: str) -> Iterator[Row]:
    number = 0
    for line, text in enumerate(stream, 1):
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        number += 1
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield Row(number, line, text, None, f"is not valid JSON ({error.msg})", error.colno)
            continue
        if not isinstance(value, dict):
            yield Row(number, line, text, None, "is not a JSON object with the ticket's fields")
            continue
        yield Row(number, line, text, value)


class _ArrayReader:
    """A JSON array read element by element from a stream, tracking line numbers."""

    def __init__(self, stream: TextIO, name: str):
        self.stream = stream
        self.name = name
        self.buffer = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.decoder = json.JSONDecoder()

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        cut = self.buffer.rfind("\n", 0, self.pos) + 1  # keep the current line for quoting
        self.buffer = self.buffer[cut:] + chunk
        self.pos -= cut
        return True

    def advance(self, to: int) -> None:
        self.line += self.buffer.count("\n", self.pos, to)
        self.pos = to

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            match = _SPACE.match(self.buffer, self.pos)
            self.advance(match.end())
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.fill():
                return ""

    def current_line(self) -> str:
        start = self.buffer.rfind("\n", 0, self.pos) + 1
        end = self.buffer.find("\n", self.pos)
        return self.buffer[start : end if end >= 0 else len(self.buffer)].rstrip("\r")

    def column(self) -> int:
        return self.pos - (self.buffer.rfind("\n", 0, self.pos) + 1) + 1

    def fail(self, message: str, hint: str) -> TicketsUnreadable:
        span = Span.point(self.name, self.line, self.column())
        return TicketsUnreadable(UNREADABLE_TICKETS.diagnostic(f"{self.name}: {message}", span, hint=hint), self.current_line())

    def value(self) -> Any:
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if self.fill():
                    continue
                if error.pos >= len(self.buffer.rstrip()):
                    raise self.fail("the file ends in the middle of this ticket", "complete the ticket and close the array with `]`") from None
                self.advance(error.pos)
                raise self.fail(f"not valid JSON ({error.msg})", "fix the JSON syntax, or write one ticket per line (JSON Lines)") from None
            if end == len(self.buffer) and self.fill():
                continue  # the value may go on in the next chunk
            self.advance(end)
            return value


def _json_array(stream: TextIO, name: str) -> Iterator[Row]:
    reader = _ArrayReader(stream, name)
    if reader.peek() != "[":
        raise reader.fail("a JSON file of tickets must be an array (`[...]`) or one object per line", "write `[{...}, {...}]`, or use JSON Lines")
    reader.advance(reader.pos + 1)
    number = 0
    if reader.peek() == "]":
        reader.advance(reader.pos + 1)
    else:
        while True:
            number += 1
            reader.peek()
            line, text = reader.line, reader.current_line()
            value = reader.value()
            if isinstance(value, dict):
                yield Row(number, line, text, value)
            else:
                yield Row(number, line, text, None, "is not a JSON object with the ticket's fields")
            separator = reader.peek()
            reader.advance(reader.pos + 1)
            if separator == "]":
                break
            if separator != ",":
                reader.pos -= 1
                raise reader.fail("expected `,` or `]` after a ticket", "separate tickets with commas and close the array with `]`")
    if reader.peek():
        raise reader.fail("text after the end of the array", "remove it, or write one ticket per line (JSON Lines)")


class _RecordLines:
    """The lines of a stream, remembering those of the CSV record being read."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0
        self.record: list[str] = []

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        text = next(self.stream)
        self.count += 1
        self.record.append(text)
        return text

    def take(self) -> tuple[int, str]:
        """The first line number and text of the record just read."""
        first = self.count - len(self.record) + 1
        text = self.record[0].rstrip("\r\n") if self.record else ""
        self.record = []
        return first, text


def _csv_rows(stream: TextIO, name: str) -> Iterator[Row]:
    lines = _RecordLines(stream)
    reader = csv.reader(lines)
    header = next(reader, None)
    lines.take()
    if header is None:
        return
    columns = tuple(column.strip() for column in header)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise TicketsUnreadable(
            UNREADABLE_TICKETS.diagnostic(
                f"{name}: the CSV header has no {', '.join(f'`{m}`' for m in missing)} column",
                Span(name, 1, 1, 1, len(",".join(header)) + 1),
                hint=f"the first line must name the columns; tickets need {', '.join(REQUIRED)}",
            ),
            ",".join(header),
        )
    number = 0
    for cells in reader:
        line, text = lines.take()
        if not cells or cells == [""]:
            continue
        number += 1
        if len(cells) > len(columns):
            yield Row(number, line, text, None, f"has {len(cells)} cells but the header names {len(columns)} columns", header=columns)
            continue
        yield Row(number, line, text, {column: cell for column, cell in zip(columns, cells) if cell != ""}, header=columns)


# --- checking a row --------------------------------------------------------------------------


def field_span(name: str, row: Row, key: str | None) -> Span:
    """Where a field's value is on the row's line, or the whole line if not found (or if
    `key` is None)."""
    whole = Span(name, row.line, 1, row.line, max(2, len(row.text) + 1))
    if key is None:
        return whole
    if row.header:
        return _cell_span(name, row, key) or whole
    found = re.search(r'"%s"\s*:\s*' % re.escape(key), row.text)
    if not found:
        return whole
    try:
        _, end = json.JSONDecoder().raw_decode(row.text, found.end())
    except json.JSONDecodeError:
        end = len(row.text)
    return Span(name, row.line, found.end() + 1, row.line, end + 1)


def _cell_span(name: str, row: Row, key: str) -> Span | None:
    if '"' in row.text or key not in row.header:
        return None  # quoted cells: commas inside them make positions guesswork
    cells = row.text.split(",")
    index = row.header.index(key)
    if index >= len(cells):
        return None
    start = sum(len(cell) + 1 for cell in cells[:index])
    return Span(name, row.line, start + 1, row.line, start + max(1, len(cells[index])) + 1)


def _closest(value: str, names: list[str], section: str) -> str:
    by_case = [name for name in names if name.casefold() == value.casefold()]
    close = by_case or difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if names:
        return f"the {section.replace('_', ' ')} the policy defines are: {', '.join(f'`{n}`' for n in names)}"
    return f"the policy defines no {section.replace('_', ' ')}; leave the field empty"


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _instant(text: str) -> tuple[int | None, str | None, str | None]:
    """UTC seconds from an ISO 8601 date and time, or the problem and a hint."""
    example = "write e.g. `2026-03-09T14:00:00Z` or `2026-03-09T09:00:00-05:00`"
    if _DATE_ONLY.fullmatch(text.strip()):
        return None, f"`{text}` is a date without a time of day", example
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None, f"`{text}` is not an ISO 8601 date and time", example
    if moment.tzinfo is None:
        return None, f"`{text}` has no UTC offset, so it could be any of 24 instants", f"add the offset it was recorded in: {example}"
    return to_seconds(moment), None, None


# The fields of `match.Ticket`, in its order.
_TICKET_FIELDS = ("tier", "channel", "priority", "intent", "segment", "language", "data_class")
_ROW_HINT = (
    "each row is one ticket: an object such as "
    '{"id": "T-1", "created_at": "2026-03-09T14:00:00Z", "tier": "pro", "channel": "email", "priority": "P2"}'
)


class RowChecker:
    """Checks rows of one tickets file against one policy's definitions."""

    def __init__(self, policy: Policy, name: str):
        self.policy = policy
        self.name = name
        self.known = {key: frozenset(policy.sections[key]) for key in _VOCABULARIES}

    def check(self, row: Row) -> TicketRow | list[Diagnostic]:
        """The ticket in a row, or every problem with the row."""
        if row.fields is None:
            span = Span.point(self.name, row.line, row.column) if row.column else field_span(self.name, row, None)
            return [MALFORMED_TICKET.diagnostic(f"row {row.number} {row.problem}", span, hint=_ROW_HINT)]
        return self._well_formed(row) or self._problems(row)

    def _well_formed(self, row: Row) -> TicketRow | None:
        """The ticket of a row with nothing wrong, quickly; None if anything needs the
        closer look of `_problems`."""
        fields = row.fields
        ticket_id, created_at = fields.get("id"), fields.get("created_at")
        if not ((type(ticket_id) is str and ticket_id) or type(ticket_id) is int) or type(created_at) is not str:
            return None
        values = []
        for key in _TICKET_FIELDS:
            value = fields.get(key)
            if value == "":
                value = None
            elif value is not None and (type(value) is not str or (key in self.known and value not in self.known[key])):
                return None
            values.append(value)
        if None in values[:3]:  # tier, channel, priority
            return None
        try:
            moment = dt.datetime.fromisoformat(created_at)
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
        return TicketRow(row.number, row.line, ticket_id, to_seconds(moment), Ticket(*values))

    def _problems(self, row: Row) -> TicketRow | list[Diagnostic]:
        name, fields = self.name, row.fields
        ticket_id = fields.get("id")
        who = f"row {row.number}" + (f" (ticket `{ticket_id}`)" if type(ticket_id) in (str, int) else "")
        problems: list[Diagnostic] = []

        def malformed(key: str, message: str, hint: str) -> None:
            problems.append(MALFORMED_TICKET.diagnostic(f"{who}: {message}", field_span(name, row, key if key in fields else None), hint=hint))

        missing = [key for key in REQUIRED if fields.get(key) in (None, "")]
        if missing:
            malformed("", f"has no {', '.join(f'`{key}`' for key in missing)}", f"every ticket needs {', '.join(f'`{k}`' for k in REQUIRED)}")
        values: dict[str, Any] = {}
        for key in REQUIRED + OPTIONAL:
            value = fields.get(key)
            if value is None or value == "":
                values[key] = None
            elif key == "id" and type(value) is int:
                values[key] = value
            elif not isinstance(value, str):
                malformed(key, f"`{key}` is {json.dumps(value)}, not text", f'write it as text, e.g. "{key}": "{value}"')
            else:
                values[key] = value
        created_at = None
        if isinstance(values.get("created_at"), str):
            created_at, problem, hint = _instant(values["created_at"])
            if problem:
                malformed("created_at", f"`created_at` {problem}", hint)
        for key, section in _VOCABULARIES.items():
            value = values.get(key)
            if isinstance(value, str) and value not in self.known[key]:
                problems.append(
                    UNKNOWN_TICKET_VALUE.diagnostic(
                        f"{who}: {key.replace('_', ' ')} `{value}` is not defined in the policy's `{section}`",
                        field_span(name, row, key),
                        hint=_closest(value, list(self.policy.sections[key]), section),
                    )
                )
        if problems:
            return problems
        ticket = Ticket(**{key: values[key] for key in _TICKET_FIELDS})
        return TicketRow(row.number, row.line, values["id"], created_at, ticket)
