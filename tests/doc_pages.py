"""Reading the Markdown pages under docs/ in tests: their code blocks and tables."""

from __future__ import annotations

import re
from typing import Iterator


def fenced_blocks(text: str) -> list[tuple[str, str, int]]:
    """(language, body, index of the line after the block) of every fenced block; a
    longer fence may hold shorter ones."""
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        opening = re.match(r"^(`{3,})(\S*)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        fence, language = opening.groups()
        body, i = [], i + 1
        while i < len(lines) and lines[i] != fence:
            body.append(lines[i])
            i += 1
        i += 1
        blocks.append((language, "\n".join(body) + "\n", i))
    return blocks


def prose(text: str) -> str:
    """The page without its code blocks."""
    return re.sub(r"^(`{3,}).*?^\1$", "", text, flags=re.MULTILINE | re.DOTALL)


def tables(text: str) -> Iterator[list[list[str]]]:
    """Every table as rows of cells, the header row first."""
    rows: list[list[str]] = []
    for line in prose(text).split("\n") + [""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                rows.append(cells)
        elif rows:
            yield rows
            rows = []


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def heading_anchors(text: str) -> set[str]:
    """The anchors of the page's headings; a repeated heading gets `-1`, `-2`..."""
    from policyc.diagnostics.reference import heading_anchor

    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose(text).split("\n"):
        if match := re.match(r"^#+ (.*)$", line):
            anchor = heading_anchor(match.group(1))
            anchors.add(f"{anchor}-{seen[anchor]}" if anchor in seen else anchor)
            seen[anchor] = seen.get(anchor, 0) + 1
    return anchors
