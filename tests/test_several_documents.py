"""A file with several YAML documents is refused as such, at the second document."""

from policyc.diagnostics.reference import run_example

POLICY = "policyc: 1\norganisation:\n  name: Acme\n  currency: USD\n  timezone: Europe/London\n"


def test_second_document_is_reported_as_unsupported_yaml():
    found = run_example(POLICY + "---\n" + POLICY)[1]
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("PC006", 6, 1)]
    assert found[0].message == "a policy file holds one YAML document; this one holds several"


def test_a_leading_document_marker_is_fine():
    assert run_example("---\n" + POLICY)[1] == []
