"""Source positions: every value a policy author wrote keeps where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a source file. Lines and columns are 1-based; the end is exclusive.

    Columns count Unicode code points, as an editor does.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)

    @classmethod
    def covering(cls, first: Span, last: Span) -> Span:
        """From the start of `first` to the end of `last` (a key and its value)."""
        return cls(first.file, first.line, first.column, last.end_line, last.end_column)


@dataclass(frozen=True)
class Source:
    """The text of one input file, kept so diagnostics can quote it."""

    name: str
    text: str

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""


class SourceMap(dict[str, Source]):
    """Every source read in one run, by file name."""

    def add(self, source: Source) -> None:
        self[source.name] = source
