"""What every input format provides: the `Reader` interface and what a reader gives back.

A reader turns one file (or one part of a big file) into raw records: plain
mappings, each with its place in the file, and the file's problems. Nothing
here validates a record: that is `case.merging`'s work. A reader never raises
for bad input; every problem is a `Problem` with the file and, where known,
its place ("line 3", "document 2, [3]", "line 4, column 7").

The run asks a reader three things (`run.audit`):

- `parts(path, part_bytes)`: for a format that can be read in pieces (JSON
  Lines), where to cut a big file so that several processes read it; None
  (the default): read it whole.
- `quick_case_ids(path, part, limits)`: for the first pass of the run, which
  groups the files that hold records of the same child. The values given to
  `case_id` (a superset is fine), found the quickest way; None (the default)
  or an exception: the run uses `read` instead.
- `read(path, limits, part)`: the records and problems, with every check.

Which reader reads a file is chosen by the registry (`cp_audit.inputs`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from cp_audit.results import Problem

MB = 1024 * 1024
NO_RECORD = "no case record in the file (a failed export often looks like this)"


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits, in bytes, the YAML alias expansion limit, in values, and a workbook's
    rows."""

    json_bytes: int = 50 * MB  # a .json file, or one line of a .jsonl file
    yaml_bytes: int = 10 * MB  # a .yaml or .yml file
    alias_values: int = 100_000  # values that a YAML document's aliases may add
    xlsx_bytes: int = 20 * MB  # an .xlsx file, as it is on disk (a zip archive)
    xlsx_unzipped_bytes: int = 200 * MB  # the workbook's parts once unpacked: zip bombs
    xlsx_rows: int = 100_000  # rows of children in a workbook's sheet (Annex A's List 7)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One case record as read: not validated yet."""

    file: str
    place: str  # "line 3", "document 2, [3]", "[0]"; "" for a file holding one record
    data: dict[Any, Any]
    # What the reader itself found wrong in the values it read, each (location, message):
    # a CIN census child's date that is not ISO, at its element's path and line. The
    # record is then invalid with these errors, and rejected as any invalid record is.
    errors: tuple[tuple[str, str], ...] = ()
    # JSON Lines: the byte offset of the record's line, to find an error's column there
    # (`inputs.locate`); the other formats are read again from the start, only on an error.
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    records: tuple[RawRecord, ...]
    problems: tuple[Problem, ...]
    unreadable: bool  # nothing could be read from the file at all
    # Doubtful input that was read all the same (an unknown code, stray text): told, and
    # nothing rejected for it.
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    """A run of whole lines of a JSON Lines file: bytes [start, end), from line `first_line`."""

    start: int
    end: int
    first_line: int


class Unreadable(Exception):
    """The file, or one line of it, cannot be read: the message and where."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


class Reader(ABC):
    """One input format. Stateless: one instance, in the registry, serves every file."""

    # The endings of the file names it reads, lower case, dot included (".json"); a
    # name matches in any case. They also make up the message for a file skipped.
    suffixes: ClassVar[tuple[str, ...]]

    def claims(self, path: str) -> bool:
        """Whether this reader reads `path`, whose name has one of its `suffixes`.

        For formats that share a suffix and are told apart by content (two kinds
        of workbook, say): such a reader looks at the file and says whether it is
        its kind. A file it cannot open it should claim, so that `read` says why.
        """
        return True

    @abstractmethod
    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        """The raw records and problems of the file, or of one of its `parts`."""

    def parts(self, path: str, part_bytes: int) -> list[Part] | None:
        """Where to cut a big file into parts of about `part_bytes`; None: read it whole."""
        return None

    def quick_case_ids(
        self, path: str, part: Part | None, limits: Limits = DEFAULT_LIMITS
    ) -> Iterable[Any] | None:
        """The values given to `case_id` in the file or part (a superset will do), found
        without the careful checks; None, or an exception: the run calls `read`."""
        return None
