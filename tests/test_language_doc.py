"""docs/language.md cannot fall behind the language.

- Every key of `schemas/policy.schema.json`, at any depth, is documented (as `key` in a
  heading or a table row).
- Every value in its tables of literals reads (or is refused) as the table says.
- Every YAML example checks clean, or raises exactly the codes its `# error:` line
  names, with the report shown after it.
- Its claims about YAML 1.1 hold for PyYAML, and its SLA lookup table is what
  `policyc.match` answers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Iterator

import pytest
import yaml
from conftest import ROOT
from doc_pages import code_spans, fenced_blocks, prose, tables

from policyc import literals
from policyc.diagnostics.reference import run_example
from policyc.frontend.yaml_loader import parse_yaml, to_plain
from policyc.span import Source

DOC = ROOT / "docs" / "language.md"
TEXT = DOC.read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))


# --- every key of the schema is documented --------------------------------------


def property_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield name
            yield from property_names(value)
        for key, value in node.items():
            if key != "properties":
                yield from property_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from property_names(item)


def documented_names() -> set[str]:
    names: set[str] = set()
    for line in prose(TEXT).split("\n"):
        if line.startswith("#") or line.startswith("|"):
            names.update(code_spans(line))
    return names


SCHEMA_KEYS = sorted(set(property_names(SCHEMA)))


def test_schema_walk_finds_keys_at_every_depth():
    assert {"policyc", "organisation", "effective_date", "except", "margin", "within", "bound", "goal"} <= set(SCHEMA_KEYS)


@pytest.mark.parametrize("key", SCHEMA_KEYS)
def test_every_schema_key_is_documented(key):
    assert key in documented_names(), f"docs/language.md does not document `{key}` in a heading or a table"


@pytest.mark.parametrize("section", list(SCHEMA["properties"]))
def test_every_section_has_a_heading(section):
    headings = [line for line in prose(TEXT).split("\n") if line.startswith("#")]
    assert any(f"`{section}`" in heading for heading in headings), f"no heading for `{section}`"


def test_required_keys_are_marked_required():
    """The top-level and organisation keys the schema requires say `yes`."""
    for rows in tables(TEXT):
        for row in rows[1:]:
            if row[0] in ("`policyc`", "`currency`", "`timezone`") and len(row) == 5:
                assert row[2].startswith("yes"), row


# --- the tables of literals ----------------------------------------------------


def _target(text: str):
    if literals.is_range(text):
        return literals.format_duration_range(literals.parse_duration_range(text, None))
    return literals.format_duration(literals.parse_duration(text))


READERS = {
    "Duration": lambda text: literals.format_duration(literals.parse_duration(text)),
    "Target duration": _target,
    "Money": lambda text: literals.format_money(literals.parse_money(text)),
    "Price": lambda text: literals.format_price(literals.parse_price(text, currency="USD")),
    "Percentage": lambda text: literals.format_percentage(literals.parse_percentage(text)),
    "Percentage range": lambda text: literals.format_percentage_range(literals.parse_percentage_range(text)),
    "Date": lambda text: literals.parse_date(text).isoformat(),
    "Window": lambda text: literals.format_window(literals.parse_window(text)),
    "Weekdays": lambda text: literals.format_weekdays(literals.parse_weekdays(text)),
}

LITERAL_ROWS = [
    (rows[0][0], row[0], row[1])
    for rows in tables(TEXT)
    if rows[0][0] in READERS and rows[0][1] == "Reads as"
    for row in rows[1:]
]


def test_every_kind_of_literal_has_a_table():
    assert {kind for kind, _, _ in LITERAL_ROWS} == set(READERS)


@pytest.mark.parametrize("kind, written, reads_as", LITERAL_ROWS, ids=[f"{k}:{w}" for k, w, _ in LITERAL_ROWS])
def test_literal_reads_as_documented(kind, written, reads_as):
    text = code_spans(written)[0]
    if reads_as.startswith("refused"):
        with pytest.raises(literals.LiteralError) as refused:
            READERS[kind](text)
        assert ("PC301" in reads_as) == (refused.value.wrong_kind is not None)
    else:
        assert READERS[kind](text) == code_spans(reads_as)[0]


# --- the YAML examples ---------------------------------------------------------

# What the examples that are not whole policies take for granted: the organisation,
# and the calendars, channels, tiers, teams and vocabularies they refer to.
CONTEXT = """\
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: America/New_York
  contract:
    effective_date: 2026-01-01
defaults:
  calendar: office
calendars:
  office:
    timezone: America/New_York
    hours:
      mon-fri: 09:00-17:00
  business_hours:
    timezone: America/New_York
    hours:
      mon-fri: 09:00-17:00
  always:
    timezone: UTC
    hours: 24x7
channels:
  email:
    kind: email
  phone:
    kind: phone
  portal:
    kind: portal
    calendar: always
  help_centre:
    kind: kb
    self_service: true
priorities:
  P1:
  P2:
tiers:
  basic:
    channels: [email]
  pro:
    channels: [email, phone]
  enterprise:
    channels: [email, phone, portal]
teams:
  agents:
  oncall:
    calendar: always
queues:
  general:
    team: agents
  urgent:
    team: oncall
roles:
  agent:
  manager:
  finance:
  cxo:
intents:
  complaint:
data_classes:
  phi:
  general:
segments:
  vip:
exclusions:
  maintenance:
    kind: scheduled_maintenance
    description: Scheduled maintenance.
"""


def with_context(fragment: dict) -> str:
    """The fragment's sections laid over the context: its definitions added to (or
    replacing) the context's, its lists and values replacing the context's."""
    policy = to_plain(parse_yaml(Source("context.yaml", CONTEXT)).root)
    for section, value in fragment.items():
        if isinstance(value, dict) and isinstance(policy.get(section), dict):
            policy[section] = {**policy[section], **value}
        else:
            policy[section] = value
    return yaml.safe_dump(policy, sort_keys=False, allow_unicode=True)


def expected_codes(body: str) -> set[str]:
    first = body.split("\n", 1)[0]
    match = re.fullmatch(r"# error: (PC\d{3}(?:, PC\d{3})*)", first)
    return set(match.group(1).split(", ")) if match else set()


def _report(text: str, codes: set[str]) -> str:
    """The text report `policyc check policy.yaml` prints, without its summary line."""
    from policyc.diagnostics.render import RenderContext, render
    from policyc.span import SourceMap

    source, found = run_example(text, "policy.yaml")
    sources = SourceMap()
    sources.add(source)
    shown = [d for d in found if d.code in codes]
    return render("text", shown, RenderContext(sources=sources, files=["policy.yaml"])).rsplit("\n", 2)[0].rstrip("\n") + "\n"


BLOCKS = fenced_blocks(TEXT)
YAML_EXAMPLES = [(i, body) for i, (language, body, _) in enumerate(BLOCKS) if language == "yaml"]


def test_page_has_many_examples():
    assert len(YAML_EXAMPLES) >= 20


@pytest.mark.parametrize("index, body", YAML_EXAMPLES, ids=[f"block{i}" for i, _ in YAML_EXAMPLES])
def test_yaml_example_checks_as_documented(index, body):
    loaded = parse_yaml(Source("policy.yaml", body))
    expected = expected_codes(body)
    if "policyc" in (to_plain(loaded.root) or {}):
        found = run_example(body)[1]
    else:
        assert not loaded.diagnostics, f"the example is not well-formed YAML: {loaded.diagnostics}"
        found = run_example(with_context(to_plain(loaded.root)))[1]
    assert {d.code for d in found} == expected, "\n".join(f"{d.code} {d.message}" for d in found) or "clean"
    following = BLOCKS[index + 1] if index + 1 < len(BLOCKS) else None
    if expected and following is not None and following[0] == "text":
        assert following[1] == _report(body, expected), "the report after the example is not what policyc prints"


# --- claims about YAML 1.1 and SLA lookup ------------------------------------------

YAML11 = {
    "`false`": False,
    "`true`": True,
    "the number 570 (base 60)": 570,
    "a date object": dt.date(2026, 1, 1),
    "the number 2026.1": 2026.1,
}


def test_yaml_1_1_claims_hold_for_pyyaml():
    rows = next(rows for rows in tables(TEXT) if rows[0][:2] == ["You write", "YAML 1.1 tools read"])
    assert len(rows) == 1 + len(YAML11)
    for written, yaml11, _ in rows[1:]:
        value = next(iter(yaml.safe_load(code_spans(written)[0]).values()))
        assert value == YAML11[yaml11] and type(value) is type(YAML11[yaml11]), written
        # ...and policyc's own reader keeps the text, except a plain number
        ours = next(iter(to_plain(parse_yaml(Source("t.yaml", code_spans(written)[0])).root).values()))
        assert ours == (2026.1 if yaml11 == "the number 2026.1" else code_spans(written)[0].split(": ", 1)[1])


def test_sla_lookup_table_is_what_match_answers():
    import policyc
    from policyc.ir import Metric
    from policyc.match import Ticket, sla_targets
    from policyc.pipeline import analyse

    header = ["Ticket", "`first_response` from", "`resolution` from"]
    position = next(i for i, (_, body, end) in enumerate(BLOCKS) if "id: pro-p1-phone" in body)
    fragment = to_plain(parse_yaml(Source("sla.yaml", BLOCKS[position][1])).root)
    # The example is there to show the lookup, contradictions and all (the checker
    # reports them): resolved, not refused.
    policy, _ = analyse(policyc.loads(with_context(fragment)))
    rows = next(rows for rows in tables(TEXT) if rows[0] == header)
    assert len(rows) > 4
    for ticket_cell, first_response, resolution in rows[1:]:
        tier, priority, channel, *rest = [part.strip() for part in ticket_cell.split(",")]
        ticket = Ticket(tier=tier, priority=priority, channel=channel, intent="complaint" if rest == ["a complaint"] else None)
        applied = sla_targets(policy, ticket)
        assert applied[Metric.FIRST_RESPONSE].entry.id == code_spans(first_response)[0], ticket_cell
        assert applied[Metric.RESOLUTION].entry.id == code_spans(resolution)[0], ticket_cell
