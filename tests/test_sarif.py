"""`policyc check --format sarif` output is valid SARIF 2.1.0: it validates against the
OASIS schema (draft-04) with its formats (URIs) checked, for a clean run, a run with
related locations, and a run where a file could not be read."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT, PolicycRunner

CLEAN = "tests/fixtures/every-key.policy.yaml"
BAD = ("tests/fixtures/bad/references.policy.yaml", "tests/fixtures/bad/schema.policy.yaml")


@pytest.fixture
def sarif_validator(shared: Path):
    import jsonschema

    path = shared / "vendor" / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the SARIF schema is not available in this checkout")
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    # All of jsonschema's format checks, not just draft-04's: artifact locations are
    # `uri-reference`s, a draft-06 format the SARIF schema uses anyway.
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _sarif(policyc_cli: PolicycRunner, *paths: str, cwd: Path = ROOT) -> dict:
    outcome = policyc_cli("check", "--format", "sarif", *paths, cwd=cwd)
    assert outcome.stderr == ""
    return json.loads(outcome.stdout)


def _assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_clean_run_is_valid_sarif(sarif_validator, policyc_cli: PolicycRunner):
    log = _sarif(policyc_cli, CLEAN)
    _assert_valid(sarif_validator, log)
    run = log["runs"][0]
    # The fixture suppresses a few diagnostics: SARIF lists them, marked suppressed.
    assert [r for r in run["results"] if "suppressions" not in r] == []
    assert all(r["suppressions"][0]["kind"] == "inSource" for r in run["results"])
    assert run["artifacts"] == [{"location": {"uri": CLEAN}}]


def test_run_with_related_locations_is_valid_sarif(sarif_validator, policyc_cli: PolicycRunner):
    log = _sarif(policyc_cli, *BAD)
    _assert_valid(sarif_validator, log)
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    with_related = [r for r in results if "relatedLocations" in r]
    assert {r["ruleId"] for r in with_related} == {"PC005", "PC202"}
    duplicate_key = next(r for r in results if r["ruleId"] == "PC005")
    assert duplicate_key["locations"][0]["physicalLocation"]["region"] == {"startLine": 13, "startColumn": 7, "endLine": 13, "endColumn": 14}
    related = duplicate_key["relatedLocations"][0]
    assert related["physicalLocation"]["region"]["startLine"] == 11
    assert related["message"]["text"] == "`mon-fri` first defined here"
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_run_with_an_unreadable_file_is_valid_sarif(sarif_validator, policyc_cli: PolicycRunner):
    log = _sarif(policyc_cli, CLEAN, "tests/fixtures/missing.policy.yaml")
    _assert_valid(sarif_validator, log)
    [result] = [r for r in log["runs"][0]["results"] if "suppressions" not in r]
    assert result["ruleId"] == "PC001" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/fixtures/missing.policy.yaml"


def test_file_names_become_uri_references(sarif_validator, policyc_cli: PolicycRunner, tmp_path: Path):
    """A name with spaces, `#` or `%` is percent-encoded, and decodes back to the name."""
    name = "my policies/100% #1 ünïcode.policy.yaml"
    (tmp_path / "my policies").mkdir()
    (tmp_path / name).write_bytes((ROOT / BAD[0]).read_bytes())
    log = _sarif(policyc_cli, name, cwd=tmp_path)
    _assert_valid(sarif_validator, log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert len(uris) == 1
    [uri] = uris
    assert " " not in uri and "#" not in uri
    assert unquote(uri) == name


def test_suppressed_results_are_valid_sarif_with_their_reason(sarif_validator, policyc_cli: PolicycRunner):
    log = _sarif(policyc_cli, "tests/fixtures/suppressed.policy.yaml")
    _assert_valid(sarif_validator, log)
    suppressed = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["PC502"]
    (suppression,) = suppressed[0]["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["justification"].startswith("High tickets are triaged by phone")
    assert suppression["location"]["physicalLocation"]["region"]["startLine"] == 15
