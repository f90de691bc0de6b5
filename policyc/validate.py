"""Schema validation of a YAML policy, with every error placed on the text that caused it.

`schemas/policy.schema.json` is the single description of the YAML language: editors
use it for autocomplete, and this module uses it to report *all* structural errors at
once. The typed literals (durations, money, windows...) are checked by the literal
parsers through JSON Schema `format`, so the checker and the compiler read them the
same way. Messages speak of the policy's keys and values, never of the schema.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable

from policyc import literals
from policyc.checks.units import WRONG_UNIT
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.frontend.yaml_loader import YMap, YNode, YScalar, YSeq, path_text, to_plain, yaml11_reading
from policyc.span import Span

UNKNOWN_KEY = define(
    "PC101",
    "unknown-key",
    Severity.ERROR,
    "A key the policy language does not have.",
    what="""
        Reports a key that is not part of the section it is written in, with the
        closest known key when there is one.
    """,
    why="""
        A misspelt key (`calender:` for `calendar:`) would otherwise be ignored, and
        the setting it was meant to change would silently keep its default.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: Acme
          currency: USD
          timezone: Europe/London
          time_zone: Europe/Paris
    """,
    example_pass="""
        policyc: 1
        organisation:
          name: Acme
          currency: USD
          timezone: Europe/Paris
    """,
)

MISSING_KEY = define(
    "PC102",
    "missing-key",
    Severity.ERROR,
    "A required key is missing.",
    what="""
        Reports a section that lacks a key it cannot do without: a calendar without
        `timezone`, a queue without `team`.
    """,
    why="""
        policyc does not guess what was left out. The hint says what the key means and
        gives an example.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: Acme
          currency: USD
    """,
    example_pass=example_policy(),
)

WRONG_TYPE = define(
    "PC103",
    "wrong-type",
    Severity.ERROR,
    "A value of the wrong type: a list where text belongs, text where a mapping belongs.",
    what="""
        Reports a value whose shape does not fit its key: a list where a single value
        is expected, a mapping where a list is expected, text where `true` or `false`
        is expected.
    """,
    why="""
        The policy cannot mean what the value says. The message names the expected
        shape and what was found.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: [Acme]
          currency: USD
          timezone: Europe/London
    """,
    example_pass=example_policy(),
)

INVALID_VALUE = define(
    "PC104",
    "invalid-value",
    Severity.ERROR,
    "A value that is not one of those allowed, or not well formed.",
    what="""
        Reports a value outside the allowed set (a channel `kind` that does not exist,
        a business-day mode that is not `same-time` or `end-of-day`), a malformed
        literal (`4 hourz`, `2026-13-01`), a name that is not a valid identifier, a
        list that repeats an item, or a credit or refund band with two bounds on the
        same side (`at_least` and `above`).
    """,
    why="""
        A value policyc cannot read would otherwise be dropped or misread. The hint
        gives the accepted spellings, or the closest one.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        channels:
          email:
            kind: emial
            calendar: office
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        channels:
          email:
            kind: email
            calendar: office
        """
    ),
)

YAML11_VALUE = define(
    "PC105",
    "yaml-1.1-value",
    Severity.ERROR,
    "A value that older YAML tools read as a boolean or number.",
    what="""
        Reports a plain value such as `yes`, `NO`, `on` or `9:30` where policyc expects
        `true`/`false` or a number. policyc reads YAML 1.2, where these are text; many
        YAML 1.1 tools read `NO` as false and `9:30` as the number 570.
    """,
    why="""
        The same file must mean the same thing to every tool that reads it. Writing
        `true`/`false` and plain numbers removes the ambiguity.
    """,
    example_fail=example_policy(
        """
        channels:
          help_centre:
            kind: kb
            self_service: yes
        """
    ),
    example_pass=example_policy(
        """
        channels:
          help_centre:
            kind: kb
            self_service: true
        """
    ),
)


@lru_cache(maxsize=1)
def policy_schema() -> dict[str, Any]:
    text = resources.files("policyc.schemas").joinpath("policy.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    for name, check in _FORMAT_CHECKS.items():
        checker.checks(name, raises=literals.LiteralError)(check)
    return jsonschema.Draft202012Validator(policy_schema(), format_checker=checker)


def _literal(parse):
    def check(value: Any) -> bool:
        if isinstance(value, str):
            parse(value)
        return True

    return check


def _target(text: str) -> None:
    if literals.is_range(text):
        literals.parse_duration_range(text, None)
    else:
        literals.parse_duration(text)


def _currency(code: str) -> None:
    if not literals.is_currency(code):
        raise literals.LiteralError(f"`{code}` is not an ISO 4217 currency code", hint="write a code such as USD, EUR or GBP")


_FORMAT_CHECKS = {
    "policyc-duration": _literal(literals.parse_duration),
    "policyc-target": _literal(_target),
    "policyc-money": _literal(literals.parse_money),
    "policyc-price": _literal(literals.parse_price),
    "policyc-percentage": _literal(literals.parse_percentage),
    "policyc-percentage-range": _literal(literals.parse_percentage_range),
    "policyc-date": _literal(literals.parse_date),
    "policyc-window": _literal(literals.parse_window),
    "policyc-weekdays": _literal(literals.parse_weekdays),
    "policyc-currency": _literal(_currency),
}


def yaml_key_syntax(name: str, example: Any | None) -> str:
    """How a key is written in YAML, for hints: `timezone: Europe/London`."""
    return f"`{name}: {example}`" if example is not None else f"`{name}:`"


def validate(root: YNode, key_syntax: Callable[[str, Any | None], str] = yaml_key_syntax) -> list[Diagnostic]:
    """Every schema error in the document, each on its own span. `key_syntax` writes a
    key (with an example value) the way the policy's language does, for hints."""
    instance = to_plain(root)
    diagnostics: list[Diagnostic] = []
    for error in _validator().iter_errors(instance):
        diagnostics.extend(_Explainer(root, key_syntax).explain(error))
    # A mapping missing two keys gives one schema error per key, and each is explained
    # by naming every missing key: report each once.
    return list(dict.fromkeys(diagnostics))


# --- turning schema errors into policy diagnostics -----------------------------------


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, str):
        return f"the text `{value}`"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_TYPE_WORDS = {
    "boolean": "`true` or `false`",
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "object": "a mapping of keys to values",
    "array": "a list",
    "null": "nothing",
}


def _expected_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return " or ".join(_TYPE_WORDS.get(k, str(k)) for k in kinds if k)


def _did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class _Explainer:
    def __init__(self, root: YNode, key_syntax: Callable[[str, Any | None], str] = yaml_key_syntax):
        self.root = root
        self.key_syntax = key_syntax

    def node(self, path: Iterable[Any]) -> YNode | None:
        node: YNode | None = self.root
        for part in path:
            if isinstance(node, YMap):
                node = node.get(part)
            elif isinstance(node, YSeq) and isinstance(part, int) and part < len(node.items):
                node = node.items[part]
            else:
                return node
        return node

    def span(self, path: Iterable[Any]) -> Span:
        node = self.node(path)
        return node.span if node is not None else self.root.span

    def key_span(self, path: list[Any]) -> Span:
        """The span of the key that introduces the value at `path`, else the value's."""
        if path:
            parent = self.node(path[:-1])
            if isinstance(parent, YMap):
                key = parent.key_node(path[-1])
                if key is not None:
                    return key.span
        return self.span(path)

    def explain(self, error) -> list[Diagnostic]:
        path = list(error.absolute_path)
        where = path_text(path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        kind = error.validator

        if "propertyNames" in error.absolute_schema_path:
            return self.explain_key_name(error, path)
        if kind == "additionalProperties":
            return self.explain_unknown_keys(error, path)
        if kind == "required":
            return self.explain_missing(error, path)
        if kind in ("oneOf", "anyOf"):
            return self.explain_alternatives(error, path)
        if kind == "not" and set(error.validator_value) == {"required"}:
            return [self.explain_exclusive(error, path)]
        if kind == "format":
            return [self.explain_literal(error, path)]
        if kind == "pattern" and str(schema.get("format", "")).startswith("policyc-"):
            return []  # the format check reports the same value with a precise message
        if kind == "type":
            return [self.explain_type(error, path, schema)]
        if kind in ("enum", "const"):
            return [self.explain_choice(error, path, schema)]
        return [self.explain_constraint(error, path, where, schema)]

    def explain_key_name(self, error, path: list[Any]) -> list[Diagnostic]:
        name = error.instance
        parent = self.node(path)
        span = self.span(path)
        if isinstance(parent, YMap) and (key := parent.key_node(name)) is not None:
            span = key.span
        where = path_text(path)
        if error.validator == "format" and isinstance(error.cause, literals.LiteralError):
            return [INVALID_VALUE.diagnostic(f"`{where}`: {error.cause.message}", span, hint=error.cause.hint)]
        if error.validator == "pattern" and str(error.schema.get("format", "")).startswith("policyc-"):
            return []
        return [
            INVALID_VALUE.diagnostic(
                f"`{name}` is not a valid name in `{where}`",
                span,
                hint="names use letters, digits, `_` and `-`, and start with a letter (e.g. `business_hours`)",
            )
        ]

    def explain_unknown_keys(self, error, path: list[Any]) -> list[Diagnostic]:
        node = self.node(path)
        allowed = list(error.schema.get("properties", {}))
        known = set(allowed)
        where = path_text(path)
        diagnostics = []
        if not isinstance(node, YMap):
            return diagnostics
        for key, _ in node.entries:
            if key.value in known:
                continue
            suggestion = _did_you_mean(key.value, allowed)
            hint = f"did you mean `{suggestion}`?" if suggestion else f"the keys allowed here are: {', '.join(allowed)}"
            message = f"`{key.value}` is not a key of `{where}`" if path else f"`{key.value}` is not a section of a policy"
            diagnostics.append(UNKNOWN_KEY.diagnostic(message, key.span, hint=hint))
        return diagnostics

    def explain_missing(self, error, path: list[Any]) -> list[Diagnostic]:
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        where = path_text(path)
        diagnostics = []
        for name in missing:
            described = error.schema.get("properties", {}).get(name, {})
            hint = f"add {self.key_syntax(name, None)}"
            if "description" in described:
                hint += f" ({described['description'].rstrip('.')})"
            examples = described.get("examples")
            if examples and not isinstance(examples[0], (dict, list)):
                hint += f", e.g. {self.key_syntax(name, examples[0])}"
            subject = f"`{where}`" if path else "the policy"
            diagnostics.append(MISSING_KEY.diagnostic(f"{subject} is missing `{name}`", self.key_span(path), hint=hint))
        return diagnostics

    def explain_alternatives(self, error, path: list[Any]) -> list[Diagnostic]:
        branches = error.schema.get(error.validator, [])
        if branches and all(set(b) <= {"required", "title", "description"} for b in branches):
            names = [b["required"][0] for b in branches]
            present = [n for n in names if isinstance(error.instance, dict) and n in error.instance]
            where = path_text(path)
            if not present:
                message = f"`{where}` needs one of: {', '.join(f'`{n}`' for n in names)}"
            else:
                message = f"`{where}` has {', '.join(f'`{n}`' for n in present)}: give only one of {', '.join(f'`{n}`' for n in names)}"
            return [MISSING_KEY.diagnostic(message, self.key_span(path), hint=error.schema.get("description"))]

        by_branch: dict[int, list] = {}
        for sub in error.context or []:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        # Keep the branches whose shape fits the value: their errors are the real ones.
        fitting = [
            errors
            for errors in by_branch.values()
            if not any(e.validator in ("type", "const") and list(e.absolute_path) == path for e in errors)
        ]
        if len(fitting) == 1:
            diagnostics: list[Diagnostic] = []
            for sub in fitting[0]:
                diagnostics.extend(self.explain(sub))
            return diagnostics
        title = error.schema.get("title", "a value")
        description = error.schema.get("description", "")
        examples = error.schema.get("examples", [])
        hint = description
        simple = [e for e in examples if isinstance(e, str)]
        if simple:
            hint = f"{description} For example `{simple[0]}`."
        return [
            WRONG_TYPE.diagnostic(
                f"`{path_text(path)}` should be {title[0].lower() + title[1:]}, not {_describe(error.instance)}",
                self.span(path),
                hint=hint,
            )
        ]

    def explain_exclusive(self, error, path: list[Any]) -> Diagnostic:
        """Keys that must not be given together, such as two lower bounds of one band:
        reported at the later one, with a note at the earlier."""
        names = error.validator_value["required"]
        node = self.node(path)
        keys = sorted((k for name in names if isinstance(node, YMap) and (k := node.key_node(name))), key=lambda k: k.span)
        given = " and ".join(f"`{name}`" for name in names)
        return INVALID_VALUE.diagnostic(
            f"`{path_text(path)}` gives both {given}: give only one",
            keys[-1].span if keys else self.span(path),
            hint=error.schema.get("description"),
            related=[Related(k.span, f"`{k.value}` given here") for k in keys[:-1]],
        )

    def explain_literal(self, error, path: list[Any]) -> Diagnostic:
        cause = error.cause
        if isinstance(cause, literals.LiteralError):
            rule = WRONG_UNIT if cause.wrong_kind else INVALID_VALUE
            return rule.diagnostic(f"`{path_text(path)}`: {cause.message}", self.span(path), hint=cause.hint)
        return INVALID_VALUE.diagnostic(f"`{path_text(path)}`: {error.message}", self.span(path))

    def explain_type(self, error, path: list[Any], schema: dict[str, Any]) -> Diagnostic:
        node = self.node(path)
        expected = _expected_type(schema)
        where = path_text(path)
        if isinstance(node, YScalar) and node.plain and isinstance(node.value, str):
            reading = yaml11_reading(node.text)
            if reading is not None and schema.get("type") in ("boolean", "integer", "number"):
                fix = "`true` or `false`" if schema.get("type") == "boolean" else "a plain number"
                return YAML11_VALUE.diagnostic(
                    f"`{where}` should be {expected}; `{node.text}` is text in YAML 1.2 but {reading} in YAML 1.1",
                    node.span,
                    hint=f"write {fix}, so every YAML tool reads the same value",
                )
        hint = None
        title = schema.get("title")
        if title and schema.get("description"):
            hint = f"{title}: {schema['description']}"
        if schema.get("type") == "string" and isinstance(node, YScalar) and node.plain and node.value is not None:
            # `version: 2026.1` or `name: 1234`: YAML read a number (or true/false).
            quoted = f'"{node.text}"' if not path or isinstance(path[-1], int) else f'{path[-1]}: "{node.text}"'
            hint = f"quote it to keep it as text: `{quoted}`"
        return WRONG_TYPE.diagnostic(f"`{where}` should be {expected}, not {_describe(error.instance)}", self.span(path), hint=hint)

    def explain_choice(self, error, path: list[Any], schema: dict[str, Any]) -> Diagnostic:
        allowed = schema.get("enum", [schema.get("const")])
        where = path_text(path)
        value = error.instance
        choices = ", ".join(f"`{a}`" for a in allowed)
        suggestion = _did_you_mean(value, [str(a) for a in allowed]) if isinstance(value, str) else None
        hint = f"did you mean `{suggestion}`?" if suggestion else f"use one of: {choices}"
        if len(allowed) == 1:
            return INVALID_VALUE.diagnostic(f"`{where}` must be `{allowed[0]}`, not {_describe(value)}", self.span(path), hint=schema.get("description"))
        return INVALID_VALUE.diagnostic(f"`{where}`: {_describe(value)} is not one of {choices}", self.span(path), hint=hint)

    def explain_constraint(self, error, path: list[Any], where: str, schema: dict[str, Any]) -> Diagnostic:
        kind, limit = error.validator, error.validator_value
        span = self.span(path)
        if kind == "minItems":
            return INVALID_VALUE.diagnostic(f"`{where}` needs at least {limit} item{'s' if limit != 1 else ''}", span, hint=schema.get("description"))
        if kind == "minProperties":
            return INVALID_VALUE.diagnostic(f"`{where}` needs at least {limit} entr{'ies' if limit != 1 else 'y'}", span, hint=schema.get("description"))
        if kind == "minLength":
            return INVALID_VALUE.diagnostic(f"`{where}` must not be empty", span, hint=schema.get("description"))
        if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            words = {"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most", "exclusiveMaximum": "less than"}[kind]
            return INVALID_VALUE.diagnostic(f"`{where}` must be {words} {limit}, not {error.instance}", span, hint=schema.get("description"))
        if kind == "uniqueItems":
            seen, repeated = set(), None
            for item in error.instance:
                marker = json.dumps(item, sort_keys=True)
                if marker in seen:
                    repeated = item
                    break
                seen.add(marker)
            node = self.node(path)
            if isinstance(node, YSeq):
                for index, item in enumerate(error.instance):
                    if item == repeated and index > list(error.instance).index(repeated):
                        span = node.items[index].span
                        break
            return INVALID_VALUE.diagnostic(f"`{where}` lists `{repeated}` twice", span, hint="remove the repeated item")
        if kind == "pattern":
            title = schema.get("title", "value")
            return INVALID_VALUE.diagnostic(
                f"`{where}`: {_describe(error.instance)} is not a valid {title.lower()}",
                span,
                hint=schema.get("description"),
            )
        return INVALID_VALUE.diagnostic(f"`{where}`: {error.message}", span, hint=schema.get("description"))
