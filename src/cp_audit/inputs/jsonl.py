"""JSON Lines files (`.jsonl`): one case record (a JSON object) a line.

- Each line follows the JSON rules (`inputs.json`) and is read on its own: a
  bad line is a problem at its line ("line 3, column 7"), and the other lines
  are still read. Blank lines are skipped.
- The size limit (`Limits.json_bytes`) is per line, not per file: a line over
  it is measured a megabyte at a time, never held in memory, and reported.
- A big file is cut at line ends into parts (`parts`) that several processes
  read; every part's problems give the file's own line numbers.
- A file of blank lines holds no case record (`NO_RECORD`). Read in parts, no
  part can tell: the run says it once the parts are gathered.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any, ClassVar

from cp_audit.inputs.interface import (
    DEFAULT_LIMITS,
    MB,
    NO_RECORD,
    FileResult,
    Limits,
    Part,
    RawRecord,
    Reader,
    Unreadable,
)
from cp_audit.inputs.json import case_id_values, json_loads
from cp_audit.inputs.reading import decode, file_reason, not_a_record, size_text, unreadable
from cp_audit.results import Problem


class JsonLinesReader(Reader):
    suffixes: ClassVar[tuple[str, ...]] = (".jsonl",)

    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        try:
            return _read(path, limits, part)
        except OSError as exc:
            return unreadable(path, file_reason(path, exc))

    def parts(self, path: str, part_bytes: int) -> list[Part] | None:
        """Cut a big file at line ends into parts of about `part_bytes`; None when it is
        small or cannot be read (`read` then reports it whole)."""
        try:
            return _cut(path, part_bytes)
        except OSError:
            return None

    def quick_case_ids(
        self, path: str, part: Part | None, limits: Limits = DEFAULT_LIMITS
    ) -> list[Any]:
        """The lines parsed the quick way (no duplicate-key check, no decoding first)."""
        with open(path, "rb") as handle:
            start, end, first = (part.start, part.end, part.first_line) if part else (0, None, 1)
            handle.seek(start)
            return case_id_values(
                json.loads(line)
                for _, _, line in _lines(handle, limits.json_bytes, end, first)
                if line is not None and line.strip()
            )


def _read(path: str, limits: Limits, part: Part | None) -> FileResult:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    with open(path, "rb") as handle:
        lines = _lines(handle, limits.json_bytes)
        if part is not None:
            handle.seek(part.start)
            lines = _lines(handle, limits.json_bytes, part.end, part.first_line)
        for number, offset, line in lines:
            place = f"line {number}"
            try:
                if line is None:
                    raise Unreadable(
                        f"the line is over the {size_text(limits.json_bytes)} limit: not read"
                    )
                text = decode(line, number).rstrip("\r\n")
                if not text.strip():
                    continue
                value = json_loads(text, line)
            except Unreadable as exc:
                where = _line_location(place, exc.location)
                problems.append(Problem(exc.message, file=path, files=(path,), location=where))
                continue
            if isinstance(value, dict):
                records.append(RawRecord(path, place, value, offset=offset))
            else:
                problems.append(not_a_record(path, place, value))
    if not records and not problems and part is None:
        return unreadable(path, NO_RECORD)
    return FileResult(path, tuple(records), tuple(problems), unreadable=not records)


def _line_location(place: str, location: str | None) -> str:
    """`line 3` and a JSON error's `line 1, column 7` -> `line 3, column 7`."""
    if location and ", column " in location:
        return f"{place}, column {location.split(', column ')[1]}"
    return place


def _lines(
    handle: Any, limit: int, end: int | None = None, first: int = 1
) -> Iterator[tuple[int, int, bytes | None]]:
    """Numbered lines and their byte offsets, up to byte `end`; None for a line over `limit`
    bytes (its line end not counted). A long line is measured a megabyte at a time before it
    is read, so a line over the limit is never held in memory."""
    number = first - 1
    while end is None or handle.tell() < end:
        start = handle.tell()
        line: bytes = handle.readline(MB)
        if not line:
            return
        number += 1
        length, last = len(line), line
        while not last.endswith(b"\n") and (last := handle.readline(MB)):
            length += len(last)
        if length - last.endswith(b"\n") > limit:
            yield number, start, None
            continue
        if length != len(line):  # measured in pieces: now read it whole
            handle.seek(start)
            line = handle.read(length)
        yield number, start, line


def _cut(path: str, part_bytes: int) -> list[Part] | None:
    size = os.stat(path).st_size
    if size <= part_bytes:
        return None
    parts: list[Part] = []
    start, line = 0, 1
    with open(path, "rb") as handle:
        while start < size:
            end = _line_end_after(handle, start + part_bytes, size)
            handle.seek(start)
            # Counted so that every part's problems give the file's own line numbers.
            lines = _count_newlines(handle, end - start)
            parts.append(Part(start, end, line))
            start, line = end, line + lines
    return parts


def _line_end_after(handle: Any, position: int, size: int) -> int:
    """The offset just after the first line end at or after `position` (or the file's end)."""
    if position >= size:
        return size
    handle.seek(position)
    while block := handle.readline(MB):  # by the megabyte: a line may be huge
        if block.endswith(b"\n"):
            break
    end: int = handle.tell()
    return min(end, size)


def _count_newlines(handle: Any, length: int) -> int:
    count = 0
    while length > 0:
        block = handle.read(min(length, 16 * MB))
        if not block:
            break
        count += block.count(b"\n")
        length -= len(block)
    return count
