"""Comments survive `fmt` and `convert`, next to the definitions they describe."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from policyc.pipeline import parse_policy
from policyc.printer import reprint
from policyc.span import Source

EVERY_KEY = (ROOT / "tests" / "fixtures" / "every-key.policy.yaml").read_text(encoding="utf-8")
NAMES = {"yaml": "commented.policy.yaml", "dsl": "commented.pol"}


def front(text: str, language: str):
    result = parse_policy(Source(NAMES[language], text))
    assert result.policy is not None, result.diagnostics
    return result


def convert(text: str, source_language: str, target_language: str) -> str:
    return reprint(front(text, source_language), target_language)


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def added_comments(text: str) -> list[str]:
    """The comments `commented` adds, wherever they are on their lines."""
    return sorted(re.findall(r"# (?:above|after) \d+", text))


YAML = """\
# The Acme support policy.
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: Europe/London  # head office
calendars:
  # Staffed from the London office.
  office:
    timezone: Europe/London
    hours:
      # Lunch break on weekdays.
      mon-fri: [09:00-12:00, 13:00-17:00]
    # Closed on public holidays too, once we know the horizon.
  night:
    timezone: UTC
    hours:
      daily: 22:00-06:00+1
sla:
  # Basic promises.
  - id: basic  # the cheapest plan
    first_response: 4h
# End of policy.
"""

DSL = """\
# The Acme support policy.
policyc 1

organisation "Acme" {
  currency USD
  timezone Europe/London  # head office
}

# Staffed from the London office.
calendar office {
  timezone Europe/London
  # Lunch break on weekdays.
  mon-fri 09:00-12:00, 13:00-17:00
  # Closed on public holidays too, once we know the horizon.
}

calendar night {
  timezone UTC
  daily 22:00-06:00+1
}

# Basic promises.
sla basic { first_response 4h }  # the cheapest plan
# End of policy.
"""


def test_yaml_comments_go_where_their_definitions_go_in_the_dsl():
    assert convert(YAML, "yaml", "dsl") == DSL


def test_dsl_comments_go_where_their_definitions_go_in_yaml():
    expected = "# yaml-language-server: $schema=https://policyc.dev/schemas/policy.schema.json\n" + YAML.replace(
        "policyc: 1\norganisation:", "policyc: 1\n\norganisation:"
    ).replace("calendars:\n  # Staffed", "\ncalendars:\n  # Staffed").replace("sla:\n  # Basic", "\nsla:\n  # Basic")
    assert convert(DSL, "dsl", "yaml") == expected


def test_a_schema_comment_stays_first_in_yaml_and_is_left_out_of_the_dsl():
    text = "# yaml-language-server: $schema=../schemas/policy.schema.json\n" + YAML
    assert reprint(front(text, "yaml"), "yaml").splitlines()[0] == "# yaml-language-server: $schema=../schemas/policy.schema.json"
    assert "yaml-language-server" not in convert(text, "yaml", "dsl")


def test_a_comment_on_a_value_the_printer_leaves_out_moves_to_its_definition():
    text = YAML.replace("  name: Acme\n", "  name: Acme\n  contract: {}  # no contract yet\n")
    printed = convert(text, "yaml", "dsl")
    assert 'organisation "Acme" {  # no contract yet' in printed


def test_comments_inside_a_flow_list_stay_with_the_list():
    text = YAML.replace("[09:00-12:00, 13:00-17:00]", "[09:00-12:00,  # morning\n        13:00-17:00]")
    printed = convert(text, "yaml", "dsl")
    assert "  mon-fri 09:00-12:00, 13:00-17:00  # morning\n" in printed


@st.composite
def commented(draw, text: str):
    """`text` with comments added above and at the end of some of its lines."""
    lines = text.splitlines()
    out, number = [], 0
    for line in lines:
        indent = line[: len(line) - len(line.lstrip())]
        if draw(st.booleans()) and line.strip():
            out.append(f"{indent}# above {number}")
            number += 1
        if draw(st.booleans()) and line.strip() and "#" not in line and not line.lstrip().startswith("}"):
            line = f"{line}  # after {number}"
            number += 1
        out.append(line)
    return "\n".join(out) + "\n"


EVERY_KEY_DSL = convert(EVERY_KEY, "yaml", "dsl")


def assert_comments_survive(text: str, language: str) -> None:
    other = "dsl" if language == "yaml" else "yaml"
    original = front(text, language)
    formatted = reprint(original, language)
    converted = reprint(original, other)
    back = convert(converted, other, language)
    for output in (formatted, converted, back):
        assert added_comments(output) == added_comments(text), output
        assert output.count("# Uses every key") == 1, output
    # Formatting is idempotent with comments too, and comments never change the policy.
    assert reprint(front(formatted, language), language) == formatted
    assert front(converted, other).policy == original.policy
    assert reprint(front(back, language), language) == back


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=commented(EVERY_KEY))
def test_no_comment_is_lost_from_yaml(text):
    assert_comments_survive(text, "yaml")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=commented(EVERY_KEY_DSL))
def test_no_comment_is_lost_from_the_dsl(text):
    assert_comments_survive(text, "dsl")
