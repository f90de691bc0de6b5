"""`policyc check` starts fast: it does not import what only compiling needs."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

HEAVY = ("jinja2", "numpy", "pandas")

PROGRAM = f"""
import contextlib, io, json, sys
from policyc.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
heavy = sorted({{name.split('.')[0] for name in sys.modules}} & set({HEAVY!r}))
print(json.dumps({{"exit": code, "heavy": heavy}}))
"""


def _imports_of(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROGRAM, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_check_does_not_import_heavy_libraries():
    assert _imports_of("check", "tests/fixtures/every-key.policy.yaml") == {"exit": 0, "heavy": []}


def test_check_with_errors_in_every_format_does_not_import_heavy_libraries():
    for format_ in ("text", "json", "sarif", "github", "junit"):
        outcome = _imports_of("check", "--format", format_, "tests/fixtures/bad/schema.policy.yaml", "tests/fixtures/bad/references.policy.yaml")
        assert outcome == {"exit": 1, "heavy": []}, format_


def test_the_probe_sees_imports():
    """The test above would pass vacuously if the probe could not see an import."""
    program = PROGRAM.replace("from policyc.cli import main", "import jinja2\nfrom policyc.cli import main")
    done = subprocess.run([sys.executable, "-c", program, "--version"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["heavy"] == ["jinja2"]


def test_reports_do_not_depend_on_the_hash_seed():
    """Same input, byte-identical output, whatever order Python's sets and dicts take."""
    outputs = set()
    for seed in ("0", "1", "12345"):
        for format_ in ("json", "sarif"):
            done = subprocess.run(
                [sys.executable, "-c", "import sys; from policyc.cli import main; sys.exit(main(sys.argv[1:]))", "check", "--format", format_, "tests/fixtures/bad"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**__import__("os").environ, "PYTHONHASHSEED": seed},
            )
            outputs.add((format_, done.returncode, done.stdout))
    assert len(outputs) == 2
