"""Case results kept on disk, not in memory, and read back in case id order.

A national batch run checks about 50,000 children; their results, evidence
included, would take hundreds of megabytes in memory. The run keeps each case's
result pickled in an anonymous temporary file and only its place in memory;
the reports then read the cases back one at a time, as often as they need.

Beside each result the spool can keep what the worker that checked the case
made ahead for the report (`report.prepared`): its section, its part of each
document being written, and the few words the report's lists need of it, so
that the parent, alone after the workers, only reads them back and writes.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any, overload

from cp_audit.results import CaseResult


class CaseSpool(Sequence[CaseResult]):
    """Case results by case id; a later result for the same case id replaces the earlier."""

    def __init__(self) -> None:
        # Kept open for the spool's life; the system removes it when it is closed.
        self._file = tempfile.TemporaryFile(prefix="cp-audit-")  # noqa: SIM115
        self._end = 0
        # case id -> (offset, length of the result, lengths of what was prepared: the
        # section, the chunks, the survey row)
        self._where: dict[str, tuple[int, int, tuple[int, ...]]] = {}
        self._order: list[str] | None = None

    def add(self, result: CaseResult) -> None:
        self.add_pickled(result.case_id, pickle.dumps(result, pickle.HIGHEST_PROTOCOL))

    def add_pickled(self, case_id: str, data: bytes, prepared: tuple[bytes, ...] = ()) -> None:
        """A result already pickled (by a worker process), and what was prepared for the
        report (pickled: its section, chunks and survey row) if anything was: written as
        they are."""
        self._file.seek(self._end)
        self._file.write(data + b"".join(prepared))
        self._where[case_id] = (self._end, len(data), tuple(map(len, prepared)))
        self._end += len(data) + sum(map(len, prepared))
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

    def _read(self, case_id: str) -> CaseResult:
        offset, length, _ = self._where[case_id]
        self._file.seek(offset)
        result: CaseResult = pickle.loads(self._file.read(length))
        return result

    def read_prepared(self, case_id: str, number: int) -> Any:
        """The case's `number`th prepared item (0: its section), unpickled; None if none."""
        offset, length, prepared = self._where[case_id]
        if number >= len(prepared) or not prepared[number]:
            return None
        self._file.seek(offset + length + sum(prepared[:number]))
        return pickle.loads(self._file.read(prepared[number]))

    def all_prepared(self) -> bool:
        """Every case has a prepared section (none has when the run prepared none)."""
        return all(prepared and prepared[0] for _, _, prepared in self._where.values())

    @overload
    def __getitem__(self, index: int) -> CaseResult: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CaseResult]: ...

    def __getitem__(self, index: int | slice) -> CaseResult | Sequence[CaseResult]:
        if isinstance(index, slice):
            return [self._read(case_id) for case_id in self.case_ids[index]]
        return self._read(self.case_ids[index])

    def __iter__(self) -> Iterator[CaseResult]:
        for case_id in list(self.case_ids):
            yield self._read(case_id)

    def close(self) -> None:
        self._file.close()
