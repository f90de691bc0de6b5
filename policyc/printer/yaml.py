"""The YAML printer: a policy document in the canonical YAML layout.

Two-space indentation, sections in the schema's order with a blank line between them,
lists of names in flow style (`[email, phone]`), lists of mappings as `- key: value`
blocks, values unquoted where every YAML reader reads them as the same text. The first
line points editors at the schema.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from policyc.frontend.yaml_loader import core_schema_value, yaml11_reading
from policyc.printer.comments import SCHEMA_COMMENT, Comments, Path
from policyc.printer.document import Document
from policyc.printer.layout import Layout, quote

SCHEMA_LINE = "# yaml-language-server: $schema=https://policyc.dev/schemas/policy.schema.json"


def print_yaml(doc: Document, comments: Comments | None = None) -> str:
    comments = comments or Comments()
    first = next(iter(doc), None)
    header = comments.leading.get((first,), [])
    # The source's own schema line (a relative path, say) is kept, and kept first.
    schema_line = next((text for text in header if SCHEMA_COMMENT.match(text)), SCHEMA_LINE)
    comments.leading[(first,)] = [text for text in header if text != schema_line]
    layout = Layout()
    layout.line(0, schema_line)
    for index, (key, value) in enumerate(doc.items()):
        if index:
            layout.blank()
        _entry(layout, 0, (key,), key, value)
    return layout.render(comments)


def _entry(layout: Layout, depth: int, path: Path, key: str, value: Any, prefix: str = "", paths: tuple[Path, ...] = ()) -> None:
    """`key: value` at `depth`; `prefix` (`- `) and `paths` when it opens a list item."""
    head = f"{prefix}{_key(key)}:"
    own = (*paths, path)
    inner = depth + (2 if prefix else 1)
    if isinstance(value, dict):
        if not value:
            layout.line(depth, head if _nullable(path) else f"{head} {{}}", own)
            return
        layout.line(depth, head, own)
        _mapping(layout, inner, path, value)
        layout.close(inner, path)
    elif isinstance(value, list) and value and not all(_is_scalar(item) for item in value):
        layout.line(depth, head, own)
        for index, item in enumerate(value):
            _item(layout, inner, path + (index,), item)
        layout.close(inner, path)
    elif isinstance(value, list):
        items = ", ".join(scalar(item, flow=True) for item in value)
        layout.line(depth, f"{head} [{items}]", own + tuple(path + (index,) for index in range(len(value))))
    else:
        layout.line(depth, f"{head} {scalar(value)}", own)


def _mapping(layout: Layout, depth: int, path: Path, mapping: Document) -> None:
    for key, value in mapping.items():
        _entry(layout, depth, path + (key,), key, value)


def _item(layout: Layout, depth: int, path: Path, item: Document) -> None:
    """A mapping in a list: its first key on the `- ` line, the rest under it."""
    if not item:
        layout.line(depth, "- {}", (path,))
        return
    (first, value), *rest = item.items()
    # The `- ` line is drawn one level out, where the dash goes.
    _entry(layout, depth, path + (first,), first, value, prefix="- ", paths=(path,))
    for key, value in rest:
        _entry(layout, depth + 1, path + (key,), key, value)
    layout.close(depth + 1, path)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _key(key: str) -> str:
    return key if _plain(key, flow=False) else quote(key)


def scalar(value: Any, flow: bool = False) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value if _plain(value, flow) else quote(value)


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


@lru_cache(maxsize=1)
def _nullable_sections() -> frozenset[str]:
    """Sections whose definitions may be empty (`finance:`), from the schema."""
    from policyc.validate import policy_schema

    nullable = set()
    for name, schema in policy_schema()["properties"].items():
        entry = schema.get("additionalProperties")
        kind = entry.get("type") if isinstance(entry, dict) else None
        if "null" in (kind if isinstance(kind, list) else [kind]):
            nullable.add(name)
    return frozenset(nullable)


def _nullable(path: Path) -> bool:
    return len(path) == 2 and path[0] in _nullable_sections()
