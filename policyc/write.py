"""Atomic writes: a reader (or a failed run) never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO


@contextmanager
def open_atomic(path: str | Path) -> Iterator[TextIO]:
    """A text stream that replaces `path` when the block ends normally, and leaves it
    untouched if the block fails. For output too large to hold in memory."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    with open_atomic(path) as stream:
        stream.write(text)


def _umask() -> int:
    # mkstemp creates files readable by the owner only; generated files should get the
    # permissions any other new file would.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_tree_atomic(directory: str | Path, files: dict[str, bytes], replace: tuple[str, ...]) -> None:
    """Make `directory` hold `files` (paths relative to it) in place of its top-level
    entries named in `replace`, keeping its other entries as they are.

    The new tree is built in a temporary directory beside `directory` and renamed into
    place, so a failure at any point before the rename leaves `directory` exactly as
    it was, and a reader never sees a half-written tree.
    """
    import shutil

    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".building", dir=target.parent))
    try:
        os.chmod(building, 0o777 & ~_umask())
        if target.is_dir():
            for entry in sorted(target.iterdir()):
                if entry.name not in replace:
                    copy = shutil.copytree if entry.is_dir() and not entry.is_symlink() else shutil.copy2
                    copy(entry, building / entry.name)
        for name, content in files.items():
            _write_file(building / name, content)
        _swap_into_place(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _write_file(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.chmod(path, 0o666 & ~_umask())


def _swap_into_place(building: Path, target: Path) -> None:
    import shutil

    if not target.exists():
        os.rename(building, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(retired)
    os.rename(target, retired)
    try:
        os.rename(building, target)
    except BaseException:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
