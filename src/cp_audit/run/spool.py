"""The checked cases, kept on disk as the report reads them, in case id order.

A national batch run checks about 50,000 children; their report sections,
evidence included, would take hundreds of megabytes in memory. For each case
the spool keeps, pickled in an anonymous temporary file, what the process that
checked it prepared for the report (`report.prepare.Preparer`): its section,
its chunk of each document being written, and its survey row (the few words
the report's heading and lists need of it). Only their places stay in memory;
the report reads them back one at a time, as often as it needs.

Nothing else of a case is kept: the report is all that reads the cases.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, overload

if TYPE_CHECKING:  # what the report makes and reads; the spool only stores it
    from cp_audit.report.content import CaseSection, SurveyRow
    from cp_audit.report.interface import Output


_WRITE_BYTES = 1 << 20  # the cases are written a megabyte at a time


class PreparedCase(NamedTuple):
    """One case as the report reads it, each part pickled."""

    section: bytes  # its CaseSection
    chunks: bytes  # its chunk of each of the spool's outputs (a tuple, in their order)
    row: bytes  # its SurveyRow


class CaseSpool(Sequence["CaseSection"]):
    """The cases' report sections by case id, in case id order. A case id is added once
    (the run rejects a case that comes from two units, `run.gather.Gathered`). `outputs`
    are the documents (a format and its render options) whose chunk of each case was
    prepared with it."""

    def __init__(self, outputs: Iterable[Output] = ()) -> None:
        self.outputs: tuple[Output, ...] = tuple(outputs)
        # Kept open for the spool's life; the system removes it when it is closed. The
        # cases are appended through a buffer of a megabyte (a system write for each case
        # cost twice as much), and each part is read back by one `pread` of its own bytes,
        # which leaves the file's position at its end for the next case (a seek and a
        # read would fill 8 KB of the buffer for each).
        self._file = tempfile.TemporaryFile(  # noqa: SIM115
            prefix="cp-audit-", buffering=_WRITE_BYTES
        )
        self._end = 0
        # Each case's number, and in `_places` from four times it: the offset of its bytes
        # and the lengths of its section, chunks and row. Plain numbers in one array, not
        # a tuple of four int objects a case: 50,000 cases' places take 1.6 MB, not 10 MB.
        self._where: dict[str, int] = {}
        self._places = array("q")
        self._order: list[str] | None = None

    def add(self, case_id: str, prepared: PreparedCase) -> None:
        """A case as prepared (by a worker process, or by this one), written as it is."""
        section, chunks, row = (len(part) for part in prepared)
        for part in prepared:
            self._file.write(part)
        self._where[case_id] = len(self._places) // 4
        self._places.extend((self._end, section, chunks, row))
        self._end += section + chunks + row
        self._order = None

    def _read(self, offset: int, size: int) -> bytes:
        self._file.flush()  # what the buffer holds (nothing, once the run is gathered)
        # A regular file gives every byte asked for before its end: one call.
        return os.pread(self._file.fileno(), size, offset)

    def _place(self, case_id: str) -> tuple[int, int, int, int]:
        """The case's offset, and the lengths of its section, chunks and row."""
        at = self._where[case_id] * 4
        offset, section, chunks, row = self._places[at:at + 4]
        return offset, section, chunks, row

    def discard(self, case_id: str) -> None:
        """The case is not in the report (its bytes stay in the file, unread)."""
        if self._where.pop(case_id, None) is not None:
            self._order = None

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._where

    def __len__(self) -> int:
        return len(self._where)

    @property
    def case_ids(self) -> list[str]:
        if self._order is None:
            self._order = sorted(self._where)
        return self._order

    def section(self, case_id: str) -> CaseSection:
        offset, section, _, _ = self._place(case_id)
        read: CaseSection = pickle.loads(self._read(offset, section))
        return read

    def row(self, case_id: str) -> SurveyRow:
        offset, section, chunks, row = self._place(case_id)
        read: SurveyRow = pickle.loads(self._read(offset + section + chunks, row))
        return read

    def rows(self) -> Iterator[SurveyRow]:
        """Each case's survey row, in case id order."""
        return map(self.row, list(self.case_ids))

    def chunks(self, output: Output) -> Iterator[str] | None:
        """Each case's chunk of the document `output` (a format and its render options),
        in case id order; None when they were not prepared for that output."""
        if output not in self.outputs:
            return None
        number = self.outputs.index(output)
        return (self._chunks(case_id)[number] for case_id in list(self.case_ids))

    def _chunks(self, case_id: str) -> tuple[str, ...]:
        offset, section, chunks, _ = self._place(case_id)
        read: tuple[str, ...] = pickle.loads(self._read(offset + section, chunks))
        return read

    @overload
    def __getitem__(self, index: int) -> CaseSection: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CaseSection]: ...

    def __getitem__(self, index: int | slice) -> CaseSection | Sequence[CaseSection]:
        if isinstance(index, slice):
            return [self.section(case_id) for case_id in self.case_ids[index]]
        return self.section(self.case_ids[index])

    def __iter__(self) -> Iterator[CaseSection]:
        return map(self.section, list(self.case_ids))

    def close(self) -> None:
        self._file.close()
