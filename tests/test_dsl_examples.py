"""The example policies written in the DSL mean what their YAML forms mean."""

from __future__ import annotations

import pytest

import policyc
from conftest import EXAMPLES
from policyc.pipeline import parse_policy, read_policy
from policyc.printer import reprint
from policyc.span import Source

DSL_EXAMPLES = sorted(EXAMPLES.glob("*/policy.pol"))
ORGS = [path.parent.name for path in DSL_EXAMPLES]


def test_at_least_two_organisations_have_a_dsl_example():
    assert len(DSL_EXAMPLES) >= 2
    for path in DSL_EXAMPLES:
        assert path.with_suffix(".yaml").is_file(), f"{path} has no YAML form beside it"


@pytest.mark.parametrize("org", ORGS)
def test_the_dsl_form_gives_the_same_policy_as_the_yaml_form(org):
    assert policyc.load(EXAMPLES / org / "policy.pol") == policyc.load(EXAMPLES / org / "policy.yaml")


@pytest.mark.parametrize("org", ORGS)
def test_the_dsl_form_checks_exactly_like_the_yaml_form(org, policyc_cli):
    from_dsl = policyc_cli("check", "--format", "json", EXAMPLES / org / "policy.pol")
    from_yaml = policyc_cli("check", "--format", "json", EXAMPLES / org / "policy.yaml")
    assert (from_dsl.exit_code, from_dsl.stdout.replace("policy.pol", "policy.yaml")) == (from_yaml.exit_code, from_yaml.stdout)
    dsl_findings = [(d.code, d.severity, d.message, d.hint) for d in policyc.check(policyc.load(EXAMPLES / org / "policy.pol"))]
    yaml_findings = [(d.code, d.severity, d.message, d.hint) for d in policyc.check(policyc.load(EXAMPLES / org / "policy.yaml"))]
    assert dsl_findings == yaml_findings


@pytest.mark.parametrize("org", ORGS)
def test_every_back_end_writes_the_same_bytes_from_either_form(org):
    """Back ends read only the resolved IR; given the same provenance (the banner
    names the file and its hash, which differ), they write byte-identical files."""
    from policyc import __version__
    from policyc.backends import TARGETS, CompileContext, load_backend

    resolved = {form: policyc.resolve(policyc.load(EXAMPLES / org / f"policy.{form}")) for form in ("pol", "yaml")}
    assert resolved["pol"] == resolved["yaml"]
    for target in TARGETS:
        outputs = [load_backend(target).generate(resolved[form], CompileContext("policy", "0" * 64, __version__)) for form in ("pol", "yaml")]
        assert outputs[0] == outputs[1], target
        assert outputs[0], target


@pytest.mark.parametrize("org", ORGS)
def test_converting_the_dsl_example_to_yaml_and_back_gives_the_same_policy(org):
    front = read_policy(EXAMPLES / org / "policy.pol")
    as_yaml = parse_policy(Source("converted.policy.yaml", reprint(front, "yaml")))
    back = parse_policy(Source("converted.pol", reprint(as_yaml, "dsl")))
    assert as_yaml.policy == back.policy == front.policy
    assert reprint(back, "dsl") == front.source.text


YAML_EXAMPLES = sorted(EXAMPLES.glob("*/policy.yaml"))


@pytest.mark.parametrize("path", YAML_EXAMPLES, ids=[p.parent.name for p in YAML_EXAMPLES])
def test_every_yaml_example_converts_to_the_dsl_and_back_to_the_same_policy(path, policyc_cli, tmp_path):
    as_dsl, back = tmp_path / "policy.pol", tmp_path / "back.policy.yaml"
    assert policyc_cli("convert", path, "--to", "dsl", "-o", as_dsl).exit_code == 0
    assert policyc_cli("convert", as_dsl, "--to", "yaml", "-o", back).exit_code == 0
    assert policyc.load(as_dsl) == policyc.load(back) == policyc.load(path)
    assert policyc_cli("check", as_dsl).exit_code == 0
