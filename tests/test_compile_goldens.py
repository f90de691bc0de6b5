"""Golden files: what every target makes of every example policy (and of the fixture
that uses every key of the language), byte for byte.

A change in output fails here with a diff until the golden files are rewritten on
purpose, with `POLICYC_UPDATE_GOLDENS=1 pytest tests/test_compile_goldens.py` (or
`pytest --update-goldens` where the suite's conftest offers that option), and the diff
reviewed like any other change. The DOCX golden is its readable outline (styles, text,
table rows); its bytes are checked for reproducibility elsewhere.
"""

from __future__ import annotations

import difflib
import io
import os
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

import policyc
from policyc.backends import TARGETS

GOLDENS = ROOT / "tests" / "goldens" / "compile"

# The fixture that uses every key of the language accepts its targets' losses on the
# command line (`--allow-lossy`); the example policies accept theirs in the policy
# itself (`suppress:` with the reason), so they compile with no options at all.
ACCEPTED_LOSSES: dict[str, tuple[str, ...]] = {
    "every-key": ("PC951", "PC953", "PC954", "PC955", "PC959", "PC960"),
}


def policies() -> dict[str, Path]:
    found = {"every-key": ROOT / "tests" / "fixtures" / "every-key.policy.yaml"}
    for path in sorted(EXAMPLES.glob("*/policy.yaml")):
        found[path.parent.name] = path
    return found


POLICIES = policies()
CASES = [(name, target) for name in POLICIES for target in TARGETS]


def updating(request: pytest.FixtureRequest) -> bool:
    return bool(os.environ.get("POLICYC_UPDATE_GOLDENS")) or bool(request.config.getoption("--update-goldens", default=False))


def docx_outline(data: bytes) -> str:
    """A DOCX as reviewable text: each paragraph with its style, each table row."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = next(p for p in document.paragraphs if p._p is child)
            if paragraph.text:
                lines.append(f"[{paragraph.style.name}] {paragraph.text}")
        elif tag == "tbl":
            table = next(t for t in document.tables if t._tbl is child)
            lines += ["| " + " | ".join(cell.text for cell in row.cells) + " |" for row in table.rows]
    properties = document.core_properties
    lines.append(f"[properties] title={properties.title!r} keywords={properties.keywords!r} created={properties.created.isoformat()}")
    return "\n".join(lines) + "\n"


def golden_files(files: dict[str, bytes]) -> dict[str, bytes]:
    shown = {}
    for name, content in files.items():
        if name.endswith(".docx"):
            shown[name + ".txt"] = docx_outline(content).encode()
        else:
            shown[name] = content
    return shown


@pytest.mark.parametrize(("name", "target"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_output_matches_the_golden_files(name: str, target: str, request):
    result = policyc.compile(POLICIES[name], targets=[target], allow_lossy=ACCEPTED_LOSSES.get(name, ()))
    actual = golden_files(result.files)
    folder = GOLDENS / name
    on_disk = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted((folder / target).rglob("*"))
        if path.is_file()
    }
    if updating(request):
        for stale in set(on_disk) - set(actual):
            (folder / stale).unlink()
        for relative, content in actual.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != content:
                path.write_bytes(content)
        return
    assert sorted(on_disk) == sorted(actual), (
        f"golden files of {name}/{target} differ in which files exist; "
        "rewrite them with POLICYC_UPDATE_GOLDENS=1 and review the diff"
    )
    for relative, content in actual.items():
        if on_disk[relative] != content:
            diff = "".join(
                difflib.unified_diff(
                    on_disk[relative].decode("utf-8", "replace").splitlines(keepends=True),
                    content.decode("utf-8", "replace").splitlines(keepends=True),
                    f"{relative} (golden)",
                    f"{relative} (compiled)",
                    n=2,
                )
            )
            pytest.fail(
                f"{name}: {relative} differs from its golden file; if the change is intended, rewrite it with "
                f"POLICYC_UPDATE_GOLDENS=1 and review the diff\n{diff[:6000]}",
                pytrace=False,
            )


@pytest.mark.parametrize("name", list(POLICIES), ids=list(POLICIES))
def test_contract_states_every_promised_target(name: str):
    from test_backend_contract import assert_contract_states_every_promise

    files = policyc.compile(POLICIES[name], targets=["contract"]).files
    assert_contract_states_every_promise(POLICIES[name], files)


def test_every_golden_folder_belongs_to_a_policy():
    if GOLDENS.is_dir():
        assert sorted(p.name for p in GOLDENS.iterdir()) == sorted(POLICIES)
