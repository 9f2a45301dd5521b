"""Case results kept on disk, not in memory, and read back in case id order.

A national batch run checks about 50,000 children; their results, evidence
included, would take hundreds of megabytes in memory. The run keeps each case's
result pickled in an anonymous temporary file and only its place in memory;
the reports then read the cases back one at a time, as often as they need.

Beside each result the spool can keep the case's report section made ahead by
the worker that checked it (`report.prepared`), so that the parent, alone
after the workers, only reads sections back and writes them out.
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
        # case id -> (offset, lengths of the result, of the prepared section, of its chunks)
        self._where: dict[str, tuple[int, int, int, int]] = {}
        self._order: list[str] | None = None

    def add(self, result: CaseResult) -> None:
        self.add_pickled(result.case_id, pickle.dumps(result, pickle.HIGHEST_PROTOCOL))

    def add_pickled(
        self, case_id: str, data: bytes, prepared: tuple[bytes, bytes] = (b"", b"")
    ) -> None:
        """A result already pickled (by a worker process), and its prepared report section
        and chunks (pickled) if it has them: written as they are."""
        section, line = prepared
        self._file.seek(self._end)
        self._file.write(data + section + line)
        self._where[case_id] = (self._end, len(data), len(section), len(line))
        self._end += len(data) + len(section) + len(line)
        self._order = None

    def discard(self, case_id: str) -> None:
        self._where.pop(case_id, None)
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
        offset, length, _, _ = self._where[case_id]
        self._file.seek(offset)
        result: CaseResult = pickle.loads(self._file.read(length))
        return result

    def read_section(self, case_id: str) -> Any:
        """The case's prepared section, unpickled."""
        offset, length, section, _ = self._where[case_id]
        self._file.seek(offset + length)
        return pickle.loads(self._file.read(section))

    def read_chunks(self, case_id: str) -> dict[Any, str]:
        """The case's prepared chunks of documents, by output (none when none was made)."""
        offset, length, section, chunks = self._where[case_id]
        if not chunks:
            return {}
        self._file.seek(offset + length + section)
        made: dict[Any, str] = pickle.loads(self._file.read(chunks))
        return made

    def all_prepared(self) -> bool:
        """Every case has a prepared section (none has when the run prepared none)."""
        return all(section for _, _, section, _ in self._where.values())

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
