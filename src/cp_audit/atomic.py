"""Files written safely: to a temporary file beside the destination, then renamed into
place, so that a reader (a browser, a scheduled copy, a crash) sees either the old file
or the whole new one. Reports (`cli.outputs`), `cp-audit.yaml` (`sample --write`) and
`meeting.yaml` (`moderate`) are all written this way."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class WriteError(Exception):
    """A file that cannot be written; the message names it and says why."""


def write_atomic(path: Path, chunks: Iterable[str] | bytes, *, mode: int | None = None) -> None:
    """Write the chunks as UTF-8 (or the bytes as they are: a Word document) to a
    temporary file, then rename it to `path`; `mode`: the file's permissions (default:
    the user's usual mode for a new file)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        if isinstance(chunks, bytes):
            with open(handle, "wb") as binary:
                binary.write(chunks)
        else:
            # newline="": the writers choose their line endings (CSV's are \r\n).
            with open(handle, "w", encoding="utf-8", newline="") as stream:
                for chunk in chunks:
                    stream.write(chunk)
        os.chmod(temporary, 0o666 & ~_umask() if mode is None else mode)
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise WriteError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        _remove(temporary)
        raise


def _umask() -> int:
    # mkstemp creates the file 0600; a new file should get the user's usual mode.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
