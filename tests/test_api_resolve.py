"""`policyc.resolve` stays the API function, whatever policyc has imported since."""

import policyc
from conftest import ROOT


def test_resolve_is_the_function_after_a_check():
    policy = policyc.load(ROOT / "tests" / "fixtures" / "every-key.policy.yaml")
    assert policyc.check(policy) == []
    resolved = policyc.resolve(policy)
    assert isinstance(resolved, policyc.Policy)
    assert resolved.horizon is not None and resolved.calendars["office"].holiday_dates
