"""The DSL front end: the grammar, what it reads, and the IR and positions it gives."""

from __future__ import annotations

import dataclasses
import logging
from importlib import resources

import pytest
from lark import Lark
from lark import logger as lark_logger

import policyc
from conftest import ROOT
from policyc import ir, literals
from policyc.frontend.dsl import grammar_text, parser
from policyc.diagnostics.rules import example_policy
from policyc.pipeline import parse_policy, read_policy
from policyc.span import Source

EVERY_KEY_YAML = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"
EVERY_KEY_DSL = ROOT / "tests" / "dsl" / "every-key.pol"


def dsl(text: str, name: str = "test.pol"):
    return parse_policy(Source(name, text))


HEADER = 'policyc 1\norganisation "Acme" {\n  currency USD\n  timezone Europe/London\n}\n'


# --- the grammar --------------------------------------------------------------------------


def test_the_installed_package_ships_the_grammar_file_itself():
    shipped = resources.files("policyc.grammar").joinpath("policy.lark").read_text(encoding="utf-8")
    assert shipped == (ROOT / "grammar" / "policy.lark").read_text(encoding="utf-8")


def conflicts(grammar: str) -> list[str]:
    """The shift/reduce conflicts lark resolves silently in a grammar."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if "conflict" in record.getMessage().lower():
                found.append(record.getMessage())

    handler, level = Collect(), lark_logger.level
    lark_logger.addHandler(handler)
    lark_logger.setLevel(logging.DEBUG)
    try:
        Lark(grammar, parser="lalr", lexer="contextual", start=["start", "items"], maybe_placeholders=True, debug=True)
    finally:
        lark_logger.removeHandler(handler)
        lark_logger.setLevel(level)
    return found


def test_the_grammar_is_unambiguous_for_lalr():
    assert conflicts(grammar_text()) == []
    # The check itself notices a grammar that is ambiguous.
    ambiguous = 'start: s\nitems: s\ns: "if" s | "if" s "else" s | "x"\n%ignore " "\n'  # the dangling else
    assert conflicts(ambiguous)


@pytest.mark.parametrize("days", sorted(literals._DAY_NAMES) + ["daily", "weekdays", "weekends", "mon-fri", "fri-mon", "sat, sun", "mon - wed,fri"])
def test_every_weekday_spelling_the_literals_read_is_a_weekday_line(days):
    front = dsl(HEADER + f"calendar office {{\n  timezone UTC\n  {days} 09:00-17:00\n}}\n")
    assert front.diagnostics == []
    assert front.policy.calendars["office"].hours[0].days == literals.parse_weekdays(days)


@pytest.mark.parametrize(
    "text",
    ["30s", "4 secs", "30m", "90 minutes", "4h", "4 hrs", "2d", "3 days", "1w", "1h30m", "4 business hours", "1 business day",
     "30 business minutes", "24-72h", "24h-72h", "24 to 72h", "7-10 business days", "4h-2 business days"],
)
def test_every_duration_spelling_the_literals_read_is_one_value(text):
    front = dsl(HEADER + f"sla {{ resolution {text} (bound upper) }}\n")
    assert front.diagnostics == []
    target = front.policy.sla[0].target(ir.Metric.RESOLUTION)
    expected = literals.parse_duration_range(text, ir.RangeBound.UPPER) if literals.is_range(text) else None
    assert target.range == expected
    assert target.duration == (expected.high if expected else literals.parse_duration(text))


@pytest.mark.parametrize("price", ["USD 799/month", "from USD 4,500/month", "USD 49/seat/month", "USD 150/incident", "EUR 99.90/year", "included"])
def test_prices_are_one_value(price):
    front = dsl(HEADER + f"tier pro {{ price {price} }}\n")
    assert front.diagnostics == []
    assert front.policy.tiers["pro"].price == literals.parse_price(price, None, "USD")


def test_keywords_are_plain_words_where_no_statement_starts():
    front = dsl(HEADER + 'calendar calendar {\n  timezone UTC\n  mon-fri 09:00-17:00\n  override 2026-12-31 closed "New Year"\n}\nqueue default { team closed }\n')
    assert front.diagnostics == []
    assert front.policy.calendars["calendar"].overrides[0].windows == ()
    assert front.policy.queues["default"].team.id == "closed"


def test_quoted_text_reads_escapes():
    front = dsl(HEADER + 'role cxo "C-level \\"exec\\" \\\\ \\u00e9\\n"\n')
    assert front.policy.roles["cxo"].name == 'C-level "exec" \\ é\n'


# --- the same IR as the YAML form --------------------------------------------------------


def test_the_every_key_policy_gives_the_same_ir_in_both_languages():
    assert read_policy(EVERY_KEY_DSL).policy == read_policy(EVERY_KEY_YAML).policy


def test_a_channel_or_exclusion_named_after_its_kind_needs_no_kind():
    front = dsl(HEADER + 'channel email\nchannel hotline is phone\nexclusion force_majeure { description "Acts of God." }\n')
    assert front.diagnostics == []
    assert [c.kind for c in front.policy.channels.values()] == [ir.ChannelKind.EMAIL, ir.ChannelKind.PHONE]
    assert front.policy.exclusions["force_majeure"].kind is ir.ExclusionKind.FORCE_MAJEURE


def test_an_sla_entry_calendar_applies_to_its_business_time_targets_as_in_yaml():
    front = dsl(HEADER + "sla {\n  calendar office\n  first_response 4 business hours\n  resolution 3d\n}\n")
    entry = front.policy.sla[0]
    assert entry.target(ir.Metric.FIRST_RESPONSE).calendar == ir.Ref("calendar", "office")
    assert entry.target(ir.Metric.RESOLUTION).calendar is None


# --- positions ------------------------------------------------------------------------------


def spans(value, where="policy"):
    """Every (where, span) of the IR nodes below `value`."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            inner = getattr(value, f.name)
            if f.name.endswith("span"):
                yield f"{where}.{f.name}", inner
            elif f.name != "source":
                yield from spans(inner, f"{where}.{f.name}")
    elif isinstance(value, ir.Table):
        for key, item in value.items():
            yield from spans(item, f"{where}[{key}]")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from spans(item, f"{where}[{index}]")


def test_every_node_of_a_dsl_policy_has_a_span_in_the_dsl_file():
    policy = read_policy(EVERY_KEY_DSL).policy
    lines = EVERY_KEY_DSL.read_text(encoding="utf-8").splitlines()
    found = list(spans(policy))
    assert len(found) > 150
    for where, span in found:
        assert span is not None, where
        assert span.file == str(EVERY_KEY_DSL), where
        assert 1 <= span.line <= span.end_line <= len(lines), where
        assert (span.line, span.column) < (span.end_line, span.end_column), where


def at(span) -> str:
    lines = EVERY_KEY_DSL.read_text(encoding="utf-8").splitlines()
    assert span.line == span.end_line
    return lines[span.line - 1][span.column - 1 : span.end_column - 1]


def test_spans_point_at_the_text_of_each_value():
    policy = read_policy(EVERY_KEY_DSL).policy
    office = policy.calendars["office"]
    assert at(office.hours[0].windows[1].span) == "13:00-17:00"
    assert at(office.timezone.span) == "America/New_York"
    assert at(office.holidays.country_span) == "US"
    assert at(policy.tiers["enterprise"].price.span) == "from USD 4,500/month"
    assert at(policy.sla[1].target(ir.Metric.RESOLUTION).range.span) == "24-72h"
    assert at(policy.routing.rules[0].queue.span) == "urgent"
    assert at(policy.refunds.approvals[1].upper.value.span) == "USD 2,500"


def test_diagnostics_of_a_dsl_policy_point_at_the_dsl_text(tmp_path):
    path = tmp_path / "policy.pol"
    path.write_text(HEADER + "tier basic { channels emial }\nchannel email\n", encoding="utf-8")
    found = policyc.check(policyc.load(path))
    assert [(d.code, d.span.line, d.span.column, d.span.end_column) for d in found] == [("PC201", 6, 23, 28), ("PC204", 7, 9, 14)]


# --- the same diagnostics in both languages ------------------------------------------------

UNRESOLVED_YAML = example_policy(
    """
    calendars:
      office:
        timezone: Europe/Londn
        hours:
          mon-fri: 09:00-17:00
    channels:
      email:
        kind: email
        calendar: ofice
    tiers:
      basic:
        channels: [emial]
    """
)
FLAWED_YAML = example_policy(
    """
    calendars:
      office:
        timezone: Europe/London
        hours:
          mon-fri: 17:00-09:00
          sat: 10:00-10:00
    channels:
      email:
        kind: email
        calendar: office
    sla:
      - first_response: 4 business hours
        resolution: 24-72h
    """
)
EXPECTED = {"unresolved": {"PC201", "PC401"}, "flawed": {"PC302", "PC303", "PC402", "PC403"}, "every-key": set()}


def findings(policy) -> list[tuple[str, str, str, str | None]]:
    return [(d.code, d.severity.value, d.message, d.hint) for d in policyc.check(policy)]


@pytest.mark.parametrize(
    "name, yaml_text",
    [("unresolved", UNRESOLVED_YAML), ("flawed", FLAWED_YAML), ("every-key", EVERY_KEY_YAML.read_text(encoding="utf-8"))],
)
def test_a_policy_gives_the_same_diagnostics_in_both_languages(name, yaml_text):
    from policyc.printer import print_policy

    from_yaml = parse_policy(Source("policy.policy.yaml", yaml_text)).policy
    from_dsl = parse_policy(Source("policy.pol", print_policy(from_yaml, "dsl"))).policy
    assert from_dsl == from_yaml
    assert findings(from_dsl) == findings(from_yaml)
    assert {code for code, *_ in findings(from_yaml)} == EXPECTED[name]
