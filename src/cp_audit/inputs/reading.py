"""What the readers share: bytes read within a size limit, UTF-8 text, documents to records.

- A file over its format's size limit is rejected without being read: its
  size is checked before it is opened and again as it is read (a file that
  grows, or reports no size, is never read past the limit).
- Text is UTF-8; a byte-order mark is tolerated. UTF-16 (told by its
  byte-order mark, or by NUL bytes, which no text file holds) is named as
  such, with the advice to save the file as UTF-8.
- A document holds one case record (a mapping) or a list of them; anything
  else, at the top or in the list, is a problem at its place (`[2]`).
- A file that gives neither a record nor a problem is itself a problem
  (`NO_RECORD`): a failed export often looks like that.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from cp_audit.case.values import kind_of
from cp_audit.case.values import short as short  # the one cut, used by the readers
from cp_audit.inputs.interface import MB, NO_RECORD, FileResult, RawRecord, Unreadable
from cp_audit.results import Problem

SAVE_AS_UTF8 = "save it as UTF-8"

Found = tuple[list[RawRecord], list[Problem]]  # a file's records and its problems


def read_whole(path: str, records: Callable[[], Found]) -> FileResult:
    """A whole file read by `records`, its errors made problems; never raises."""
    try:
        found, problems = records()
    except Unreadable as exc:
        return unreadable(path, exc.message, exc.location)
    except OSError as exc:
        return unreadable(path, file_reason(path, exc))
    if not found and not problems:
        return unreadable(path, NO_RECORD)
    return FileResult(path, tuple(found), tuple(problems), unreadable=not found)


def unreadable(path: str, message: str, location: str | None = None) -> FileResult:
    problem = Problem(message, file=path, files=(path,), location=location)
    return FileResult(path, (), (problem,), unreadable=True)


def read_bytes(path: str, limit: int, kind: str) -> bytes:
    """The file's bytes, its size checked before it is opened and again as it is read."""
    size = _check_size(path, limit, kind)
    with open(path, "rb") as handle:
        # Asked for the size it has (and a byte more, to see it grow): asked for the
        # limit, Python makes a buffer of the limit, 50 MB, for every file.
        data: bytes = handle.read(size + 1)
        if len(data) > size:  # it grew, or gives no size: read on, up to the limit
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise Unreadable(f"the file is over the {size_text(limit)} limit for a {kind} file: "
                         "not read")
    return data


def _check_size(path: str, limit: int, kind: str) -> int:
    """The file's size, if within `limit`."""
    size = os.stat(path).st_size
    if size > limit:
        hint = " (large batches belong in JSON Lines)" if kind != "JSON Lines" else ""
        shown, over = sizes(size, limit)
        raise Unreadable(
            f"the file is {shown}, over the {over} limit for a {kind} file: not read{hint}"
        )
    return size


def size_text(size: int) -> str:
    """`52428800` -> `50 MB`, `2048` -> `2 KB`, `12` -> `12 bytes`."""
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(f".0 {unit}", f" {unit}")
    return "1 byte" if size == 1 else f"{size} bytes"


def sizes(size: int, limit: int) -> tuple[str, str]:
    """A size and the limit it is over, in bytes where rounding would show them equal."""
    shown, over = size_text(size), size_text(limit)
    if shown == over:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return shown, over


def decode(data: bytes, line: int | None = None) -> str:
    """UTF-8 text (a byte-order mark dropped); `line`: the line the bytes are, if one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable(f"not UTF-8 text: it is UTF-16 ({SAVE_AS_UTF8})", f"line {line or 1}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        number = line or data.count(b"\n", 0, exc.start) + 1
        raise Unreadable("not UTF-8 text", f"line {number}") from None
    if "\0" in text:  # valid UTF-8, but no text file holds NUL: UTF-16, or binary data
        number = line or data.count(b"\n", 0, data.index(b"\0")) + 1
        raise Unreadable(
            f"not UTF-8 text: it holds NUL bytes (UTF-16, or not text at all; {SAVE_AS_UTF8})",
            f"line {number}",
        )
    return text


def split(document: Any, path: str, place: str) -> Found:
    """One document: a case record (a mapping) or a list of them."""
    if document is None:
        return [], []
    if isinstance(document, dict):
        return [RawRecord(path, place, document)], []
    if not isinstance(document, list):
        return [], [not_a_record(path, place, document)]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for index, item in enumerate(document):
        where = ", ".join(part for part in (place, f"[{index}]") if part)
        if isinstance(item, dict):
            records.append(RawRecord(path, where, item))
        else:
            problems.append(not_a_record(path, where, item))
    return records, problems


def not_a_record(path: str, place: str, value: Any) -> Problem:
    return Problem(
        f"a case record must be a mapping (an object), not {_a(kind_of(value))}",
        file=path, files=(path,), location=place or None,
    )


def _a(kind: str) -> str:
    return kind if kind == "null" else f"a {kind}"


def file_reason(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return "cannot read the file: a link to nothing (its target does not exist)"
    return os_reason(exc, "file")


def os_reason(exc: OSError, what: str) -> str:
    """Why a path, folder or file cannot be read, in words."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder" if what == "path" else f"cannot read the {what}: not found"
    if isinstance(exc, PermissionError):
        return f"cannot read the {what}: permission denied"
    return f"cannot read the {what}: {exc.strerror or type(exc).__name__}"
