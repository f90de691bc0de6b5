"""`policyc fmt` and `policyc convert` on the command line."""

from __future__ import annotations

import pytest

from conftest import ROOT
from policyc.cli import main
from policyc.pipeline import read_policy

EVERY_KEY_YAML = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"
EVERY_KEY_DSL = ROOT / "tests" / "dsl" / "every-key.pol"
# Every DSL file the project ships; `fmt --check` must pass on each.
SHIPPED_DSL = sorted(p for p in ROOT.rglob("*.pol") if ".venv" not in p.parts and "errors" not in p.parts)

UNFORMATTED = """\
policyc 1
# Who we are.
organisation "Acme" { currency USD
    timezone Europe/London }
calendar office { timezone Europe/London   monday-friday 9:00 - 17:00  # core hours
}
"""
FORMATTED = """\
policyc 1

# Who we are.
organisation "Acme" {
  currency USD
  timezone Europe/London
}

calendar office {  # core hours
  timezone Europe/London
  mon-fri 09:00-17:00
}
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_fmt_rewrites_a_file_in_the_canonical_layout(tmp_path, capsys):
    path = tmp_path / "acme.pol"
    path.write_text(UNFORMATTED, encoding="utf-8")
    status, _, err = run(capsys, "fmt", str(path))
    assert status == 0 and "1 file reformatted" in err
    assert path.read_text(encoding="utf-8") == FORMATTED


def test_fmt_is_idempotent(tmp_path, capsys):
    path = tmp_path / "acme.pol"
    path.write_text(FORMATTED, encoding="utf-8")
    before = path.stat().st_mtime_ns
    status, out, err = run(capsys, "fmt", str(path))
    assert (status, out) == (0, "") and "1 file already formatted" in err
    assert path.read_text(encoding="utf-8") == FORMATTED and path.stat().st_mtime_ns == before


def test_fmt_check_prints_a_diff_and_exits_1_without_touching_the_file(tmp_path, capsys):
    path = tmp_path / "acme.pol"
    path.write_text(UNFORMATTED, encoding="utf-8")
    status, out, err = run(capsys, "fmt", "--check", str(path))
    assert status == 1
    assert out.startswith(f"--- {path}\n+++ {path}\n@@ ")
    assert "+  mon-fri 09:00-17:00\n" in out
    assert "1 file would be reformatted" in err
    assert path.read_text(encoding="utf-8") == UNFORMATTED


def test_fmt_check_passes_on_a_formatted_file(tmp_path, capsys):
    path = tmp_path / "acme.pol"
    path.write_text(FORMATTED, encoding="utf-8")
    assert run(capsys, "fmt", "--check", str(path))[:2] == (0, "")


def test_fmt_formats_yaml_policies_too(tmp_path, capsys):
    path = tmp_path / "acme.policy.yaml"
    path.write_text("policyc: 1\norganisation: {name: Acme, currency: USD, timezone: UTC}  # us\n", encoding="utf-8")
    assert run(capsys, "fmt", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=https://policyc.dev/schemas/policy.schema.json\n"
        "policyc: 1\n\norganisation:  # us\n  name: Acme\n  currency: USD\n  timezone: UTC\n"
    )


def test_fmt_searches_directories_and_writes_atomically(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.pol").write_text(UNFORMATTED, encoding="utf-8")
    (tmp_path / "b.policy.yaml").write_text(EVERY_KEY_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a policy", encoding="utf-8")
    written = []
    import policyc.write

    real = policyc.write.write_text_atomic
    monkeypatch.setattr(policyc.write, "write_text_atomic", lambda path, text: (written.append(str(path)), real(path, text)))
    status, _, err = run(capsys, "fmt", str(tmp_path))
    assert status == 0 and "2 files reformatted" in err
    assert sorted(written) == [str(tmp_path / "a.pol"), str(tmp_path / "b.policy.yaml")]


def test_fmt_leaves_a_file_with_syntax_errors_alone_and_exits_2(tmp_path, capsys):
    path = tmp_path / "broken.pol"
    path.write_text('policyc 1\norganisation "Acme" {\n', encoding="utf-8")
    status, out, err = run(capsys, "fmt", str(path))
    assert status == 2 and out == ""
    assert "error[PC011]" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8") == 'policyc 1\norganisation "Acme" {\n'


def test_fmt_leaves_a_file_with_errors_alone_and_exits_1(tmp_path, capsys):
    path = tmp_path / "invalid.pol"
    path.write_text('policyc 1\norganisation "Acme" { currency USD }\n', encoding="utf-8")
    status, _, err = run(capsys, "fmt", str(path))
    assert status == 1 and "error[PC102]" in err and "with errors left alone" in err


@pytest.mark.parametrize("path", SHIPPED_DSL, ids=[str(p.relative_to(ROOT)) for p in SHIPPED_DSL])
def test_every_shipped_dsl_file_is_formatted(path, capsys):
    assert run(capsys, "fmt", "--check", str(path))[:2] == (0, "")


def test_convert_writes_the_other_language_to_standard_output(capsys):
    status, out, _ = run(capsys, "convert", str(EVERY_KEY_YAML), "--to", "dsl")
    assert status == 0
    assert out == EVERY_KEY_DSL.read_text(encoding="utf-8"), (
        "tests/dsl/every-key.pol is the DSL form of tests/fixtures/every-key.policy.yaml; after changing the fixture, "
        "regenerate it: policyc convert tests/fixtures/every-key.policy.yaml --to dsl -o tests/dsl/every-key.pol"
    )


def test_convert_there_and_back_gives_the_same_policy(tmp_path, capsys):
    as_dsl, back = tmp_path / "policy.pol", tmp_path / "policy.policy.yaml"
    assert run(capsys, "convert", str(EVERY_KEY_YAML), "--to", "dsl", "-o", str(as_dsl))[0] == 0
    assert run(capsys, "convert", str(as_dsl), "--to", "yaml", "-o", str(back))[0] == 0
    assert read_policy(back).policy == read_policy(as_dsl).policy == read_policy(EVERY_KEY_YAML).policy


def test_convert_refuses_an_output_name_of_the_other_language(tmp_path, capsys):
    status, _, err = run(capsys, "convert", str(EVERY_KEY_YAML), "--to", "dsl", "-o", str(tmp_path / "policy.yaml"))
    assert status == 2 and "name it as a `.pol` file" in err
    assert not (tmp_path / "policy.yaml").exists()


def test_convert_reports_why_a_file_cannot_be_converted(tmp_path, capsys):
    path = tmp_path / "broken.pol"
    path.write_text("policyc 1\nteam support {\n  calendar\n}\n", encoding="utf-8")
    status, out, err = run(capsys, "convert", str(path), "--to", "yaml")
    assert status == 2 and out == ""
    assert "error[PC010]: `calendar` needs a value" in err
    status, out, err = run(capsys, "convert", str(tmp_path / "missing.pol"), "--to", "yaml")
    assert status == 2 and "error[PC001]" in err


YAML_EXAMPLES = sorted((ROOT / "examples").glob("*/policy.yaml"))


# The policies we ship are formatted; the playbooks as written
# (`as-written.policy.yaml`) keep the layout of the playbook.
SHIPPED_EXAMPLES = sorted([*YAML_EXAMPLES, *(ROOT / "examples").glob("*/policy.pol")])


@pytest.mark.parametrize("path", SHIPPED_EXAMPLES, ids=[str(p.relative_to(ROOT / "examples")) for p in SHIPPED_EXAMPLES])
def test_every_shipped_example_is_formatted(path, capsys):
    status, diff, _ = run(capsys, "fmt", "--check", str(path))
    assert (status, diff) == (0, ""), f"run `policyc fmt {path.relative_to(ROOT)}` and review the diff:\n{diff}"


@pytest.mark.parametrize("path", YAML_EXAMPLES, ids=[p.parent.name for p in YAML_EXAMPLES])
def test_formatting_a_yaml_example_keeps_its_policy_and_comments_and_is_idempotent(path, tmp_path, capsys):
    copy = tmp_path / "policy.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert run(capsys, "fmt", str(copy))[0] == 0
    formatted = copy.read_text(encoding="utf-8")
    assert read_policy(copy).policy == read_policy(path).policy
    comments = [line.split("#", 1)[1] for line in path.read_text(encoding="utf-8").splitlines() if "#" in line]
    assert sorted(comments) == sorted(line.split("#", 1)[1] for line in formatted.splitlines() if "#" in line)
    assert run(capsys, "fmt", "--check", str(copy))[:2] == (0, "")


def test_outputs_are_the_same_for_any_hash_seed():
    import os
    import subprocess
    import sys

    commands = [
        ["convert", str(EVERY_KEY_YAML), "--to", "dsl"],
        ["convert", str(EVERY_KEY_DSL), "--to", "yaml"],
        ["check", str(ROOT / "tests" / "dsl" / "errors" / "words-and-lists.pol")],
    ]
    for command in commands:
        outputs = set()
        for seed in ("0", "1", "4242"):
            done = subprocess.run(
                [sys.executable, "-c", "from policyc.cli import run; run()", *command],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
            )
            outputs.add((done.returncode, done.stdout))
        assert len(outputs) == 1, command
        (status, out), = outputs
        assert status in (0, 2) and out.strip(), command
