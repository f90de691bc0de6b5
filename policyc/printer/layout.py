"""Lines of printed text, each knowing which document paths it prints, and the comments
put back around them."""

from __future__ import annotations

import json
from dataclasses import dataclass

from policyc.printer.comments import Comments, Path

INDENT = "  "
# The width printed lines are kept to where the text allows it, as the examples and
# most code formatters do.
WIDTH = 88


def fits(depth: int, line: str) -> bool:
    """Whether `line`, indented `depth` levels, is within the width."""
    return len(INDENT * depth + line) <= WIDTH


@dataclass(frozen=True)
class _Line:
    depth: int
    text: str
    paths: tuple[Path, ...]
    # False where a comment cannot follow the text (YAML reads a comment after `>-`
    # as part of the header it cannot keep): its comments all go above.
    room_for_comment: bool = True


@dataclass(frozen=True)
class _Close:
    """Where the comments that end the block of `path` go."""

    depth: int
    path: Path


class _Blank:
    pass


class Layout:
    def __init__(self) -> None:
        self.items: list[_Line | _Close | _Blank] = []

    def line(self, depth: int, text: str, paths: tuple[Path, ...] = (), room_for_comment: bool = True) -> None:
        self.items.append(_Line(depth, text, paths, room_for_comment))

    def close(self, depth: int, path: Path) -> None:
        self.items.append(_Close(depth, path))

    def blank(self) -> None:
        if self.items and not isinstance(self.items[-1], _Blank):
            self.items.append(_Blank())

    def render(self, comments: Comments | None = None) -> str:
        comments = _placed(comments or Comments(), self.items)
        out: list[str] = []
        for item in self.items:
            if isinstance(item, _Blank):
                out.append("")
                continue
            indent = INDENT * item.depth
            if isinstance(item, _Close):
                out += [indent + text for text in comments.closing.get(item.path, [])]
                continue
            trailing = [text for path in item.paths for text in comments.trailing.get(path, [])]
            # One comment fits at the end of the line; any others go above it.
            at_end = trailing[:1] if item.room_for_comment else []
            above = [text for path in item.paths for text in comments.leading.get(path, [])] + trailing[len(at_end) :]
            out += [indent + text for text in above]
            out.append(indent + item.text + "".join(f"  {text}" for text in at_end))
        out += comments.closing.get((), [])
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n"


def _placed(comments: Comments, items: list) -> Comments:
    """The comments moved to paths that are printed: each to its own path if a line
    prints it, else to the nearest enclosing path that is."""
    on_lines = {path for item in items if isinstance(item, _Line) for path in item.paths}
    closable = {item.path for item in items if isinstance(item, _Close)} | {()}
    placed = Comments()

    def nearest(path: Path, printed: set[Path]) -> Path:
        while path and path not in printed:
            path = path[:-1]
        return path

    for kind in ("leading", "trailing"):
        for path, texts in getattr(comments, kind).items():
            target = nearest(path, on_lines)
            where = getattr(placed, kind) if target else placed.closing
            for text in texts:
                placed.add(where, target, text)
    for path, texts in comments.closing.items():
        for text in texts:
            placed.add(placed.closing, nearest(path, closable), text)
    return placed


def quote(text: str) -> str:
    """Text in double quotes, escaped so that both the DSL (JSON escapes) and YAML
    (double-quoted style) read back exactly `text`."""
    quoted = json.dumps(text, ensure_ascii=False)
    # Characters YAML does not allow unescaped, and those Python counts as line breaks.
    return "".join(f"\\u{ord(char):04x}" if _needs_escape(char) else char for char in quoted)


def _needs_escape(char: str) -> bool:
    code = ord(char)
    printable = code in (0x09, 0x0A, 0x0D) or 0x20 <= code <= 0x7E or code == 0x85 or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    return not printable or code in (0x85, 0x2028, 0x2029)
