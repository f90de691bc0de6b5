"""The DSL front end: `*.pol` files, parsed with the lark grammar in `grammar/policy.lark`.

The DSL is another spelling of the YAML language, so this front end lowers a DSL file
to the same positioned tree the YAML loader produces (`YMap`/`YSeq`/`YScalar`, every
node with the span of the DSL text it came from). From there both languages share one
path: the schema validates the tree, `yaml_builder` turns it into the IR and
`policyc/literals.py` reads every duration, price and window. A DSL policy and its
YAML form therefore give equal IR and the same diagnostics by construction, not by two
implementations kept in step.

Parsing happens in two passes, as lark recommends for positions: the LALR parser
builds a tree with `propagate_positions`, then `_Lowering` (a `Transformer` with
`v_args(meta=True)`) turns it into the positioned tree. Syntax errors are collected
several per file (parsing resumes at the next top-level definition) and phrased for
people: no grammar-internal name ever reaches a message.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_parser_state import ParserState

from policyc import ir, literals
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.frontend.yaml_loader import Loaded, YMap, YNode, YScalar, YSeq
from policyc.resolve import DUPLICATE_DEFINITION
from policyc.span import Source, Span

_EXAMPLE_FILE = "example.pol"
# The example organisation of the rule docs, in the DSL: each rule's examples start
# from it (the passing ones are often just it).
_EXAMPLE = 'policyc 1\n\norganisation "Acme" {\n  currency USD\n  timezone Europe/London\n}\n'
_OFFICE = "\ncalendar office {\n  timezone Europe/London\n  mon-fri 09:00-17:00\n}\n"

DSL_SYNTAX = define(
    "PC010",
    "dsl-syntax",
    Severity.ERROR,
    "The file is not well-formed policyc DSL.",
    fatal=True,
    example_file=_EXAMPLE_FILE,
    what="""
        Reports DSL text the parser cannot read: a statement that does not belong in
        its block (often a misspelt keyword), a missing `{`, a `}` that closes no
        block, a colon after a keyword (`timezone: UTC`), several words where one value
        belongs (text with spaces is quoted), a statement with no value.
    """,
    why="""
        Nothing in the file can be trusted until it parses. The message says what was
        found and what the block can hold; parsing resumes at the next definition, so
        one run shows the errors of every definition.
    """,
    example_fail=_EXAMPLE.replace("timezone ", "timezone: "),
    example_pass=_EXAMPLE,
)

UNCLOSED_BLOCK = define(
    "PC011",
    "unclosed-block",
    Severity.ERROR,
    "A `{` with no `}` to close it.",
    fatal=True,
    example_file=_EXAMPLE_FILE,
    what="""
        Reports a block opened with `{` that the file never closes: the next
        definition starts (a top-level keyword at the start of a line) or the file
        ends while the block is still open.
    """,
    why="""
        Without its `}`, every definition after the block would be read as part of
        it. The diagnostic points at the `{` that is still open.
    """,
    example_fail=_EXAMPLE.removesuffix("}\n") + _OFFICE,
    example_pass=_EXAMPLE + _OFFICE,
)

UNCLOSED_TEXT = define(
    "PC012",
    "unclosed-text",
    Severity.ERROR,
    "Quoted text with no closing quote, or with an escape the DSL does not know.",
    fatal=True,
    example_file=_EXAMPLE_FILE,
    what="""
        Reports quoted text whose closing `"` is missing on its line, escapes other
        than `\\"`, `\\\\`, `\\n`, `\\t` and `\\uXXXX` inside quoted text, and a `\\uXXXX`
        that is half of a surrogate pair rather than a character.
    """,
    why="""
        Quoted text ends on the line it starts; a missing quote would swallow the rest
        of the line and leave the file unreadable from there on.
    """,
    example_fail=_EXAMPLE.replace('"Acme"', '"Acme'),
    example_pass=_EXAMPLE,
)

YAML_AS_DSL = define(
    "PC013",
    "yaml-given-as-dsl",
    Severity.ERROR,
    "A YAML policy in a `.pol` file.",
    fatal=True,
    example_file=_EXAMPLE_FILE,
    what="""
        Reports a `.pol` file whose first statement is a YAML `key:` line: a YAML
        policy saved (or renamed) with the DSL's file extension.
    """,
    why="""
        policyc picks the language by the file name: `.pol` is the DSL, `.yaml` and
        `.yml` are YAML. Rename the file, or convert it with
        `policyc convert FILE.policy.yaml --to dsl`.
    """,
    example_fail=example_policy(),
    example_pass=_EXAMPLE,
)

MISSING_HEADER = define(
    "PC014",
    "missing-dsl-header",
    Severity.ERROR,
    "A DSL policy that does not start with `policyc 1`.",
    fatal=True,
    example_file=_EXAMPLE_FILE,
    what="""
        Reports a DSL file whose first statement is not `policyc 1`, the version of
        the policy language it is written in.
    """,
    why="""
        The version line lets later versions of policyc read today's policies
        exactly as they were meant, and tells a reader what the file is.
    """,
    example_fail=_EXAMPLE.removeprefix("policyc 1\n\n"),
    example_pass=_EXAMPLE,
)

# How many syntax errors one file reports before policyc stops reading it.
MAX_SYNTAX_ERRORS = 20

# A line that starts a definition, or what looks like a misspelt one.
_DEFINITION_LINE = re.compile(r"[A-Za-z_]")


@lru_cache(maxsize=1)
def grammar_text() -> str:
    return resources.files("policyc.grammar").joinpath("policy.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
        start=["start", "items"],
    )


@lru_cache(maxsize=1)
def top_level_keywords() -> frozenset[str]:
    """The words that start a definition (`calendar`, `sla`, `routing`...), as the
    grammar says."""
    state = parser().parse_interactive("", start="items").parser_state
    return frozenset(keyword for name in _acceptable(state) if (keyword := _keyword_text(name)))


def _keyword_text(name: str) -> str | None:
    """The text of a keyword terminal (`TIMEZONE` -> `timezone`), else None."""
    try:
        pattern = parser().get_terminal(name).pattern
    except KeyError:
        return None
    return pattern.value if pattern.type == "str" and pattern.value[:1].isalnum() else None


def parse_dsl(source: Source) -> Loaded:
    """The positioned tree of a DSL policy, or the diagnostics that say why there is none."""
    yaml_line = _yaml_line(source.text)
    if yaml_line is not None:
        line, text = yaml_line
        return Loaded(
            source,
            None,
            [
                YAML_AS_DSL.diagnostic(
                    f"{source.name} is a YAML policy, but a `.pol` file is read as policyc DSL",
                    Span(source.name, line, 1, line, len(text) + 1),
                    hint=f"rename it to end in `.policy.yaml`; `policyc convert {_yaml_name(source.name)} --to dsl` then writes its DSL form",
                )
            ],
        )
    tree, diagnostics = _Parse(source).run()
    if tree is None:
        return Loaded(source, None, diagnostics)
    lowering = _Lowering(source)
    try:
        root = lowering.transform(tree)
    except VisitError as error:  # a bug in the lowering, never the author's
        raise error.orig_exc from None
    return Loaded(source, root, lowering.diagnostics)


# How the DSL writes the keys a hint may ask for, where that is not `key value`.
_KEY_SYNTAX = {
    "organisation": '`organisation "Name" { currency ... timezone ... }`',
    "kind": "`is <kind>` after the id, as in `channel hotline is phone`",
    "hours": "opening hours: weekday lines such as `mon-fri 09:00-17:00`, or `24x7`",
    "levels": '`level "Name" { team <team> after 0m }`',
    "bands": "`band at_least 95% credit 5%`",
}


def dsl_key_syntax(name: str, example: object | None) -> str:
    """How the DSL writes a key, for the hints of validation diagnostics."""
    if name in _KEY_SYNTAX:
        return _KEY_SYNTAX[name] if example is None else f"`{example}`"
    return f"`{name} {example}`" if example is not None else f"`{name} ...`"


def _yaml_line(text: str) -> tuple[int, str] | None:
    """The first statement of the file if it is a YAML `key:` line or list item."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if re.match(r"(?:---|-\s|[A-Za-z_][\w-]*\s*:(?:\s|$))", stripped):
            return number, line
        return None
    return None


def _yaml_name(name: str) -> str:
    stem = name[: -len(".pol")] if name.endswith(".pol") else name
    return f"{stem}.policy.yaml"


# --- spans ---------------------------------------------------------------------------


def _token_span(file: str, token: Token) -> Span:
    return Span(file, token.line, token.column, token.end_line, token.end_column)


# --- syntax errors -------------------------------------------------------------------

# What each kind of token is, in the words of the language.
_VALUES = ("WORD", "STRING", "DURATION", "MONEY", "PERCENT", "WINDOW", "DATE", "NUMBER")
# Statements of several values, as an example shows them when one is missing.
_STATEMENT_FORMS = {
    "suppress": 'suppress PC502 "the reason it is accepted"',
    "notify": "notify cxo within 2h",
    "override": 'override 2026-12-24 09:00-13:00 "Christmas Eve"',
    "season": 'season "Peak" 2026-11-15 to 2026-12-31 { daily 08:00-22:00 }',
}
_TOKEN_WORDS = {
    "WORD": "a name or value",
    "STRING": "quoted text",
    "DURATION": "a duration such as `4h`",
    "MONEY": "an amount of money such as `USD 100`",
    "PERCENT": "a percentage such as `95%`",
    "WINDOW": "opening hours such as `09:00-17:00`",
    "DATE": "a date such as `2026-12-24`",
    "NUMBER": "a number",
    "WEEKDAYS": "days such as `mon-fri`",
    "$END": "the end of the file",
}

@dataclass
class _Chunk:
    """What the parser has read of one stretch of the file: where blocks opened."""

    tokens: list[Token]
    open_braces: list[Token]

    def line_tokens(self, line: int) -> list[Token]:
        return [t for t in self.tokens if t.line == line]

    def owner(self, brace: Token) -> str:
        """`calendar office` for the `{` of `calendar office "Office hours" {`."""
        header = [t for t in self.tokens if t.line == brace.line and t.start_pos < brace.start_pos]
        return " ".join(t.value for t in header[:2])


class _Parse:
    """Runs the parser over a file, resuming after errors, and phrases each error."""

    def __init__(self, source: Source):
        self.source = source
        self.name = source.name
        self.text = source.text
        self.parser = parser()
        self.diagnostics: list[Diagnostic] = []

    def run(self):
        tree = None
        offset, start = 0, "start"
        while True:
            text = self.text if offset == 0 else _blank_before(self.text, offset)
            chunk = _Chunk([], [])
            state = self.parser.parse_interactive(text, start=start).parser_state
            try:
                for token in state.lexer.lex(state):
                    token = _contextual(token, state)
                    if token.type in _keyword_types() and _WORD_CHARACTER.match(text, token.end_pos):
                        # A keyword is a whole word: `timezones` is not `timezone s`.
                        raise UnexpectedToken(_whole_word(text, token), set(), state=state)
                    chunk.tokens.append(token)
                    if token.type == "LBRACE":
                        chunk.open_braces.append(token)
                    state.feed_token(token)
                    # Only a `}` the parser took closes its block: one it refused (after a
                    # statement that needs another value) is reported inside that block.
                    if token.type == "RBRACE" and chunk.open_braces:
                        chunk.open_braces.pop()
                end = Token.new_borrow_pos("$END", "", chunk.tokens[-1]) if chunk.tokens else Token("$END", "", 0, 1, 1)
                result = state.feed_token(end, True)
                if offset == 0:
                    tree = result
                break
            except UnexpectedInput as error:
                diagnostic, resume = self.explain(error, chunk, _acceptable(state))
                self.diagnostics.append(diagnostic)
                if resume is None or resume <= offset or len(self.diagnostics) >= MAX_SYNTAX_ERRORS:
                    break
                offset, start = resume, "items"
        return (None if self.diagnostics else tree), self.diagnostics

    # --- where to resume -------------------------------------------------------------

    def line_start(self, line: int) -> int:
        return sum(len(part) for part in self.text.splitlines(keepends=True)[: line - 1])

    def resume_after(self, position: int, depth: int) -> int | None:
        """The start of the first later line that opens a top-level definition, skipping
        the rest of the block the error is in."""
        text = self.text
        index, in_text = position, False
        while index < len(text):
            char = text[index]
            if in_text:
                if char == "\\":
                    index += 1
                elif char in '"\n':
                    in_text = False
            elif char == "#":
                end = text.find("\n", index)
                index = len(text) if end < 0 else end
                continue
            elif char == '"':
                in_text = True
            elif char == "{":
                depth += 1
            elif char == "}":
                depth = max(0, depth - 1)
            if char == "\n" and depth == 0 and _DEFINITION_LINE.match(text, index + 1):
                return index + 1
            index += 1
        return None

    # --- phrasing ---------------------------------------------------------------------

    def explain(self, error: UnexpectedInput, chunk: _Chunk, accepts: set[str]) -> tuple[Diagnostic, int | None]:
        if isinstance(error, UnexpectedCharacters):
            return self.unexpected_character(error, chunk)
        assert isinstance(error, UnexpectedToken)
        token = error.token
        # A token the parser was given is in `chunk.tokens` (and a `{` in `open_braces`,
        # a refused `}` still not out of it): resume after it; one it never saw (a lexer
        # error), from where it starts.
        seen = bool(chunk.tokens) and chunk.tokens[-1] is token
        resume_from = token.end_pos if seen and token.type != "$END" else (token.start_pos or 0)
        closed = seen and token.type == "RBRACE" and bool(chunk.open_braces)
        resume = self.resume_after(resume_from, len(chunk.open_braces) - closed)

        if token.type == "$END":
            if chunk.open_braces:
                return self.unclosed(chunk, chunk.open_braces[-1], None), None
            return self.syntax(error, chunk, accepts, self.end_span(), "the file ends in the middle of a statement"), None

        first = (chunk.line_tokens(token.line) or [token])[0]
        before = [brace for brace in chunk.open_braces if brace.start_pos < first.start_pos]
        if before and first.column == 1 and first.value in top_level_keywords() and first.type != "WORD":
            return self.unclosed(chunk, before[-1], first), self.line_start(first.line)

        span = _token_span(self.name, token)
        if not chunk.tokens or (len(chunk.tokens) == 1 and seen):
            label = error.match_examples(lambda text: self.parser.parse(text, start="start"), _HEADER_MISTAKES, use_accepts=False)
            if label == "missing-header":
                return (
                    MISSING_HEADER.diagnostic(
                        "a policy in the DSL starts with `policyc 1`",
                        span,
                        hint="add `policyc 1` as the first line: the version of the policy language the file is written in",
                    ),
                    resume,
                )
        return self.syntax(error, chunk, accepts, span, None), resume

    def unexpected_character(self, error: UnexpectedCharacters, chunk: _Chunk) -> tuple[Diagnostic, int | None]:
        line_text = self.source.line_text(error.line)
        char = line_text[error.column - 1 : error.column] if error.column - 1 < len(line_text) else ""
        resume = self.resume_after(error.pos_in_stream, len(chunk.open_braces))
        if char == '"':
            span = Span(self.name, error.line, error.column, error.line, len(line_text) + 1)
            return (
                UNCLOSED_TEXT.diagnostic(
                    "this quoted text has no closing quote on its line",
                    span,
                    hint='end the text with `"` on the same line; inside it, write `\\"` for a quote',
                ),
                resume,
            )
        span = Span.point(self.name, error.line, error.column)
        return DSL_SYNTAX.diagnostic(f"`{char}` cannot appear here", span, hint="check the line for a stray character"), resume

    def unclosed(self, chunk: _Chunk, brace: Token, next_definition: Token | None) -> Diagnostic:
        owner = chunk.owner(brace)
        where = f"`{owner} {{`" if owner else "this `{`"
        if next_definition is None:
            message = f"the block {where} on line {brace.line} is never closed"
            hint = "add `}` where the block ends; every `{` needs its `}`"
            related = []
        else:
            message = f"the block {where} on line {brace.line} is not closed before `{next_definition.value}` on line {next_definition.line}"
            hint = f"add `}}` where the block ends, before line {next_definition.line}"
            related = [Related(_token_span(self.name, next_definition), "the next definition starts here")]
        return UNCLOSED_BLOCK.diagnostic(message, _token_span(self.name, brace), hint=hint, related=related)

    def end_span(self) -> Span:
        lines = self.source.lines or [""]
        number = max((i for i, line in enumerate(lines, start=1) if line.strip()), default=1)
        length = len(lines[number - 1])
        return Span(self.name, number, max(1, length), number, max(1, length) + 1)

    def syntax(self, error: UnexpectedToken, chunk: _Chunk, accepts: set[str], span: Span, message: str | None) -> Diagnostic:
        token = error.token
        keywords = sorted(_keyword_text(name) for name in accepts if _keyword_text(name))
        owner = f"`{chunk.owner(chunk.open_braces[-1])}`" if chunk.open_braces else None
        found = _describe(token)
        previous = self.previous(chunk, token)
        hint = f"expected {self.describe_expected(accepts)}"

        if message is not None:
            return DSL_SYNTAX.diagnostic(message, span, hint=hint)
        if token.type == "RBRACE" and "RBRACE" not in accepts:
            if not chunk.open_braces:
                return DSL_SYNTAX.diagnostic("this `}` closes no block", span, hint="remove it, or look for an extra `}` above it")
            statement = chunk.line_tokens(previous.line)[0] if previous is not None else None
            if statement is not None and statement is not previous and statement.value in _STATEMENT_FORMS:
                missing = "a value" if accepts & set(_VALUES) else self.describe_expected(accepts)
                return DSL_SYNTAX.diagnostic(
                    f"`{statement.value}` is not complete: {missing} is missing after `{previous.value}`",
                    _token_span(self.name, previous),
                    hint=f"write it as `{_STATEMENT_FORMS[statement.value]}`",
                )
            if previous is not None and accepts & set(_VALUES):
                return DSL_SYNTAX.diagnostic(
                    f"`{previous.value}` needs a value", _token_span(self.name, previous), hint=f"write its value after it: `{previous.value} <value>`"
                )
        if token.type == "WORD" and token.value.endswith((":", "=")) and token.value[:-1] in keywords:
            keyword, mark = token.value[:-1], token.value[-1]
            rest = self.source.line_text(token.line)[token.end_column - 1 :].split("#")[0].strip()
            return DSL_SYNTAX.diagnostic(
                f"`{token.value}` ends in `{mark}`, but a keyword and its value are separated by a space",
                span,
                hint=f"write `{keyword} {rest or '<value>'}`",
            )
        for mark in (previous, token):
            if mark is not None and mark.type == "WORD" and mark.value in (":", "=") and mark.line == token.line:
                return DSL_SYNTAX.diagnostic(
                    f"`{mark.value}` is not part of the DSL",
                    _token_span(self.name, mark),
                    hint=f"remove the `{mark.value}`: a keyword and its value are separated by a space",
                )
        if (keywords and token.type in _VALUES) or _keyword_text(token.type):
            return self.misplaced_word(token, span, accepts, keywords, owner, previous, found, hint)
        if accepts & set(_VALUES) and previous is not None:
            return DSL_SYNTAX.diagnostic(f"`{previous.value}` needs a value, found {found}", span, hint=hint)
        return DSL_SYNTAX.diagnostic(f"unexpected {found} in {owner or 'the policy'}", span, hint=hint)

    def misplaced_word(self, token, span, accepts, keywords, owner, previous, found, hint) -> Diagnostic:
        word = token.value
        if "WEEKDAYS" in accepts and token.type == "WORD" and (problem := _capitalised_days(word)) is not None:
            return DSL_SYNTAX.diagnostic(problem.message, span, hint=problem.hint)
        if "LBRACE" in accepts and _keyword_text(token.type) and word not in top_level_keywords():
            return DSL_SYNTAX.diagnostic(
                f"`{word}` belongs inside a block, but no `{{` opens one here",
                span,
                hint=f"open the block with `{{` at the end of the line above (`{previous.value if previous else ''} {{`), and close it with `}}`",
            )
        if previous is not None and previous.line == token.line and previous.type in _VALUES and token.type in _VALUES:
            if "COMMA" in accepts:
                return DSL_SYNTAX.diagnostic(f"unexpected `{word}`: list items are separated by commas", span, hint=f"write `{previous.value}, {word}`")
            return DSL_SYNTAX.diagnostic(
                f"unexpected `{word}` after `{previous.value}`: one value fits here",
                span,
                hint=f'text with spaces is quoted: `"{previous.value} {word}"`' if previous.type == "WORD" else hint,
            )
        top = owner is None
        close = difflib.get_close_matches(word, keywords, n=1, cutoff=0.6)
        if close:
            message = f"`{word}` does not start a definition" if top else f"`{word}` is not a statement of {owner}"
            return DSL_SYNTAX.diagnostic(message, span, hint=f"did you mean `{close[0]}`?")
        if keywords:
            if top:
                return DSL_SYNTAX.diagnostic(f"{found} does not start a definition", span, hint=f"a definition starts with {self.describe_expected(accepts - {'$END'})}")
            return DSL_SYNTAX.diagnostic(f"{found} does not belong in {owner}", span, hint=f"{owner} holds {self.describe_expected(accepts)}")
        return DSL_SYNTAX.diagnostic(f"unexpected {found} in {owner or 'the policy'}", span, hint=hint)

    def previous(self, chunk: _Chunk, token: Token) -> Token | None:
        before = [t for t in chunk.tokens if t is not token and (t.line, t.column) < (token.line, token.column)]
        return before[-1] if before else None

    def describe_expected(self, names: Iterable[str]) -> str:
        names = set(names)
        parts: list[str] = []
        if names & set(_VALUES) >= {"WORD", "STRING"}:
            parts.append("a value")
            names -= set(_VALUES)
        keywords = sorted(k for name in names if (k := _keyword_text(name)))
        parts += [f"`{k}`" for k in keywords]
        for name in sorted(names):
            if _keyword_text(name):
                continue
            if name in _TOKEN_WORDS:
                parts.append(_TOKEN_WORDS[name])
            else:
                try:
                    parts.append(f"`{self.parser.get_terminal(name).pattern.value}`")
                except KeyError:
                    continue
        if not parts:
            return "something else"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _shifts(state: ParserState, token_type: str) -> bool:
    """Whether the parser, in `state`, can take a token of this type (after the
    reductions it calls for); worked out on the state numbers alone, leaving `state`
    untouched."""
    table = state.parse_conf.states
    stack = list(state.state_stack)
    while True:
        action = table[stack[-1]].get(token_type)
        if action is None:
            return False
        kind, rule = action
        if kind is Shift:
            return True
        if rule.expansion:
            del stack[-len(rule.expansion) :]
        stack.append(table[stack[-1]][rule.origin.name][1])


def _acceptable(state: ParserState) -> set[str]:
    """The kinds of token the parser can take next."""
    names = {name for name in state.parse_conf.states[state.position] if name.isupper()}
    return {name for name in names if name == "$END" or _shifts(state, name)}


@lru_cache(maxsize=1)
def _keyword_types() -> dict[str, str]:
    """Keyword terminals that are also valid words, by terminal name."""
    word = re.compile(parser().get_terminal("WORD").pattern.value)
    return {
        terminal.name: terminal.pattern.value
        for terminal in parser().terminals
        if terminal.pattern.type == "str" and word.fullmatch(terminal.pattern.value)
    }


def _contextual(token: Token, state: ParserState) -> Token:
    """Keywords are reserved only where a statement or clause can start: elsewhere
    `closed` or `default` is a plain word (`override 2026-12-31 closed`).

    The contextual lexer cannot always tell, because after a value the parser may still
    have reductions to make; the parse table can."""
    if token.type in _keyword_types() and not _shifts(state, token.type) and _shifts(state, "WORD"):
        return Token.new_borrow_pos("WORD", token.value, token)
    return token


# What ends a word, as in the grammar's `WORD` and `_END`.
_DELIMITERS = r'\s{}(),#"'
_WORD_CHARACTER = re.compile(f"[^{_DELIMITERS}]")
_WORD = re.compile(f"[^{_DELIMITERS}]+")


def reads_as_one_value(text: str) -> bool:
    """Whether `text`, written unquoted where a value belongs, reads back as one value
    with this very text: a word, or a literal such as `4 business hours`."""
    if _WORD.fullmatch(text):
        return True
    return any(_literal_patterns()[name].fullmatch(text) for name in _VALUES if name not in ("WORD", "STRING"))


@lru_cache(maxsize=1)
def _literal_patterns() -> dict[str, re.Pattern]:
    return {terminal.name: re.compile(terminal.pattern.to_regexp()) for terminal in parser().terminals}


def _whole_word(text: str, token: Token) -> Token:
    """The word a keyword token is the start of, as a token of its own."""
    word = _WORD.match(text, token.start_pos).group()
    return Token("WORD", word, token.start_pos, token.line, token.column, token.line, token.column + len(word), token.start_pos + len(word))


def _describe(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "STRING":
        return f"the text {token.value}"
    return f"`{token.value}`"


def _capitalised_days(word: str) -> literals.LiteralError | None:
    """What the literal parser says of days written with capitals (`Mon-Fri`)."""
    try:
        literals.parse_weekdays(word.lower())
    except literals.LiteralError:
        return None  # not days at all, whatever the case
    try:
        literals.parse_weekdays(word)
    except literals.LiteralError as problem:
        return problem
    return None


# Mistakes recognised by the parser state they leave it in (lark's `match_examples`).
_HEADER_MISTAKES = {
    "missing-header": [
        'organisation "Acme" {}',
        "calendar office {}",
        "sla {}",
        '"Acme"',
    ],
}


def _blank_before(text: str, offset: int) -> str:
    """The text with everything before `offset` blanked out, lines and columns kept, so
    that parsing can resume at `offset` and still report true positions."""
    head = re.sub(r"[^\n]", " ", text[:offset])
    return head + text[offset:]


# --- lowering to the positioned tree --------------------------------------------------

# DSL words are not YAML plain scalars: no YAML 1.1 reading applies to them.
_BARE = "dsl"
# The style of the key of a mapping or list the DSL spreads over several statements
# (the `calendars` of all `calendar` definitions, a calendar's weekday lines, a rule's
# conditions): the author wrote no such key, so no comment is about it.
SPREAD = "dsl-spread"

# The keyword of a definition of each section: `calendar office` is in `calendars`.
DEFINITION_KEYWORDS = {
    "calendars": "calendar",
    "channels": "channel",
    "priorities": "priority",
    "tiers": "tier",
    "teams": "team",
    "queues": "queue",
    "roles": "role",
    "intents": "intent",
    "data_classes": "data_class",
    "segments": "segment",
    "escalation": "escalation",
    "exclusions": "exclusion",
}
# Sections whose definitions may leave out their kind when the id is one: `channel
# email` is `email: {kind: email}`.
IMPLICIT_KINDS = {
    "channels": frozenset(kind.value for kind in ir.ChannelKind),
    "exclusions": frozenset(kind.value for kind in ir.ExclusionKind),
}


def _what(key: str) -> str:
    """How one definition of a section is named in messages: `data class`."""
    special = {"escalation": "escalation ladder", "parties": "party"}
    return special.get(key) or DEFINITION_KEYWORDS.get(key, key).replace("_", " ")


# The conditions of a routing rule, written in its block and kept under `when`.
_WHEN_KEYS = ("tiers", "priorities", "channels", "intents", "segments", "languages", "data_classes", "open", "closed")


@dataclass
class _Stmt:
    """One statement, ready to be put into the mapping of its block.

    `one`: the key takes this value once; `list`: each statement adds an item to the
    list under the key (`override`, `level`, `band`); `map`: each statement adds an
    entry named `name` to the mapping under the key (definitions, weekday lines);
    `spread`: like `one`, for a mapping whose entries the author wrote without its key
    (a rule's conditions, which YAML keeps under `when`).
    """

    key: str
    key_span: Span
    node: YNode
    mode: str = "one"
    name: YScalar | None = None


def _lowers_definition(section: str):
    def lower(self, meta, children):
        return self._definition(section, meta, children)

    return lower


@v_args(meta=True)
class _Lowering(Transformer):
    def __init__(self, source: Source):
        super().__init__()
        self.file = source.name
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    # --- small helpers --------------------------------------------------------------

    def _span(self, meta) -> Span:
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _keyword_span(self, meta, keyword: str) -> Span:
        return Span(self.file, meta.line, meta.column, meta.line, meta.column + len(keyword))

    def _scalar(self, token: Token) -> YScalar:
        span = _token_span(self.file, token)
        if token.type == "STRING":
            text = self._unquote(token, span)
            return YScalar(span, text, text, '"')
        return YScalar(span, token.value, token.value, _BARE)

    def _unquote(self, token: Token, span: Span) -> str:
        """The text of a quoted value; its escapes are JSON's."""
        try:
            text = json.loads(token.value, strict=False)
        except json.JSONDecodeError as problem:
            column = span.column + problem.pos
            escape = token.value[problem.pos : problem.pos + 2]
            self.diagnostics.append(
                UNCLOSED_TEXT.diagnostic(
                    f"`{escape}` is not an escape the DSL knows",
                    Span(self.file, span.line, column, span.line, column + len(escape)),
                    hint='inside quoted text write `\\"` for a quote, `\\\\` for a backslash, `\\n` for a new line, `\\u00e9` for any character',
                )
            )
            return token.value[1:-1]
        if half := re.search("[\ud800-\udfff]", text):
            self.diagnostics.append(
                UNCLOSED_TEXT.diagnostic(
                    f"the escape `\\u{ord(half.group()):04x}` is half of a UTF-16 surrogate pair, not a character",
                    span,
                    hint="write the character itself, or both halves of the pair, such as `\\ud83d\\ude00`",
                )
            )
        return text

    def _stmt(self, key: str, node: YNode, key_span: Span | None = None, mode: str = "one", name: YScalar | None = None) -> _Stmt:
        return _Stmt(key, key_span or node.span, node, mode, name)

    def _assemble(self, stmts: Iterable[_Stmt], span: Span, owner: str) -> YMap:
        """The mapping of a block, reporting what it defines twice."""
        block = YMap(span, [])
        first: dict[str, _Stmt] = {}
        for stmt in stmts:
            earlier = first.get(stmt.key)
            if earlier is None:
                first[stmt.key] = stmt
                key = YScalar(stmt.key_span, stmt.key, stmt.key, _BARE if stmt.mode == "one" else SPREAD)
                if stmt.mode == "list":
                    block.entries.append((key, YSeq(stmt.node.span, [stmt.node])))
                elif stmt.mode == "map":
                    block.entries.append((key, YMap(stmt.node.span, [(stmt.name, stmt.node)])))
                else:  # `one`, or `spread`: a mapping written without its key
                    block.entries.append((key, stmt.node))
                continue
            value = block.get(stmt.key)
            if stmt.mode == earlier.mode == "list" and isinstance(value, YSeq):
                value.items.append(stmt.node)
                value.span = Span.covering(value.span, stmt.node.span)
            elif stmt.mode == earlier.mode == "map" and isinstance(value, YMap):
                self._add_named(value, stmt, owner)
            else:
                self._twice(stmt, earlier, owner)
        return block

    def _add_named(self, mapping: YMap, stmt: _Stmt, owner: str) -> None:
        name = stmt.name
        assert name is not None
        existing = mapping.key_node(name.value)
        if existing is not None:
            if stmt.key == "hours":
                message = f"the hours for `{name.value}` are given twice in {owner}"
                what = f"`{name.value}`"
            else:
                what = f"{_what(stmt.key)} `{name.value}`"
                message = f"{what} is defined twice"
            self.diagnostics.append(
                DUPLICATE_DEFINITION.diagnostic(
                    message,
                    name.span,
                    hint="remove one of the two, or merge them into one",
                    related=[Related(existing.span, f"{what} first defined here")],
                )
            )
            return
        mapping.entries.append((name, stmt.node))
        mapping.span = Span.covering(mapping.span, stmt.node.span)

    def _twice(self, stmt: _Stmt, earlier: _Stmt, owner: str) -> None:
        if stmt.key == "hours":
            message = f"{owner} gives its hours both as `24x7` and by weekday"
            hint = "keep `24x7` for a calendar that is always open, or the weekday lines for one that is not"
            first = "hours first given here"
        else:
            message = f"`{stmt.key}` is given twice in {owner}"
            hint = "remove one of the two"
            first = f"`{stmt.key}` first given here"
        self.diagnostics.append(DUPLICATE_DEFINITION.diagnostic(message, stmt.key_span, hint=hint, related=[Related(earlier.key_span, first)]))

    # --- values ---------------------------------------------------------------------

    def value(self, meta, children) -> YScalar:
        return self._scalar(children[0])

    def text(self, meta, children) -> YScalar:
        if len(children) == 1:
            return self._scalar(children[0])
        pieces = [self._scalar(token) for token in children]
        first, last = pieces[0].span, pieces[-1].span
        joined = "".join(piece.value for piece in pieces)
        return YScalar(Span(self.file, first.line, first.column, last.end_line, last.end_column), joined, joined, '"')

    def integer(self, meta, children) -> YScalar:
        scalar = children[0]
        if scalar.style == _BARE and re.fullmatch(r"[0-9]+", scalar.text):
            return YScalar(scalar.span, int(scalar.text), scalar.text, _BARE)
        return scalar

    def values(self, meta, children) -> YSeq:
        return YSeq(self._span(meta), list(children))

    def windows(self, meta, children) -> YNode:
        scalars = [self._scalar(token) for token in children]
        return scalars[0] if len(scalars) == 1 else YSeq(self._span(meta), scalars)

    # --- statements -----------------------------------------------------------------

    def field(self, meta, children) -> _Stmt:
        keyword, node = children
        return self._stmt(keyword.value, node, _token_span(self.file, keyword))

    target_field = field

    def list_field(self, meta, children) -> _Stmt:
        keyword, values = children
        span = _token_span(self.file, keyword)
        return self._stmt(keyword.value, values if values is not None else YSeq(span, []), span)

    def flag(self, meta, children) -> _Stmt:
        keyword = children[0]
        span = _token_span(self.file, keyword)
        return self._stmt(keyword.value, YScalar(span, True, keyword.value, _BARE), span)

    def target(self, meta, children) -> YNode:
        duration, options = children
        if options is None:
            return duration
        return self._assemble([self._stmt("target", duration), *options], self._span(meta), "the target")

    def target_options(self, meta, children) -> list[_Stmt]:
        return list(children)

    def kind(self, meta, children) -> _Stmt:
        return self._stmt("kind", children[0], self._keyword_span(meta, "is"))

    def header(self, meta, children) -> _Stmt:
        return self._stmt("policyc", children[0], self._keyword_span(meta, "policyc"))

    def start(self, meta, children) -> YMap:
        return self._root(children)

    def items(self, meta, children) -> YMap:
        return self._root(children)

    def _root(self, children) -> YMap:
        lines = self.source.lines or [""]
        span = Span(self.file, 1, 1, len(lines), len(lines[-1]) + 1)
        return self._assemble(children, span, "the policy")

    # --- organisation ---------------------------------------------------------------

    def organisation(self, meta, children) -> _Stmt:
        name, *stmts = children
        body = self._assemble([self._stmt("name", name), *stmts], self._span(meta), "the organisation")
        return self._stmt("organisation", body, self._keyword_span(meta, "organisation"))

    def contract(self, meta, children) -> _Stmt:
        return self._stmt("contract", self._assemble(children, self._span(meta), "the contract"), self._keyword_span(meta, "contract"))

    def party(self, meta, children) -> _Stmt:
        role, name = children
        return self._stmt("parties", name, self._keyword_span(meta, "party"), "map", self._scalar(role))

    def horizon(self, meta, children) -> _Stmt:
        start, end = children
        body = self._assemble([self._stmt("start", start), self._stmt("end", end)], self._span(meta), "the horizon")
        return self._stmt("horizon", body, self._keyword_span(meta, "horizon"))

    def defaults(self, meta, children) -> _Stmt:
        return self._stmt("defaults", self._assemble(children, self._span(meta), "the defaults"), self._keyword_span(meta, "defaults"))

    # --- definitions ----------------------------------------------------------------

    def _definition(self, section: str, meta, children) -> _Stmt:
        id_token, *rest = children
        id = self._scalar(id_token)
        what = _what(section)
        header: list[_Stmt] = []
        if section in IMPLICIT_KINDS:
            kind, *rest = rest
            if kind is None and id.value in IMPLICIT_KINDS[section]:
                kind = self._stmt("kind", YScalar(id.span, id.value, id.text, _BARE))
            if kind is not None:
                header.append(kind)
        if section != "exclusions":
            name, *rest = rest
            if name is not None:
                header.append(self._stmt("name", self._scalar(name)))
        body = self._assemble([*header, *rest], self._span(meta), f"{what} `{id.value}`")
        return self._stmt(section, body, self._keyword_span(meta, DEFINITION_KEYWORDS[section]), "map", id)

    calendar = _lowers_definition("calendars")
    channel = _lowers_definition("channels")
    priority = _lowers_definition("priorities")
    tier = _lowers_definition("tiers")
    team = _lowers_definition("teams")
    queue = _lowers_definition("queues")
    role = _lowers_definition("roles")
    intent = _lowers_definition("intents")
    data_class = _lowers_definition("data_classes")
    segment = _lowers_definition("segments")
    escalation = _lowers_definition("escalation")
    exclusion = _lowers_definition("exclusions")

    # --- calendars --------------------------------------------------------------------

    def hours(self, meta, children) -> _Stmt:
        days, windows = children
        name = self._scalar(days)
        return self._stmt("hours", windows, name.span, "map", name)

    def always_open(self, meta, children) -> _Stmt:
        span = self._span(meta)
        return self._stmt("hours", YScalar(span, "24x7", "24x7", _BARE), span)

    def holidays(self, meta, children) -> _Stmt:
        country, *clauses = children
        body = self._assemble([self._stmt("country", country), *clauses], self._span(meta), "the holidays")
        return self._stmt("holidays", body, self._keyword_span(meta, "holidays"))

    def override(self, meta, children) -> _Stmt:
        date, windows, reason, *suppressions = children
        stmts = [self._stmt("date", date), self._stmt("hours", windows)]
        if reason is not None:
            stmts.append(self._stmt("reason", self._scalar(reason)))
        body = self._assemble([*stmts, *suppressions], self._span(meta), "the override")
        return self._stmt("overrides", body, self._keyword_span(meta, "override"), "list")

    def season(self, meta, children) -> _Stmt:
        name, first, last, *hours = children
        stmts = [self._stmt("name", name), self._stmt("from", first), self._stmt("to", last), *hours]
        body = self._assemble(stmts, self._span(meta), f"season `{name.value}`")
        return self._stmt("seasons", body, self._keyword_span(meta, "season"), "list")

    # --- SLA and escalation -------------------------------------------------------------

    def sla(self, meta, children) -> _Stmt:
        id_token, *stmts = children
        header = [self._stmt("id", self._scalar(id_token))] if id_token is not None else []
        owner = f"SLA entry `{id_token.value}`" if id_token is not None else "this SLA entry"
        body = self._assemble([*header, *stmts], self._span(meta), owner)
        return self._stmt("sla", body, self._keyword_span(meta, "sla"), "list")

    def level(self, meta, children) -> _Stmt:
        name, *stmts = children
        body = self._assemble([self._stmt("name", name), *stmts], self._span(meta), f"level `{name.value}`")
        return self._stmt("levels", body, self._keyword_span(meta, "level"), "list")

    def before_breach(self, meta, children) -> _Stmt:
        metric, margin = children
        body = self._assemble([self._stmt("metric", metric), self._stmt("margin", margin)], self._span(meta), "`before_breach`")
        return self._stmt("before_breach", body, self._keyword_span(meta, "before_breach"))

    def notify(self, meta, children) -> _Stmt:
        role, within = children
        body = self._assemble([self._stmt("role", role), self._stmt("within", within)], self._span(meta), "the notification")
        return self._stmt("notify", body, self._keyword_span(meta, "notify"), "list")

    # --- routing ----------------------------------------------------------------------

    def routing(self, meta, children) -> _Stmt:
        return self._stmt("routing", self._assemble(children, self._span(meta), "routing"), self._keyword_span(meta, "routing"))

    def rule(self, meta, children) -> _Stmt:
        id_token, *stmts = children
        id = self._scalar(id_token)
        owner = f"routing rule `{id.value}`"
        conditions = [s for s in stmts if s.key in _WHEN_KEYS]
        others = [s for s in stmts if s.key not in _WHEN_KEYS]
        if conditions:
            when = self._assemble(conditions, Span.covering(conditions[0].key_span, conditions[-1].node.span), owner)
            others.append(self._stmt("when", when, conditions[0].key_span, "spread"))
        body = self._assemble([self._stmt("id", id), *others], self._span(meta), owner)
        return self._stmt("rules", body, self._keyword_span(meta, "rule"), "list")

    # --- commercial -------------------------------------------------------------------

    def credits(self, meta, children) -> _Stmt:
        return self._stmt("credits", self._assemble(children, self._span(meta), "credits"), self._keyword_span(meta, "credits"))

    def band(self, meta, children) -> _Stmt:
        return self._stmt("bands", self._assemble(children, self._span(meta), "the band"), self._keyword_span(meta, "band"), "list")

    def repeated_breach(self, meta, children) -> _Stmt:
        body = self._assemble(children, self._span(meta), "`repeated_breach`")
        return self._stmt("repeated_breach", body, self._keyword_span(meta, "repeated_breach"))

    def refunds(self, meta, children) -> _Stmt:
        return self._stmt("refunds", self._assemble(children, self._span(meta), "refunds"), self._keyword_span(meta, "refunds"))

    def approval(self, meta, children) -> _Stmt:
        body = self._assemble(children, self._span(meta), "the approval")
        return self._stmt("approvals", body, self._keyword_span(meta, "approval"), "list")

    # --- suppressions ------------------------------------------------------------------

    def suppress(self, meta, children) -> _Stmt:
        code, reason = children
        body = self._assemble([self._stmt("code", code), self._stmt("reason", reason)], self._span(meta), "the suppression")
        return self._stmt("suppress", body, self._keyword_span(meta, "suppress"), "list")

