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
