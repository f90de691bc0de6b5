"""Shared test fixtures: the repository's paths, the `../shared` folder beside it, golden
files, and a way to run the `policyc` command line in-process."""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: CI runs a fixed sequence of examples (a red build is reproducible);
# `HYPOTHESIS_PROFILE=thorough pytest` searches much longer. No deadlines: CI
# machines are slower than laptops, and a slow example is not a wrong one.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.register_profile("thorough", deadline=None, max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SNAPSHOTS = ROOT / "tests" / "snapshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files with the current output instead of comparing against them",
    )


@pytest.fixture
def shared() -> Path:
    """The product's shared folder (vendor schemas, playbooks); skips when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: vendor schemas and playbooks are not available in this checkout")
    return SHARED


class Golden:
    """Compares text with a golden file, byte for byte; `pytest --update-goldens`
    rewrites the file instead (and the test passes), so a change in output is always
    a reviewed diff in the golden file, never a silent one."""

    def __init__(self, directory: Path, update: bool):
        self.directory = directory
        self.update = update

    def check(self, name: str, text: str) -> None:
        path = self.directory / name
        actual = text.encode("utf-8")
        if self.update:
            if not path.exists() or path.read_bytes() != actual:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(actual)
            return
        if not path.exists():
            pytest.fail(f"golden file {path.relative_to(ROOT)} does not exist; create it with `pytest --update-goldens`")
        expected = path.read_bytes()
        if expected != actual:
            diff = "".join(
                difflib.unified_diff(
                    expected.decode("utf-8", "backslashreplace").splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{path.relative_to(ROOT)} (golden)",
                    tofile="actual",
                )
            )
            pytest.fail(
                f"output differs from {path.relative_to(ROOT)}; if the change is intended, "
                f"run `pytest --update-goldens` and review the diff\n{diff or '(differs in line endings or trailing bytes)'}",
                pytrace=False,
            )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """`golden.check(name, text)`: `name` is a path under `tests/snapshots/`."""
    return Golden(SNAPSHOTS, request.config.getoption("--update-goldens"))


@dataclass(frozen=True)
class Outcome:
    """What one `policyc` invocation did."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    def transcript(self) -> str:
        """Args, exit code, stdout and stderr, for a CLI snapshot."""
        import shlex

        return (
            f"$ policyc {shlex.join(self.args)}\n"
            f"--- exit {self.exit_code}\n" + _block("stdout", self.stdout) + _block("stderr", self.stderr)
        )


def _block(name: str, text: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n--- (no newline at end of " + name + ")\n"
    return f"--- {name}\n{text}"


class PolicycRunner:
    """Runs `policyc.cli.main` in this process with its own stdin/stdout/stderr (not a
    terminal) and working directory: the command line as a user runs it, at the speed
    of a function call."""

    def __init__(self, cwd: Path):
        self.cwd = cwd

    def __call__(self, *args: str | Path, cwd: Path | None = None, env: dict[str, str | None] | None = None) -> Outcome:
        from click.testing import CliRunner

        from policyc.cli import main

        words = tuple(str(a) for a in args)
        # Colour and terminal settings of the machine running the tests must not leak in.
        environment = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": None, **(env or {})}
        previous = Path.cwd()
        os.chdir(cwd or self.cwd)
        try:
            with CliRunner().isolation(env=environment) as streams:
                code = main(list(words))
                sys.stdout.flush()
                sys.stderr.flush()
                out, err = streams[0].getvalue(), streams[1].getvalue()
        finally:
            os.chdir(previous)
        return Outcome(words, code, out.decode("utf-8"), err.decode("utf-8"))


@pytest.fixture
def policyc_cli(tmp_path: Path) -> PolicycRunner:
    """`policyc_cli("check", "x.yaml", cwd=...)`: runs the CLI in-process, by default in
    a fresh temporary directory; returns its `Outcome`."""
    return PolicycRunner(tmp_path)
