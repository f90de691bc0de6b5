"""Strict YAML reading with source positions.

PyYAML's loaders follow YAML 1.1, where `9:30` is the integer 570, `NO` is false, an
unquoted `2026-01-01` is a date object and a repeated key silently replaces the first.
A policy file must not lose meaning that way, so this module only *composes* the YAML
(no object is ever constructed, so no tag can run code) and types plain scalars by the
YAML 1.2 core schema: only `true`/`false` are booleans, only decimal, `0o` and `0x`
numbers are integers, everything else stays the text the author wrote, for the policy
language to read as it means it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.span import Source, Span

UNREADABLE = define(
    "PC001",
    "unreadable-file",
    Severity.ERROR,
    "The policy file cannot be read.",
    fatal=True,
    what="""
        Reports a path that does not exist, is a directory, or cannot be opened.
    """,
    why="""
        Nothing can be checked. The run exits with code 2 so that a CI job does not
        mistake a typo in a path for a clean policy.
    """,
)

NOT_TEXT = define(
    "PC002",
    "not-a-text-file",
    Severity.ERROR,
    "The file is not UTF-8 text.",
    fatal=True,
    what="""
        Reports a file that contains NUL bytes or is not valid UTF-8: a binary file, or
        a file saved in a legacy encoding.
    """,
    why="""
        Policy files are text. A binary file given by mistake (a spreadsheet, a PDF)
        cannot be checked; a file in another encoding would have its accented names
        misread. Save the file as UTF-8.
    """,
)

YAML_SYNTAX = define(
    "PC003",
    "yaml-syntax",
    Severity.ERROR,
    "The file is not well-formed YAML.",
    fatal=True,
    what="""
        Reports YAML that cannot be parsed: unbalanced brackets or quotes, a value
        indented inconsistently, a `key: value` where a list item was started.
    """,
    why="""
        Nothing in the file can be trusted until it parses. The diagnostic points at
        the first place the parser could not go on.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: "Acme
          currency: USD
    """,
    example_pass="""
        policyc: 1
        organisation:
          name: "Acme"
          currency: USD
          timezone: Europe/London
    """,
)

TAB_INDENT = define(
    "PC004",
    "tab-indentation",
    Severity.ERROR,
    "A tab character is used for indentation.",
    fatal=True,
    what="""
        Reports a tab character where YAML expects indentation or a token.
    """,
    why="""
        YAML forbids tabs for indentation, and editors display tabs at different
        widths, so a tab-indented file does not mean what it looks like. Indent with
        spaces (two per level is customary).
    """,
    example_fail="policyc: 1\norganisation:\n\tname: Acme\n",
    example_pass="policyc: 1\norganisation:\n  name: Acme\n  currency: USD\n  timezone: Europe/London\n",
)

DUPLICATE_KEY = define(
    "PC005",
    "duplicate-key",
    Severity.ERROR,
    "The same key appears twice in one mapping.",
    what="""
        Reports a key written twice in the same mapping, pointing at both places.
    """,
    why="""
        Most YAML readers silently keep the last value, so the first definition is
        lost without a word: two `mon-fri:` entries in a calendar, or two tiers with
        the same name. policyc refuses to guess which one was meant.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: Acme
          currency: USD
          timezone: Europe/London
          name: Acme Ltd
    """,
    example_pass="""
        policyc: 1
        organisation:
          name: Acme Ltd
          currency: USD
          timezone: Europe/London
    """,
)

UNSUPPORTED_YAML = define(
    "PC006",
    "unsupported-yaml",
    Severity.ERROR,
    "A YAML feature that policy files do not use.",
    what="""
        Reports custom or language-specific tags (`!!python/object`, `!Ref`), merge
        keys (`<<:`), keys that are not plain text, several documents in one file,
        alias expansion beyond a safe size, an alias inside the value it refers to,
        and values nested more than 100 levels deep.
    """,
    why="""
        A policy is plain data. Tags that construct objects are a security hole, merge
        keys hide where a value came from, and a document that expands to millions of
        nodes through aliases is an attack, not a policy. Anchors and aliases (`&x`,
        `*x`) are fine.
    """,
    example_fail="""
        policyc: 1
        organisation: !!python/object:os.system
          name: Acme
          currency: USD
          timezone: Europe/London
    """,
    example_pass=example_policy(),
)

EMPTY_POLICY = define(
    "PC007",
    "empty-policy",
    Severity.ERROR,
    "The file holds no policy.",
    what="""
        Reports a file that is empty or holds only comments.
    """,
    why="""
        An empty file is almost always a mistake: a file truncated by a failed save, or
        the wrong path. A policy needs at least `policyc: 1` and an `organisation`.
    """,
    example_fail="# the policy goes here\n",
    example_pass="policyc: 1\norganisation:\n  name: Acme\n  currency: USD\n  timezone: Europe/London\n",
)

# How many nodes a document may expand to through aliases before it is refused.
MAX_NODES = 200_000
# How deeply values may nest. A policy needs fewer than ten levels; the limit keeps a
# runaway `[[[[...` from exhausting the stack of the (recursive) YAML composer.
MAX_DEPTH = 100

_PLAIN = "tag:policyc:plain"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class _Resolver(yaml.resolver.BaseResolver):
    """Leaves plain scalars untyped, so the YAML 1.2 core schema below can type them."""

    def resolve(self, kind, value, implicit):  # type: ignore[override]
        if kind is ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


class _DepthLimited:
    """Refuses values nested deeper than `MAX_DEPTH` before the recursive composer
    would exhaust the stack."""

    depth = 0

    def compose_node(self, parent, index):
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1


class _Composer(
    _DepthLimited,
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    """The reference reader: PyYAML's own scanner and parser, in Python. Every error
    is reported from this one, so its messages do not depend on how PyYAML was built."""

    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


def _fast_composer_class():
    """The same composer over libyaml's parser, when PyYAML was built with it: the
    events (values, styles, positions) are the same and scanning is about ten times
    faster. Only the events come from C; composing them stays the Python code above."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        return None

    class _FastComposer(_DepthLimited, yaml.composer.Composer, CParser, _Resolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)

    return _FastComposer


_FastComposer = _fast_composer_class()


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        super().__init__(f"nested more than {MAX_DEPTH} levels deep")
        self.mark = mark


def _too_deep(span: Span) -> Diagnostic:
    return UNSUPPORTED_YAML.diagnostic(
        f"values are nested more than {MAX_DEPTH} levels deep here",
        span,
        hint="a policy needs only a few levels of nesting: look for unbalanced brackets or a runaway indentation",
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


# --- the positioned tree ------------------------------------------------------------


@dataclass
class YNode:
    span: Span


@dataclass
class YScalar(YNode):
    value: Any
    # The source text of the scalar, as written (without quotes).
    text: str = ""
    # None for plain scalars, else the quote or block indicator.
    style: str | None = None

    @property
    def plain(self) -> bool:
        return self.style is None


@dataclass
class YSeq(YNode):
    items: list[YNode] = field(default_factory=list)


@dataclass
class YMap(YNode):
    entries: list[tuple[YScalar, YNode]] = field(default_factory=list)

    def get(self, key: str) -> YNode | None:
        for k, v in self.entries:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> YScalar | None:
        for k, _ in self.entries:
            if k.value == key:
                return k
        return None

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.entries]

    def items(self) -> Iterator[tuple[str, YNode]]:
        for k, v in self.entries:
            yield k.value, v


def to_plain(node: YNode) -> Any:
    """The JSON-like value of a tree, for schema validation."""
    if isinstance(node, YScalar):
        return node.value
    if isinstance(node, YSeq):
        return [to_plain(item) for item in node.items]
    assert isinstance(node, YMap)
    return {key.value: to_plain(value) for key, value in node.entries}


# --- YAML 1.2 core schema for plain scalars -----------------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def core_schema_value(text: str) -> Any:
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    # `.inf` and `.nan` are floats in YAML 1.2 but have no meaning in a policy (and
    # are not JSON), so they stay text and fail wherever a number is expected.
    return text


# YAML 1.1 readers (most tools) read these plain scalars as something other than text.
_YAML11_BOOL = re.compile(r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF")
_YAML11_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")


def yaml11_reading(text: str) -> str | None:
    """What a YAML 1.1 reader would make of a plain scalar, where it differs from text."""
    if _YAML11_BOOL.fullmatch(text):
        return "a boolean"
    if _YAML11_SEXAGESIMAL.fullmatch(text):
        return "a base-60 number"
    return None


# --- loading -------------------------------------------------------------------------


@dataclass
class Loaded:
    """The outcome of reading one file: its source and tree, or why there is none."""

    source: Source | None
    root: YNode | None
    diagnostics: list[Diagnostic]


def read_source(path: str) -> tuple[Source | None, list[Diagnostic]]:
    at = Span.point(path, 1, 1)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None, [UNREADABLE.diagnostic(f"no such file: {path}", at, hint="check the path; it is relative to the current directory")]
    except IsADirectoryError:
        return None, [UNREADABLE.diagnostic(f"{path} is a directory, not a policy file", at, hint="give the path of a .yaml or .pol file")]
    except OSError as error:
        return None, [UNREADABLE.diagnostic(f"cannot read {path}: {error.strerror}", at)]
    return decode(path, data)


def decode(path: str, data: bytes) -> tuple[Source | None, list[Diagnostic]]:
    at = Span.point(path, 1, 1)
    if b"\x00" in data:
        return None, [NOT_TEXT.diagnostic(f"{path} is a binary file, not a policy", at, hint="policy files are YAML or policyc DSL text saved as UTF-8")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Positions are in the data after any byte-order mark, and columns count
        # characters: everything before the bad byte decoded fine.
        before = error.object[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        return None, [
            NOT_TEXT.diagnostic(
                f"{path} is not valid UTF-8 (byte 0x{error.object[error.start]:02x})",
                Span.point(path, line, column),
                hint="save the file as UTF-8 in your editor",
            )
        ]
    return Source(path, text), []


def load_yaml(path: str) -> Loaded:
    source, diagnostics = read_source(path)
    if source is None:
        return Loaded(None, None, diagnostics)
    return parse_yaml(source)


def parse_yaml(source: Source) -> Loaded:
    document = _compose_fast(source.text)
    if document is None:
        document = _compose(source)
        if isinstance(document, Loaded):
            return document
    path = source.name
    if document is None:
        return Loaded(source, None, [EMPTY_POLICY.diagnostic(f"{path} holds no policy", Span.point(path, 1, 1), hint="start with `policyc: 1` and an `organisation:` section; `policyc init` writes a starting point")])
    builder = _TreeBuilder(path, source.text)
    root = builder.build(document)
    if builder.truncated:
        # What was built is not the document: checking it would report errors the
        # author never wrote.
        return Loaded(source, None, builder.diagnostics)
    return Loaded(source, root, builder.diagnostics)


def _compose_fast(text: str) -> Node | None:
    """The document's node graph read with libyaml, or None when libyaml is missing,
    the document is empty, or anything is wrong with it: then the reference reader
    reads it again and says what."""
    if _FastComposer is None or not text.endswith(("\n", "\r")) or "\ufeff" in text or "\t" in text:
        # Where the two differ: without a final line break libyaml ends the
        # document on a line of its own; a byte order mark takes a column in
        # libyaml, none in the reference; libyaml reads `a\tb` as one word.
        return None
    composer = _FastComposer(text)
    try:
        return composer.get_single_node()
    except (yaml.YAMLError, _TooDeep, UnicodeError):
        return None
    finally:
        composer.dispose()


def _compose(source: Source) -> Node | Loaded | None:
    """The document's node graph read by the reference reader, or what is wrong with it."""
    path = source.name
    try:
        composer = _Composer(source.text)
    except yaml.reader.ReaderError as error:  # the reader refuses control characters up front
        return Loaded(source, None, [_unprintable_diagnostic(source, error)])
    try:
        return composer.get_single_node()
    except yaml.composer.ComposerError as error:
        if "expected a single document" in f"{error.context} {error.problem}":
            mark = error.problem_mark
            span = Span.point(path, mark.line + 1, mark.column + 1)
            return Loaded(
                source,
                None,
                [UNSUPPORTED_YAML.diagnostic("a policy file holds one YAML document; this one holds several", span, hint="split the documents into separate files, or remove the `---` separator")],
            )
        return Loaded(source, None, [_syntax_diagnostic(path, error)])
    except yaml.MarkedYAMLError as error:
        return Loaded(source, None, [_syntax_diagnostic(path, error)])
    except _TooDeep as error:
        return Loaded(source, None, [_too_deep(Span.point(path, error.mark.line + 1, error.mark.column + 1))])
    finally:
        composer.dispose()


# The line breaks YAML counts (str.splitlines counts more, but the reader refuses those).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _unprintable_diagnostic(source: Source, error: yaml.reader.ReaderError) -> Diagnostic:
    before = source.text[: error.position]
    breaks = list(_LINE_BREAK.finditer(before))
    line = len(breaks) + 1
    column = error.position - (breaks[-1].end() if breaks else 0) + 1
    return YAML_SYNTAX.diagnostic(
        f"invalid YAML: the control character U+{error.character:04X} is not allowed in a YAML file",
        Span.point(source.name, line, column),
        hint="delete the character (most editors do not show it); write line breaks and tabs inside quoted values as `\\n` and `\\t`",
    )


def _syntax_diagnostic(path: str, error: yaml.MarkedYAMLError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    span = Span.point(path, line, column)
    problem = (error.problem or "").strip()
    if "'\\t'" in problem:
        return TAB_INDENT.diagnostic(
            "a tab character is used for indentation",
            span,
            hint="YAML allows only spaces for indentation: replace the tab with spaces",
        )
    context = (error.context or "").strip()
    message = problem if not context else f"{problem} ({context})"
    related: list[Related] = []
    if error.context_mark is not None and error.problem_mark is not None and error.context_mark.line != error.problem_mark.line:
        related.append(Related(Span.point(path, error.context_mark.line + 1, error.context_mark.column + 1), context or "started here"))
    return YAML_SYNTAX.diagnostic(f"invalid YAML: {message}", span, hint=_syntax_hint(problem), related=related)


def _syntax_hint(problem: str) -> str:
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in problem:
        return "a quoted value is missing its closing quote"
    if "mapping values are not allowed here" in problem:
        return "a value containing `: ` must be quoted, or the line is indented too far"
    if "expected <block end>" in problem:
        return "this line's indentation does not line up with the lines above it"
    if "could not find expected ':'" in problem:
        return "a key is missing its `:`, or a quoted value spans lines"
    if "found character" in problem:
        return "this character cannot start a value here: quote the value"
    return "check indentation, quotes and brackets on this line and the line above"


_BREAKS = "\r\n\x85\u2028\u2029"


def _content_end(text: str, node: Node) -> tuple[int, int]:
    """Where a node that spans lines really ends (1-based, exclusive).

    PyYAML ends a block scalar or a block collection where the next token starts,
    past the line breaks, blank lines and comments in between; the span should end
    on the last character the node is made of.
    """
    start, end = node.start_mark, node.end_mark
    index = end.index
    first_line_start = start.index - start.column

    def line_start(index: int) -> int:
        return max(text.rfind(c, first_line_start, index) for c in _BREAKS) + 1 or first_line_start

    skip_comments = not isinstance(node, ScalarNode)
    while index > start.index:
        if text[index - 1] in " \t" + _BREAKS:
            index -= 1
            continue
        begins = line_start(index)
        if skip_comments and begins > start.index and text[begins:index].lstrip(" \t").startswith("#"):
            index = begins
            continue
        break
    line = end.line + 1 - len(_LINE_BREAK.findall(text, index, end.index))
    return line, index - line_start(index) + 1


class _TreeBuilder:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0
        self.too_large = False
        self.too_deep = False
        self.cyclic = False
        # The collections being built, innermost last: aliases can nest a value inside
        # itself (`&a [*a]`) or deeper than the text does.
        self.open: list[Node] = []

    def _span(self, node: Node) -> Span:
        start, end = node.start_mark, node.end_mark
        end_line, end_column = end.line + 1, end.column + 1
        if end.line > start.line:
            end_line, end_column = _content_end(self.text, node)
        return Span(self.path, start.line + 1, start.column + 1, end_line, end_column)

    @property
    def truncated(self) -> bool:
        """Whether parts of the document were left out of the tree."""
        return self.too_large or self.too_deep or self.cyclic

    def build(self, node: Node) -> YNode:
        if isinstance(node, (SequenceNode, MappingNode)):
            if any(node is outer for outer in self.open):
                self.cyclic = True
                self.diagnostics.append(
                    UNSUPPORTED_YAML.diagnostic(
                        "this value contains an alias to itself, so it never ends",
                        self._span(node),
                        hint="an alias (`*name`) may only refer to a value defined outside the one it is in",
                    )
                )
                return YScalar(self._span(node), None, "", None)
            if len(self.open) >= MAX_DEPTH:
                if not self.too_deep:
                    self.too_deep = True
                    self.diagnostics.append(_too_deep(self._span(node)))
                return YScalar(self._span(node), None, "", None)
            self.open.append(node)
            try:
                return self._build(node)
            finally:
                self.open.pop()
        return self._build(node)

    def _build(self, node: Node) -> YNode:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if not self.too_large:
                self.too_large = True
                self.diagnostics.append(
                    UNSUPPORTED_YAML.diagnostic(
                        f"the document expands to more than {MAX_NODES:,} values through aliases",
                        self._span(node),
                        hint="write the values out instead of nesting aliases",
                    )
                )
            return YScalar(self._span(node), None, "", None)
        span = self._span(node)
        if node.tag not in _STANDARD_TAGS and node.tag != _PLAIN:
            self.diagnostics.append(
                UNSUPPORTED_YAML.diagnostic(
                    f"the tag `{node.tag.replace('tag:yaml.org,2002:', '!!')}` is not allowed in a policy",
                    span,
                    hint="remove the tag: policy files hold plain values, lists and mappings",
                )
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node, span)
        if isinstance(node, SequenceNode):
            return YSeq(span, [self.build(item) for item in node.value])
        assert isinstance(node, MappingNode)
        return self._mapping(node, span)

    def _scalar(self, node: ScalarNode, span: Span) -> YScalar:
        text = self._text(node, span)
        style = node.style or None  # libyaml calls plain `''`, PyYAML None
        if node.tag == _PLAIN:
            value = core_schema_value(text)
        elif node.tag == "tag:yaml.org,2002:int":
            value = core_schema_value(text)
            if not isinstance(value, int) or isinstance(value, bool):
                value = text
        elif node.tag == "tag:yaml.org,2002:float":
            value = core_schema_value(text)
            if isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, float) or math.isnan(value):
                value = text
        elif node.tag == "tag:yaml.org,2002:bool":
            value = core_schema_value(text)
            if not isinstance(value, bool):
                value = text
        elif node.tag == "tag:yaml.org,2002:null":
            value = None
        else:
            value = text
        return YScalar(span, value, text, style)

    def _text(self, node: ScalarNode, span: Span) -> str:
        """The scalar's text. An escape such as `"\\ud800"` gives half of a UTF-16
        surrogate pair, which is not a character: no output could be written with it."""
        text = node.value
        if half := _SURROGATE.search(text):
            self.diagnostics.append(
                YAML_SYNTAX.diagnostic(
                    f"invalid YAML: the escape `\\u{ord(half.group()):04x}` is half of a UTF-16 surrogate pair, not a character",
                    span,
                    hint="write the character itself, or give characters beyond U+FFFF as one 8-digit escape such as `\\U0001F600`",
                )
            )
            return _SURROGATE.sub("\ufffd", text)
        return text

    def _mapping(self, node: MappingNode, span: Span) -> YMap:
        entries: list[tuple[YScalar, YNode]] = []
        seen: dict[Any, YScalar] = {}
        for key_node, value_node in node.value:
            key_span = self._span(key_node)
            if not isinstance(key_node, ScalarNode):
                self.diagnostics.append(UNSUPPORTED_YAML.diagnostic("a key must be plain text, not a list or mapping", key_span, hint="write the key as a name, e.g. `mon-fri:`"))
                continue
            if key_node.tag == _PLAIN and key_node.value == "<<":
                self.diagnostics.append(
                    UNSUPPORTED_YAML.diagnostic(
                        "merge keys (`<<:`) are not supported in policy files",
                        key_span,
                        hint="write the keys out, or refer to a shared definition by name (e.g. a calendar)",
                    )
                )
                continue
            # Keys are names: `on:`, `no:` or `1:` as a key is the text the author wrote.
            text = self._text(key_node, key_span)
            key = YScalar(key_span, text, text, key_node.style or None)
            value = self.build(value_node)
            if key.value in seen:
                first = seen[key.value]
                self.diagnostics.append(
                    DUPLICATE_KEY.diagnostic(
                        f"`{key.value}` is defined twice in this mapping",
                        key.span,
                        hint="remove one of the two, or merge them into one entry; YAML keeps only one",
                        related=[Related(first.span, f"`{key.value}` first defined here")],
                    )
                )
                continue
            seen[key.value] = key
            entries.append((key, value))
        return YMap(span, entries)


def path_text(path: Iterable[Any]) -> str:
    """Where a value is, as messages name it: `refunds.approvals[1].at_most`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"  # authors count list items from 1
        else:
            text += ("." if text else "") + str(part)
    return text or "the policy"
