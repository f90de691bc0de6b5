"""Comments: read from the source text and attached to the definitions they describe.

Neither front end keeps comments in the IR: a check has no use for them. `fmt` and
`convert` read them from the source again, here, and attach each to a path of the
printed document (`("calendars", "office")`), using the positioned tree of the front
end, whose paths are the document's:

- a comment on a line of its own belongs to what follows it in the same block: the
  shallowest node that starts on the next line that starts one (a comment above
  `calendar office {` is the calendar's, above `mon-fri ...` the weekday line's);
- one with nothing after it in its block closes that block (it stays at its end);
- a comment at the end of a line with code belongs to the shallowest node that starts
  on that line, else to the block that ends on it.

The printers put each comment back before, after or at the end of the line that prints
its path; a comment whose path is no longer printed (a default value left out, a
calendar factored out of an SLA entry's targets) moves to the nearest enclosing one,
so no comment is ever lost.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Iterator

from policyc import literals
from policyc.frontend.dsl import SPREAD
from policyc.frontend.yaml_loader import YMap, YNode, YScalar, YSeq
from policyc.printer.document import weekday_keys
from policyc.span import Source

Path = tuple  # of str keys and int list indexes

SCHEMA_COMMENT = re.compile(r"#\s*yaml-language-server:\s*\$schema=")


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    # From the `#` to the end of the line, without trailing spaces.
    text: str
    # Alone on its line (not after code).
    own_line: bool


@dataclass
class Comments:
    """Comments by the document path they attach to, and the paths the author set
    apart with a blank line (what comes before a node: its comments, or the blank
    lines that group definitions)."""

    leading: dict[Path, list[str]] = field(default_factory=dict)
    trailing: dict[Path, list[str]] = field(default_factory=dict)
    closing: dict[Path, list[str]] = field(default_factory=dict)
    blank_before: set[Path] = field(default_factory=set)

    def add(self, where: dict[Path, list[str]], path: Path, text: str) -> None:
        where.setdefault(path, []).append(text)


# --- reading comments --------------------------------------------------------------------


def read_comments(source: Source, language: str) -> list[Comment]:
    return _dsl_comments(source.text) if language == "dsl" else _yaml_comments(source.text)


def _dsl_comments(text: str) -> list[Comment]:
    """`#` to the end of the line, outside quoted text."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        in_text = False
        index = 0
        while index < len(line):
            char = line[index]
            if in_text and char == "\\":
                index += 2
                continue
            if char == '"':
                in_text = not in_text
            elif char == "#" and not in_text:
                found.append(Comment(number, index + 1, line[index:].rstrip(), not line[:index].strip()))
                break
            index += 1
    return found


def _yaml_comments(text: str) -> list[Comment]:
    """Comments sit between YAML tokens: whatever the scanner skipped that starts with
    `#`. (A `#` inside a quoted or plain value is part of a token.)"""
    import yaml

    found = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    previous_end = 0
    try:
        tokens = list(yaml.scan(text))
    except yaml.YAMLError:
        return []
    for token in tokens:
        gap = text[previous_end : token.start_mark.index]
        for match in re.finditer(r"#[^\n]*", gap):
            index = previous_end + match.start()
            line = _line_of(line_starts, index)
            column = index - line_starts[line - 1] + 1
            found.append(Comment(line, column, match.group().rstrip(), not text[line_starts[line - 1] : index].strip()))
        previous_end = max(previous_end, token.end_mark.index)
    return found


def _line_of(line_starts: list[int], index: int) -> int:
    low, high = 0, len(line_starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if line_starts[middle] <= index:
            low = middle
        else:
            high = middle - 1
    return low + 1


# --- attaching them ------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    path: Path
    start: tuple[int, int]
    end: tuple[int, int]
    # Column of the first child (YAML nests by indentation); None for leaves.
    body_column: int | None
    # Written by the author (not a DSL section spread over definitions).
    written: bool = True


def attach(source: Source, tree: YNode, language: str) -> Comments:
    comments = Comments()
    nodes = list(_nodes(tree, ()))
    written = [n for n in nodes if n.written]
    if language == "yaml":
        comments.blank_before = _blank_before(source, written)
    found = read_comments(source, language)
    containers = [n for n in nodes if n.body_column is not None and (language == "yaml" or _braced(source, n))]
    reach = _reach(nodes, language)
    for comment in found:
        position = (comment.line, comment.column)
        if not comment.own_line:
            on_line = [n for n in written if n.start[0] == comment.line and n.start < position and n.path]
            if on_line:
                comments.add(comments.trailing, min(on_line, key=_depth).path, comment.text)
                continue
            ending = [n for n in written if n.end[0] == comment.line and n.path]
            if ending:
                comments.add(comments.trailing, max(ending, key=_depth).path, comment.text)
                continue
        inside = [c for c in containers if _contains(c, comment, reach[c.path], indented=language == "yaml")]
        block = max(inside, key=_depth).path if inside else ()
        following = [n for n in written if n.path[: len(block)] == block and len(n.path) > len(block) and n.start > position]
        if following:
            line = min(n.start[0] for n in following)
            comments.add(comments.leading, min((n for n in following if n.start[0] == line), key=_depth).path, comment.text)
        else:
            comments.add(comments.closing, block, comment.text)
    return comments


def _blank_before(source: Source, nodes: list[_Node]) -> set[Path]:
    """The paths of nodes that start a line (after any `- `) with a blank line above
    them or above the comments right over them."""
    lines = source.text.split("\n")
    found = set()
    for node in nodes:
        line, column = node.start
        if not node.path or lines[line - 1][: column - 1].strip("- "):
            continue
        above = line - 1
        while above >= 1 and (not lines[above - 1].strip() or lines[above - 1].lstrip().startswith("#")):
            if not lines[above - 1].strip():
                found.add(node.path)
                break
            above -= 1
    return found


def _depth(node: _Node) -> int:
    return len(node.path)


def _braced(source: Source, node: _Node) -> bool:
    """A DSL node is a block (comments can sit inside it) when its text ends in `}`."""
    line, column = node.end
    return source.line_text(line)[column - 2 : column - 1] == "}"


def _reach(nodes: list[_Node], language: str) -> dict[Path, tuple[int, int]]:
    """Where each node's block ends, for comments: a DSL block at its `}`; a YAML one
    (which ends by indentation, after its own trailing comments) where the next node
    that is not inside it starts."""
    if language == "dsl":
        return {node.path: node.end for node in nodes}
    reach: dict[Path, tuple[int, int]] = {}
    open_nodes: list[_Node] = []
    for node in nodes:  # in document order
        while open_nodes and node.path[: len(open_nodes[-1].path)] != open_nodes[-1].path:
            reach[open_nodes.pop().path] = node.start
        open_nodes.append(node)
    for node in open_nodes:
        reach[node.path] = (sys.maxsize, 0)
    return reach


def _contains(node: _Node, comment: Comment, reach: tuple[int, int], indented: bool) -> bool:
    """Whether a comment on a line of its own is inside a block: between its start and
    its end and, in YAML, indented at least as far as its content."""
    position = (comment.line, comment.column)
    if not node.path:
        return True
    if not (node.start[0] < comment.line and position < reach):
        return False
    return not indented or comment.column >= node.body_column


def _nodes(node: YNode, path: Path, key: YScalar | None = None) -> Iterator[_Node]:
    """Every node of the tree with its path; a mapping entry starts at its key."""
    span = node.span
    begin = (key.span.line, key.span.column) if key is not None else (span.line, span.column)
    children: list[tuple[Path, YNode, YScalar | None]] = []
    if isinstance(node, YMap):
        names = [k.value for k, _ in node.entries]
        if path[-1:] == ("hours",):
            names = _weekday_keys(names)
        children = [(path + (name,), value, k) for name, (k, value) in zip(names, node.entries)]
    elif isinstance(node, YSeq):
        children = [(path + (index,), item, None) for index, item in enumerate(node.items)]
    body_column = None
    if children:
        _, first, first_key = children[0]
        body_column = (first_key or first).span.column
    end = (span.end_line, span.end_column)
    yield _Node(path, begin, max(end, begin), body_column, key is None or key.style != SPREAD)
    for child_path, child, child_key in children:
        yield from _nodes(child, child_path, child_key)


def _weekday_keys(keys: list[str]) -> list[str]:
    """The keys of weekly hours as the document spells them (`monday-friday` is
    printed `mon-fri`), so comments on a weekday line follow it."""
    try:
        return weekday_keys([literals.parse_weekdays(key) for key in keys])
    except literals.LiteralError:
        return keys
