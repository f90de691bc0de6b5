"""`policyc compile` and `policyc.compile(...)`: refusing bad policies, atomic writes,
--check, deterministic output, and what compile must not pull into `policyc check`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

import policyc
from policyc.backends import TARGETS
from policyc.backends.lossy import LOSSY_RULES
from policyc.cli import cli

EVERY_KEY = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"
# What Zendesk, Freshdesk and PagerDuty cannot hold of the every-key fixture, accepted.
EVERY_KEY_LOSSY = "PC951,PC953,PC954,PC955,PC959,PC960"
BAD = """\
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: Europe/London
channels:
  email:
    kind: email
tiers:
  basic:
    channels: [emial]
"""


def run(*args: str):
    return CliRunner().invoke(cli, ["compile", *args])


def tree(directory: Path) -> dict[str, str]:
    """Every file under a directory, by relative path, as a hash of its bytes."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compiled") / "out"
    result = run(str(EVERY_KEY), "-o", str(out), "--allow-lossy", EVERY_KEY_LOSSY)
    assert result.exit_code == 0, result.output
    return out


def test_compile_writes_one_folder_per_target(compiled: Path):
    assert sorted(p.name for p in compiled.iterdir()) == sorted(TARGETS)
    files = tree(compiled)
    for expected in ("routing/routing.json", "routing/routing.csv", "contract/contract.md", "contract/contract.html",
                     "contract/contract.docx", "zendesk/manifest.json", "freshdesk/manifest.json",
                     "freshdesk/business-hours.md", "pagerduty/manifest.json"):
        assert expected in files


def test_every_file_says_which_policyc_and_which_source_made_it(compiled: Path):
    digest = hashlib.sha256(EVERY_KEY.read_text(encoding="utf-8").encode()).hexdigest()
    for path in sorted(compiled.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".docx":
            from docx import Document

            properties = Document(str(path)).core_properties
            assert digest in properties.keywords and policyc.__version__ in properties.keywords
            continue
        text = path.read_text(encoding="utf-8")
        assert digest in text, f"{path} has no source hash"
        assert f"policyc {policyc.__version__}" in text or f'"version": "{policyc.__version__}"' in text, path


def test_allowed_losses_are_still_printed_as_warnings(tmp_path):
    result = run(str(EVERY_KEY), "-o", str(tmp_path / "out"), "--allow-lossy", EVERY_KEY_LOSSY)
    assert result.exit_code == 0
    assert "warning[PC955]" in result.output and "allowed by --allow-lossy PC955" in result.output
    assert "error[" not in result.output


def test_a_loss_not_allowed_is_an_error_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    result = run(str(EVERY_KEY), "-o", str(out), "--target", "zendesk")
    assert result.exit_code == 1
    assert "error[PC955]: zendesk: Zendesk has no SLA metric for `acknowledgement`" in result.output
    assert "--allow-lossy PC955" in result.output
    assert not out.exists()


def test_a_policy_with_errors_is_refused_with_its_diagnostics(tmp_path):
    policy = tmp_path / "bad.policy.yaml"
    policy.write_text(BAD)
    out = tmp_path / "out"
    result = run(str(policy), "-o", str(out))
    assert result.exit_code == 1
    assert "error[PC201]: `emial` is not a channel defined in `channels`" in result.output
    assert f"--> {policy}:11:16" in result.output
    assert not out.exists()


def test_unreadable_input_exits_2(tmp_path):
    result = run(str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no such file" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "jira"], "unknown target `jira`"),
        (["--allow-lossy", "PC201"], "`PC201` is not a loss a target can be allowed"),
        (["--as-of", "1/1/2026"], "--as-of `1/1/2026` is not a date"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run(str(EVERY_KEY), "-o", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unwritable_directory_is_a_usage_error(tmp_path, monkeypatch):
    import policyc.write

    def no_space(path, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(policyc.write, "_write_file", no_space)
    result = run(str(EVERY_KEY), "-o", str(tmp_path / "out"), "--target", "routing")
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert not (tmp_path / "out").exists()


def test_a_directory_with_other_files_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run(str(EVERY_KEY), "-o", str(tmp_path), "--target", "routing")
    assert result.exit_code == 2
    assert "holds files policyc did not write (notes.txt)" in result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_compiling_some_targets_keeps_the_others(compiled: Path, tmp_path):
    out = tmp_path / "out"
    assert run(str(EVERY_KEY), "-o", str(out), "--target", "routing,contract").exit_code == 0
    before = tree(out / "contract")
    assert run(str(EVERY_KEY), "-o", str(out), "--target", "routing").exit_code == 0
    assert tree(out / "contract") == before
    assert sorted(p.name for p in out.iterdir()) == ["contract", "routing"]


def test_a_target_folder_is_replaced_whole(tmp_path):
    out = tmp_path / "out"
    assert run(str(EVERY_KEY), "-o", str(out), "--target", "routing").exit_code == 0
    (out / "routing" / "stale.json").write_text("{}")
    assert run(str(EVERY_KEY), "-o", str(out), "--target", "routing").exit_code == 0
    assert sorted(p.name for p in (out / "routing").iterdir()) == ["routing.csv", "routing.json"]


# --- atomic writes ----------------------------------------------------------------


def test_a_failure_while_writing_leaves_the_directory_as_it_was(compiled: Path, tmp_path, monkeypatch):
    import shutil

    import policyc.write

    out = tmp_path / "out"
    shutil.copytree(compiled, out)
    (out / "routing" / "routing.csv").write_text("an older table\n")
    before = tree(out)
    written = []
    real = policyc.write._write_file

    def fail_on_the_third(path, content):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, content)

    monkeypatch.setattr(policyc.write, "_write_file", fail_on_the_third)
    with pytest.raises(OSError):
        policyc.compile(EVERY_KEY, out, allow_lossy=EVERY_KEY_LOSSY.split(","))
    assert len(written) == 2
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "a temporary directory was left behind"


def test_a_failing_back_end_leaves_the_directory_as_it_was(compiled: Path, tmp_path, monkeypatch):
    import shutil

    from policyc.backends import pagerduty

    out = tmp_path / "out"
    shutil.copytree(compiled, out)
    before = tree(out)

    def broken(policy, context):
        raise RuntimeError("a bug in a back end")

    monkeypatch.setattr(pagerduty.BACKEND, "generate", broken)
    result = run(str(EVERY_KEY), "-o", str(out), "--allow-lossy", EVERY_KEY_LOSSY)
    assert result.exit_code != 0
    assert tree(out) == before


# --- --check --------------------------------------------------------------------


def test_check_passes_on_what_compile_wrote(compiled: Path):
    result = run(str(EVERY_KEY), "-o", str(compiled), "--check", "--allow-lossy", EVERY_KEY_LOSSY)
    assert result.exit_code == 0, result.output
    assert "is up to date" in result.output


def test_check_reports_a_hand_edit_with_a_diff(compiled: Path, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(compiled, out)
    manifest = out / "zendesk" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"step": 1,', '"step": 100,'))
    (out / "routing" / "routing.csv").unlink()
    (out / "pagerduty" / "schedules" / "extra.json").write_text("{}")
    before = tree(out)
    result = run(str(EVERY_KEY), "-o", str(out), "--check", "--allow-lossy", EVERY_KEY_LOSSY)
    assert result.exit_code == 1
    assert "changed: zendesk/manifest.json" in result.output
    assert "missing: routing/routing.csv" in result.output
    assert "extra:   pagerduty/schedules/extra.json" in result.output
    assert '-      "step": 100,' in result.output and '+      "step": 1,' in result.output
    assert tree(out) == before, "--check must not write"


def test_check_reports_a_changed_binary_file_without_dumping_it(compiled: Path, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(compiled, out)
    (out / "contract" / "contract.docx").write_bytes(b"PK\x03\x04 not the document")
    result = run(str(EVERY_KEY), "-o", str(out), "--check", "--target", "contract")
    assert result.exit_code == 1
    assert "changed: contract/contract.docx" in result.output
    assert "binary file contract/contract.docx differs" in result.output


def test_check_compares_only_the_targets_asked_for(compiled: Path, tmp_path):
    out = tmp_path / "out"
    assert run(str(EVERY_KEY), "-o", str(out), "--target", "routing").exit_code == 0
    result = run(str(EVERY_KEY), "-o", str(out), "--check", "--target", "routing")
    assert result.exit_code == 0, result.output


# --- determinism ------------------------------------------------------------------


def _compile_in_subprocess(out: Path, seed: str) -> dict[str, str]:
    code = "import sys; from policyc.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", code, "compile", str(EVERY_KEY), "-o", str(out), "--allow-lossy", EVERY_KEY_LOSSY],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return tree(out)


def test_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    first = _compile_in_subprocess(tmp_path / "a", "0")
    second = _compile_in_subprocess(tmp_path / "b", "12345")
    third = _compile_in_subprocess(tmp_path / "c", "random")
    assert first == second == third


# --- the Python API -----------------------------------------------------------------


def test_api_returns_the_files_and_writes_when_asked(tmp_path):
    result = policyc.compile(EVERY_KEY, tmp_path / "out", targets=["routing"])
    assert sorted(result.files) == ["routing/routing.csv", "routing/routing.json"]
    assert result.diagnostics == []
    assert json.loads((tmp_path / "out" / "routing" / "routing.json").read_text())["organisation"] == "Every Key Ltd"


def test_api_raises_policy_error_for_what_a_target_cannot_express():
    with pytest.raises(policyc.PolicyError) as raised:
        policyc.compile(EVERY_KEY, targets=["zendesk"])
    assert {d.code for d in raised.value.diagnostics} >= {"PC954", "PC955"}


def test_api_rejects_an_unknown_target():
    with pytest.raises(ValueError, match="unknown target `jira`"):
        policyc.compile(EVERY_KEY, targets=["jira"])


def test_every_lossy_code_is_accepted_by_name_too(tmp_path):
    names = ",".join(rule.name for rule in LOSSY_RULES.values())
    result = run(str(EVERY_KEY), "-o", str(tmp_path / "out"), "--allow-lossy", names)
    assert result.exit_code == 0, result.output


# --- what compile must not cost `policyc check` ------------------------------------------


def test_check_imports_neither_jinja2_nor_numpy_nor_the_back_ends():
    code = (
        "import sys; from policyc.cli import main; main(['check', sys.argv[1]]); "
        "print(sorted(m for m in ('jinja2', 'numpy', 'docx', 'markdown_it', 'policyc.backends.contract') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(EVERY_KEY)], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
