"""The DSL printer: a policy document in the canonical DSL layout.

`policyc 1` first, then the definitions in the order of the YAML language's sections,
a blank line between them (runs of one-line definitions of one kind stay together),
two-space indentation, one statement per line, and a block with a single short
statement on one line: `team oncall { calendar always }`. Free text is quoted; words
and literals are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from policyc.frontend.dsl import DEFINITION_KEYWORDS, IMPLICIT_KINDS, reads_as_one_value
from policyc.printer.comments import SCHEMA_COMMENT, Comments, Path
from policyc.printer.document import Document, Text
from policyc.printer.layout import INDENT, WIDTH, Layout, fits, quote

# The longest one-line block, beyond which a block is written out.
ONE_LINE_BLOCK = 88
# A wrapped statement continues under its value, unless that is further right than this.
ALIGN_LIMIT = 40
# Keys whose value is free text the grammar lets run over several lines.
TEXT_KEYS = ("description", "definition")



@dataclass
class _Stmt:
    """A statement: its first line, the document paths that line prints, and its
    block (None: no block)."""

    head: str
    paths: tuple[Path, ...]
    body: list[_Stmt] | None = None
    # The path whose closing comments go at the end of the block.
    path: Path | None = None
    # The statement over several lines, for an indentation, when it is too long for one
    # (None: it stays on one line).
    wrap: Callable[[int], list[str]] | None = None


def print_dsl(doc: Document, comments: Comments | None = None) -> str:
    comments = comments or Comments()
    first = next(iter(doc), None)
    header = comments.leading.get((first,), [])
    comments.leading[(first,)] = [text for text in header if not SCHEMA_COMMENT.match(text)]
    layout = Layout()
    previous: tuple[str, bool] | None = None
    for keyword, stmt in _statements(doc):
        one_line = _one_line(stmt, comments) is not None
        if previous is not None and not (one_line and previous == (keyword, True)):
            layout.blank()
        _emit(layout, 0, stmt, comments)
        previous = (keyword, one_line)
    return layout.render(comments)


def _emit(layout: Layout, depth: int, stmt: _Stmt, comments: Comments) -> None:
    line = _one_line(stmt, comments)
    if line is not None:
        if stmt.body is None and stmt.wrap is not None and not fits(depth, line[0]):
            first, *rest = stmt.wrap(len(INDENT) * depth)
            # A comment after the first line would split the value: comments go above.
            layout.line(depth, first, line[1], room_for_comment=False)
            for piece in rest:
                layout.line(depth, piece)
            return
        layout.line(depth, line[0], line[1])
        return
    assert stmt.body is not None and stmt.path is not None
    layout.line(depth, f"{stmt.head} {{", stmt.paths)
    for inner in stmt.body:
        _emit(layout, depth + 1, inner, comments)
    layout.close(depth + 1, stmt.path)
    layout.line(depth, "}")


def _packed(head: str, parts: list[str], indent: int, extra: int) -> list[tuple[str, str]]:
    """`parts` in lines of at most `WIDTH` (a part longer than a line has one to itself),
    each line given `extra` more characters: the first after `head`, the others
    under it (or two levels in, when that is far right), as (prefix, parts) pairs."""
    prefix = " " * len(head) if len(head) <= ALIGN_LIMIT else INDENT * 2
    lines: list[tuple[str, str]] = []
    lead, current = head, ""
    for part in parts:
        if current and indent + len(lead) + len(current) + len(part) + extra > WIDTH:
            lines.append((lead, current))
            lead, current = prefix, ""
        current += part
    lines.append((lead, current))
    return lines


def _wrapped_text(head: str, quoted: str) -> Callable[[int], list[str]]:
    """A statement ending in long free text (`quoted`, as printed), in quoted pieces
    cut after spaces, which the DSL reads back as one text."""
    inner = quoted[1:-1]
    return lambda indent: [f'{lead}"{piece}"' for lead, piece in _packed(head, re.split("(?<= )", inner), indent, 2)]


def _wrapped_list(head: str, items: list[str]) -> Callable[[int], list[str]]:
    """A statement ending in a long list, cut after commas."""
    parts = [item + ", " for item in items[:-1]] + [items[-1]]
    return lambda indent: [(lead + piece).rstrip() for lead, piece in _packed(head, parts, indent, 0)]


def _one_line(stmt: _Stmt, comments: Comments) -> tuple[str, tuple[Path, ...]] | None:
    """The statement on one line, if it fits there: no block, an empty block, or a
    block of one short statement with no comment closing it."""
    if stmt.body is None:
        return stmt.head, stmt.paths
    if not stmt.body:
        return f"{stmt.head} {{}}", stmt.paths
    if len(stmt.body) > 1 or stmt.body[0].body is not None:
        return None
    if any(path[: len(stmt.path)] == stmt.path for path in comments.closing):
        return None
    inner = stmt.body[0]
    text = f"{stmt.head} {{ {inner.head} }}"
    return (text, stmt.paths + inner.paths) if len(text) <= ONE_LINE_BLOCK else None


# --- values ---------------------------------------------------------------------------


def word(text: str) -> str:
    """`text` unquoted if the DSL reads it back as one value with this very text (a
    word, or a literal such as `4 business hours`), else quoted."""
    return text if reads_as_one_value(text) else quote(text)


def _value(value: Any) -> str:
    if isinstance(value, Text):
        return quote(value)
    if isinstance(value, bool):
        raise TypeError("a flag is a statement of its own")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value)
    return word(value)


def _paths(path: Path, value: Any) -> Iterator[Path]:
    """`path` and every path below it in `value`."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(path + (key,), inner)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(path + (index,), inner)


def _target(value: str | Document) -> str:
    if isinstance(value, str):
        return word(value)
    options = ", ".join(_clause(key, option) for key, option in value.items() if key != "target")
    return f"{word(value['target'])} ({options})"


def _clause(key: str, value: Any) -> str:
    """`key value`; a flag or an empty list is the key alone."""
    return key if value is True or value == [] else f"{key} {_value(value)}"


def _clauses(mapping: Document) -> str:
    return " ".join(_clause(key, value) for key, value in mapping.items())


# --- statements -----------------------------------------------------------------------


def _field(path: Path, key: str, value: Any) -> _Stmt:
    """`key value`, `key a, b`, a flag, or a target with its options."""
    own = path + (key,)
    if isinstance(value, dict):
        return _Stmt(f"{key} {_target(value)}", tuple(_paths(own, value)))
    head = _clause(key, value)
    wrap = None
    if key in TEXT_KEYS and head.endswith('"'):
        wrap = _wrapped_text(f"{key} ", head[len(key) + 1 :])
    elif isinstance(value, list) and value:
        wrap = _wrapped_list(f"{key} ", [_value(item) for item in value])
    return _Stmt(head, tuple(_paths(own, value)), wrap=wrap)


def _repeated(path: Path, key: str, items: list, line) -> list[_Stmt]:
    """One statement per item of a list: `override ...`, `band ...`, `level ...`."""
    stmts = []
    for index, item in enumerate(items):
        stmt = line(path + (key, index), item)
        if index == 0:
            stmt.paths = (path + (key,), *stmt.paths)
        stmts.append(stmt)
    return stmts


def _block(head: str, paths: tuple[Path, ...], path: Path, body: list[_Stmt]) -> _Stmt:
    return _Stmt(head, paths, body, path)


def _statements(doc: Document) -> Iterator[tuple[str, _Stmt]]:
    for key, value in doc.items():
        path = (key,)
        if key == "policyc":
            yield key, _Stmt(f"policyc {value}", (path,))
        elif key == "organisation":
            yield key, _organisation(value)
        elif key == "horizon":
            yield key, _Stmt(f"horizon {word(value['start'])} to {word(value['end'])}", tuple(_paths(path, value)))
        elif key in ("defaults", "routing", "credits", "refunds"):
            yield key, _block(key, (path,), path, _fields(path, value, _SPECIAL_FIELDS.get(key, {})))
        elif key == "sla":
            for index, entry in enumerate(value):
                yield key, _sla_entry(index, entry)
        else:
            keyword = DEFINITION_KEYWORDS[key]
            for index, (id, body) in enumerate(value.items()):
                stmt = _definition(key, id, body or {})
                if index == 0:
                    stmt.paths = (path, *stmt.paths)
                yield keyword, stmt


def _fields(path: Path, mapping: Document, special: dict) -> list[_Stmt]:
    stmts: list[_Stmt] = []
    for key, value in mapping.items():
        if key in special:
            stmts += special[key](path, key, value)
        elif key == "suppress":
            stmts += _suppressions(path, key, value)
        else:
            stmts.append(_field(path, key, value))
    return stmts


def _suppressions(path: Path, key: str, items: list[Document]) -> list[_Stmt]:
    """`suppress PC502 "reason"`, one per suppression, on any definition."""

    def line(own: Path, item: Document) -> _Stmt:
        head, reason = f"suppress {word(item['code'])} ", quote(item["reason"])
        return _Stmt(head + reason, tuple(_paths(own, item)), wrap=_wrapped_text(head, reason))

    return _repeated(path, key, items, line)


def _with_suppressions(stmt: _Stmt, own: Path, item: Document) -> _Stmt:
    """A one-line statement (`override`, `band`, `approval`) given a block when the
    item suppresses something."""
    if "suppress" not in item:
        return stmt
    return _block(stmt.head, stmt.paths, own, _suppressions(own, "suppress", item["suppress"]))


def _organisation(organisation: Document) -> _Stmt:
    path = ("organisation",)
    body = {key: value for key, value in organisation.items() if key != "name"}
    head = f"organisation {quote(organisation['name'])}"
    return _block(head, (path, path + ("name",)), path, _fields(path, body, _SPECIAL_FIELDS["organisation"]))


def _contract(path: Path, key: str, contract: Document) -> list[_Stmt]:
    own = path + (key,)
    return [_block("contract", (own,), own, _fields(own, contract, _SPECIAL_FIELDS["contract"]))]


def _parties(path: Path, key: str, parties: Document) -> list[_Stmt]:
    stmts = []
    for index, (role, name) in enumerate(parties.items()):
        paths = (path + (key, role),)
        stmts.append(_Stmt(f"party {role} {quote(name)}", (path + (key,), *paths) if index == 0 else paths))
    return stmts


def _definition(section: str, id: str, definition: Document) -> _Stmt:
    path = (section, id)
    head = f"{DEFINITION_KEYWORDS[section]} {id}"
    paths: list[Path] = [path]
    body = dict(definition)
    if section in IMPLICIT_KINDS and "kind" in body:
        kind = body.pop("kind")
        if kind != id:  # `channel email` is an email channel
            head += f" is {word(kind)}"
        paths.append(path + ("kind",))
    if section != "exclusions" and "name" in body:
        head += f" {quote(body.pop('name'))}"
        paths.append(path + ("name",))
    special = _SPECIAL_FIELDS.get(section, {})
    stmts = _fields(path, body, special)
    return _Stmt(head, tuple(paths), stmts if stmts else None, path)


# --- calendars ------------------------------------------------------------------------


def _windows(windows: str | list[str]) -> str:
    return word(windows) if isinstance(windows, str) else ", ".join(word(window) for window in windows)


def _hours(path: Path, key: str, hours: str | Document) -> list[_Stmt]:
    own = path + (key,)
    if isinstance(hours, str):
        return [_Stmt(hours, (own,))]
    stmts = []
    for index, (days, windows) in enumerate(hours.items()):
        paths = tuple(_paths(own + (days,), windows))
        stmts.append(_Stmt(f"{days} {_windows(windows)}", (own, *paths) if index == 0 else paths))
    return stmts


def _holidays(path: Path, key: str, holidays: Document) -> list[_Stmt]:
    clauses = {name: value for name, value in holidays.items() if name != "country"}
    head = f"holidays {word(holidays['country'])}" + (f" {_clauses(clauses)}" if clauses else "")
    return [_Stmt(head, tuple(_paths(path + (key,), holidays)))]


def _overrides(path: Path, key: str, overrides: list[Document]) -> list[_Stmt]:
    def line(own: Path, override: Document) -> _Stmt:
        head = f"override {word(override['date'])} {_windows(override['hours'])}"
        if "reason" in override:
            head += f" {quote(override['reason'])}"
        written = {key: value for key, value in override.items() if key != "suppress"}
        return _with_suppressions(_Stmt(head, tuple(_paths(own, written))), own, override)

    return _repeated(path, key, overrides, line)


def _seasons(path: Path, key: str, seasons: list[Document]) -> list[_Stmt]:
    def season(own: Path, season: Document) -> _Stmt:
        head = f"season {quote(season['name'])} {word(season['from'])} to {word(season['to'])}"
        paths = (own, own + ("name",), own + ("from",), own + ("to",))
        suppressions = _suppressions(own, "suppress", season["suppress"]) if "suppress" in season else []
        return _block(head, paths, own, _hours(own, "hours", season["hours"]) + suppressions)

    return _repeated(path, key, seasons, season)


# --- SLA and escalation ---------------------------------------------------------------


def _sla_entry(index: int, entry: Document) -> _Stmt:
    path = ("sla", index)
    body = dict(entry)
    head = "sla"
    paths: list[Path] = [path]
    if index == 0:
        paths.insert(0, ("sla",))
    if "id" in body:
        head += f" {body.pop('id')}"
        paths.append(path + ("id",))
    return _block(head, tuple(paths), path, _fields(path, body, {}))


def _levels(path: Path, key: str, levels: list[Document]) -> list[_Stmt]:
    def level(own: Path, level: Document) -> _Stmt:
        body = {name: value for name, value in level.items() if name != "name"}
        return _block(f"level {quote(level['name'])}", (own, own + ("name",)), own, _fields(own, body, _SPECIAL_FIELDS["level"]))

    return _repeated(path, key, levels, level)


def _before_breach(path: Path, key: str, trigger: Document) -> list[_Stmt]:
    return [_Stmt(f"before_breach {word(trigger['metric'])} margin {word(trigger['margin'])}", tuple(_paths(path + (key,), trigger)))]


def _notify(path: Path, key: str, notes: list[Document]) -> list[_Stmt]:
    def line(own: Path, note: Document) -> _Stmt:
        return _Stmt(f"notify {word(note['role'])} within {word(note['within'])}", tuple(_paths(own, note)))

    return _repeated(path, key, notes, line)


# --- routing and commercial -----------------------------------------------------------


def _rules(path: Path, key: str, rules: list[Document]) -> list[_Stmt]:
    def rule(own: Path, rule: Document) -> _Stmt:
        body = {name: value for name, value in rule.items() if name != "id"}
        return _block(f"rule {rule['id']}", (own, own + ("id",)), own, _fields(own, body, {"when": _when}))

    return _repeated(path, key, rules, rule)


def _when(path: Path, key: str, when: Document) -> list[_Stmt]:
    own = path + (key,)
    stmts = [_field(own, name, value) for name, value in when.items()]
    if stmts:
        stmts[0].paths = (own, *stmts[0].paths)
    return stmts


def _clause_lines(keyword: str):
    """`band at_least 90% below 95% credit 5%`: one line per item of a list."""

    def line(own: Path, item: Document) -> _Stmt:
        written = {key: value for key, value in item.items() if key != "suppress"}
        return _with_suppressions(_Stmt(f"{keyword} {_clauses(written)}", tuple(_paths(own, written))), own, item)

    def lines(path: Path, key: str, items: list[Document]) -> list[_Stmt]:
        return _repeated(path, key, items, line)

    return lines


def _repeated_breach(path: Path, key: str, repeated: Document) -> list[_Stmt]:
    return [_Stmt(f"repeated_breach {_clauses(repeated)}", tuple(_paths(path + (key,), repeated)))]


_SPECIAL_FIELDS = {
    "organisation": {"contract": _contract},
    "contract": {"parties": _parties},
    "calendars": {"hours": _hours, "holidays": _holidays, "overrides": _overrides, "seasons": _seasons},
    "escalation": {"levels": _levels},
    "level": {"before_breach": _before_breach, "notify": _notify},
    "routing": {"rules": _rules},
    "credits": {"bands": _clause_lines("band"), "repeated_breach": _repeated_breach},
    "refunds": {"approvals": _clause_lines("approval")},
}
