"""Report files written safely: never over an input, never half-written.

A report is written to a temporary file beside its destination and renamed
into place, so a reader (a browser, a scheduled copy, a crash) sees either the
old report or the whole new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from cp_audit.inputs import CASE_EXTENSIONS


class OutputError(Exception):
    """An output file that must not or cannot be written."""


def input_clash(output: Path, inputs: Sequence[str], excluded: Iterable[Path]) -> str | None:
    """Why `output` would be an input of this run (or of the next), or None.

    An output that is one of the given files, or a case-format file under a
    given folder, would be read as a case: refuse it, unless the audit folder's
    `cp-audit.yaml` lists it among its outputs (those are never read as cases).
    """
    target = os.path.realpath(output)
    if target in {os.path.realpath(path) for path in excluded}:
        return None
    for given in inputs:
        real = os.path.realpath(given)
        if target == real:
            return f"{output}: is one of the inputs; write the report elsewhere"
        inside = os.path.isdir(real) and os.path.commonpath([real, target]) == real
        if inside and target.lower().endswith(CASE_EXTENSIONS):
            return (
                f"{output}: is under the input folder {given} and would be read as a case;"
                " write it elsewhere or list it in cp-audit.yaml's outputs"
            )
    return None


def write_atomic(path: Path, chunks: Iterable[str] | bytes) -> None:
    """Write the chunks as UTF-8 (or the bytes as they are: a Word document) to a
    temporary file, then rename it to `path`."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        if isinstance(chunks, bytes):
            with open(handle, "wb") as binary:
                binary.write(chunks)
        else:
            # newline="": the reporters choose their line endings (CSV's are \r\n).
            with open(handle, "w", encoding="utf-8", newline="") as stream:
                for chunk in chunks:
                    stream.write(chunk)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        _remove(temporary)
        raise


def _umask() -> int:
    # mkstemp creates the file 0600; a report should get the user's usual mode.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
