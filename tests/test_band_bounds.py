"""A credit or refund band states each end once: inclusive or exclusive, never both."""

import textwrap

import pytest

from policyc.diagnostics.reference import run_example

HEAD = """\
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: Europe/London
roles:
  agent:
  manager:
"""

CREDITS = """\
credits:
  period: month
  metric: sla_attainment
  bands:
    - at_least: 90%
      below: 95%
      credit: 5%
    - below: 90%
      credit: 10%
"""

REFUNDS = """\
refunds:
  approvals:
    - at_most: USD 100
      approvers: [agent]
    - above: USD 100
      approvers: [manager]
"""


def diagnostics(text: str):
    return run_example(HEAD + textwrap.dedent(text))[1]


def test_one_bound_per_side_is_clean():
    assert diagnostics(CREDITS + REFUNDS) == []


@pytest.mark.parametrize(
    "section, original, doubled, keys, line, earlier",
    [
        (CREDITS, "      below: 95%\n", "      below: 95%\n      above: 85%\n", ("at_least", "above"), 15, 13),
        (CREDITS, "      below: 95%\n", "      at_most: 94%\n      below: 95%\n", ("at_most", "below"), 15, 14),
        (REFUNDS, "    - above: USD 100\n", "    - above: USD 100\n      at_least: USD 100\n", ("at_least", "above"), 14, 13),
    ],
)
def test_two_bounds_on_one_side_are_refused(section, original, doubled, keys, line, earlier):
    found = diagnostics(section.replace(original, doubled))
    assert [d.code for d in found] == ["PC104"]
    d = found[0]
    assert f"gives both `{keys[0]}` and `{keys[1]}`: give only one" in d.message
    assert d.span.line == line  # the later of the two keys, with a note at the earlier
    assert len(d.related) == 1 and d.related[0].span.line == earlier
