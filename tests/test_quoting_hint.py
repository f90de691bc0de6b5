"""A number or `true` where text belongs: YAML read it as such, and quoting fixes it."""

import pytest

from policyc.diagnostics.reference import run_example

POLICY = """\
policyc: 1
organisation:
  name: {name}
  currency: USD
  timezone: Europe/London
  contract:
    version: {version}
tiers:
  basic:
    extras: [{extra}]
"""


@pytest.mark.parametrize(
    "field, value, where, hint",
    [
        ("version", "2026.1", "organisation.contract.version", 'quote it to keep it as text: `version: "2026.1"`'),
        ("name", "1234", "organisation.name", 'quote it to keep it as text: `name: "1234"`'),
        ("extra", "true", "tiers.basic.extras[1]", 'quote it to keep it as text: `"true"`'),
    ],
)
def test_unquoted_number_or_boolean_where_text_belongs(field, value, where, hint):
    values = {"name": "Acme", "version": '"2026.1"', "extra": "Dedicated CSM"} | {field: value}
    found = run_example(POLICY.format(**values))[1]
    assert [(d.code, d.hint) for d in found] == [("PC103", hint)]
    assert found[0].message.startswith(f"`{where}` should be text")


def test_quoted_values_are_clean():
    assert run_example(POLICY.format(name="Acme", version='"2026.1"', extra='"true"'))[1] == []
