"""Shared test fixtures: the repository's paths and the `../shared` folder beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The product's shared folder (vendor schemas, playbooks); skips when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: vendor schemas and playbooks are not available in this checkout")
    return SHARED
