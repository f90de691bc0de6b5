import policyc
from conftest import ROOT


def test_every_key_fixture_checks_clean():
    policy = policyc.load(ROOT / "tests" / "fixtures" / "every-key.policy.yaml")
    assert policyc.check(policy) == []
