"""The YAML printer: a policy document in the canonical YAML layout.

Two-space indentation and lines of at most `WIDTH` columns where the text allows it;
sections in the schema's order with a blank line between them, and the blank lines the
author put between definitions kept; a definition holding a list of blocks (an
escalation ladder's levels) set apart by blank lines. Lists of names in flow style
(`[email, phone]`) when they fit on the line, else one item a line; lists of mappings
as `- key: value` blocks. Values unquoted where every YAML reader reads them as the
same text, else in double quotes, or in single ones where double quotes would need an
escape that single ones do not; free text too long for its line folded (`>-`) over as
many lines as it takes. The first line points editors at the schema.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import Any

from policyc.frontend.yaml_loader import core_schema_value, yaml11_reading
from policyc.printer.comments import SCHEMA_COMMENT, Comments, Path
from policyc.printer.document import Document, Text
from policyc.printer.layout import INDENT, WIDTH, Layout, fits, quote

SCHEMA_LINE = "# yaml-language-server: $schema=https://policyc.dev/schemas/policy.schema.json"


def print_yaml(doc: Document, comments: Comments | None = None) -> str:
    comments = comments or Comments()
    first = next(iter(doc), None)
    header = comments.leading.get((first,), [])
    # The source's own schema line (a relative path, say) is kept, and kept first.
    schema_line = next((text for text in header if SCHEMA_COMMENT.match(text)), SCHEMA_LINE)
    comments.leading[(first,)] = [text for text in header if text != schema_line]
    printer = _Printer(Layout(), comments.blank_before)
    printer.layout.line(0, schema_line)
    for index, (key, value) in enumerate(doc.items()):
        if index:
            printer.layout.blank()
        printer.entry(0, (key,), key, value)
    return printer.layout.render(comments)


class _Printer:
    def __init__(self, layout: Layout, blank_before: set[Path]) -> None:
        self.layout = layout
        self.blank_before = blank_before

    def entry(self, depth: int, path: Path, key: str, value: Any, prefix: str = "", paths: tuple[Path, ...] = ()) -> None:
        """`key: value` at `depth`; `prefix` (`- `) and `paths` when it opens a list item."""
        head = f"{prefix}{_key(key)}:"
        own = (*paths, path)
        inner = depth + (2 if prefix else 1)
        if isinstance(value, dict):
            if not value:
                self.layout.line(depth, head if _nullable(path) else f"{head} {{}}", own)
                return
            self.layout.line(depth, head, own)
            self.block(inner, path, list(value.items()), self.entry)
        elif isinstance(value, list) and value and not all(_is_scalar(item) for item in value):
            self.layout.line(depth, head, own)
            self.block(inner, path, list(enumerate(value)), self.item)
        elif isinstance(value, list):
            flow = f"{head} [{', '.join(scalar(item, flow=True) for item in value)}]"
            if not value or fits(depth, flow):
                self.layout.line(depth, flow, own + tuple(path + (index,) for index in range(len(value))))
                return
            self.layout.line(depth, head, own)
            self.block(inner, path, list(enumerate(value)), self.list_scalar)
        else:
            self.scalar_line(depth, head, value, own, inner)

    def block(self, depth: int, path: Path, children: list[tuple[Any, Any]], emit) -> None:
        """The entries or items of the block at `path`, then the comments that end it."""
        for index, (key, value) in enumerate(children):
            child = path + (key,)
            if index and (child in self.blank_before or _set_apart(child, value) or _set_apart(path + (children[index - 1][0],), children[index - 1][1])):
                self.layout.blank()
            emit(depth, child, key, value)
        self.layout.close(depth, path)

    def item(self, depth: int, path: Path, _index: int, item: Document) -> None:
        """A mapping in a list: its first key on the `- ` line, the rest under it."""
        if not item:
            self.layout.line(depth, "- {}", (path,))
            return
        (first, value), *rest = item.items()
        # The `- ` line is drawn one level out, where the dash goes.
        self.entry(depth, path + (first,), first, value, prefix="- ", paths=(path,))
        for key, value in rest:
            if path + (key,) in self.blank_before:
                self.layout.blank()
            self.entry(depth + 1, path + (key,), key, value)
        self.layout.close(depth + 1, path)

    def list_scalar(self, depth: int, path: Path, _index: int, value: Any) -> None:
        self.scalar_line(depth, "-", value, (path,), depth + 1)

    def scalar_line(self, depth: int, head: str, value: Any, paths: tuple[Path, ...], inner: int) -> None:
        """`head value` on one line if it fits; free text that does not, folded in
        lines at `inner`."""
        line = f"{head} {scalar(value)}"
        folded = _folded(value, len(INDENT * inner)) if isinstance(value, Text) and not fits(depth, line) else None
        if folded is None:
            self.layout.line(depth, line, paths)
            return
        self.layout.line(depth, f"{head} >-", paths, room_for_comment=False)
        for text in folded:
            self.layout.line(inner, text)


def _folded(text: str, indent: int) -> list[str] | None:
    """`text` as the lines of a folded block scalar (`>-`) at `indent`, if it reads back
    as this very text and folding helps (one word longer than the line is left as it
    is): YAML joins the lines with one space, so the text breaks only at single spaces
    between printable words."""
    if not text.isprintable() or "  " in text or text != text.strip():
        return None
    lines = textwrap.wrap(text, WIDTH - indent, break_long_words=False, break_on_hyphens=False)
    if " ".join(lines) != text or (len(lines) == 1 and indent + len(lines[0]) > WIDTH):
        return None
    return lines


@lru_cache(maxsize=1)
def _schema_sections() -> tuple[frozenset[str], frozenset[str]]:
    """Sections that are tables of definitions, and those whose definitions may be
    empty (`finance:`), from the schema."""
    from policyc.validate import policy_schema

    tables, nullable = set(), set()
    for name, schema in policy_schema()["properties"].items():
        entry = schema.get("additionalProperties") if schema.get("type") == "object" else schema.get("items")
        if not isinstance(entry, dict):
            continue
        tables.add(name)
        kind = entry.get("type")
        if "null" in (kind if isinstance(kind, list) else [kind]):
            nullable.add(name)
    return frozenset(tables), frozenset(nullable)


def _nullable(path: Path) -> bool:
    return len(path) == 2 and path[0] in _schema_sections()[1]


def _set_apart(path: Path, value: Any) -> bool:
    """Whether a definition holds a list of blocks (levels, overrides, seasons) and so
    stands apart from its neighbours, with a blank line before and after it."""
    return len(path) == 2 and path[0] in _schema_sections()[0] and _holds_list_of_blocks(value)


def _holds_list_of_blocks(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_list_of_blocks(inner) for inner in value.values())
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _key(key: str) -> str:
    return key if _plain(key, flow=False) else _quoted(key)


def scalar(value: Any, flow: bool = False) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value if _plain(value, flow) else _quoted(value)


def _quoted(text: str) -> str:
    """`text` in double quotes; in single quotes (where `'` is written `''`) when
    double quotes would need escapes but single ones would not (`'"Aim" is a goal.'`)."""
    quoted = quote(text)
    if quoted != f'"{text}"' and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return quoted


def _plain(text: str, flow: bool) -> bool:
    """Whether `text` can go unquoted and still read back as this same text, in
    policyc and in YAML 1.1 tools alike."""
    if not text or text != text.strip() or not (text[0].isalnum() or text[0] in "_(./$+"):
        return False
    if any(not char.isprintable() for char in text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or (flow and any(char in text for char in ",?[]{}")):
        return False
    return core_schema_value(text) == text and yaml11_reading(text) is None
