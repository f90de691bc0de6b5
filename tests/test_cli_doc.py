"""docs/cli.md shows real runs: every `$ policyc ...` in its console blocks is run
again here, in order, and must print what the page shows and exit as it says."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from conftest import ROOT
from doc_pages import fenced_blocks

from policyc.cli import cli

DOC = ROOT / "docs" / "cli.md"
# The page's --help samples were taken on an 80-column terminal, where click wraps
# help at 78 columns (CliRunner would otherwise force 80).
HELP_WIDTH = 78


@dataclass
class Run:
    command: str
    output: str
    exit_code: int | None


def runs(text: str) -> list[Run]:
    found: list[Run] = []
    for language, body, _ in fenced_blocks(text):
        if language != "console":
            continue
        for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            if command == "echo $?":
                found[-1].exit_code = int(output.strip())
            else:
                found.append(Run(command, output, None))
    return found


def sample_policy(text: str) -> str:
    after = text.split("Save it as `policy.yaml`:", 1)[1]
    language, body, _ = fenced_blocks(after)[0]
    assert language == "yaml"
    return body


def _jq(document: str, path: str) -> str:
    """The tiny subset of jq the page uses: `.key` and `[index]` steps."""
    value = json.loads(document)
    for key, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        value = value[key] if key else value[int(index)]
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def run(command: str) -> tuple[str, int]:
    program, *pipes = [part.strip() for part in command.split("|")]
    args = shlex.split(program)
    assert args[0] == "policyc", command
    result = CliRunner().invoke(cli, args[1:], prog_name="policyc", terminal_width=HELP_WIDTH)
    output = result.output
    for pipe in pipes:
        filter_args = shlex.split(pipe)
        if filter_args[:2] == ["head", "-n"]:
            output = "".join(output.splitlines(keepends=True)[: int(filter_args[2])])
        elif filter_args[0] == "jq":
            output = _jq(output, filter_args[1])
        else:
            raise AssertionError(f"the page pipes into `{pipe}`, which this test cannot run")
    return output, result.exit_code


TEXT = DOC.read_text(encoding="utf-8")
RUNS = runs(TEXT)


def test_page_has_runs_of_every_verb():
    verbs = {shlex.split(r.command)[1] for r in RUNS}
    assert {"check", "explain", "init", "--help"} <= verbs


def test_every_run_prints_what_the_page_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.yaml").write_text(sample_policy(TEXT), encoding="utf-8")
    for shown in RUNS:
        output, exit_code = run(shown.command)
        assert output == shown.output, f"docs/cli.md is out of date for `$ {shown.command}`"
        if shown.exit_code is not None:
            assert exit_code == shown.exit_code, f"`$ {shown.command}` exits {exit_code}, not {shown.exit_code}"


@pytest.mark.parametrize("code", [0, 1, 2, 3])
def test_exit_codes_are_documented(code):
    assert re.search(rf"^\| {code} \| ", TEXT, flags=re.MULTILINE)


def test_every_format_is_shown():
    from policyc.diagnostics.render import FORMATS

    for name in FORMATS:
        assert f"#### `{name}`" in TEXT
