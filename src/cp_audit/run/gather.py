"""Gathering what the workers send back (`WorkDone`) into the run's result: the spool of
prepared cases, the problems in a stable order, the books (`Counts`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cp_audit.inputs import discovery
from cp_audit.inputs.interface import NO_RECORD
from cp_audit.results import Counts, Problem, RunResult, StandardsInfo, Unattributed
from cp_audit.run.choice import missing
from cp_audit.run.interface import AuditRequest, OnCase, Work, WorkDone
from cp_audit.run.spool import CaseSpool
from cp_audit.standards.spec import Standards


class Gathered:
    """What the workers sent back, as it comes. A national run gathers 50,000 cases: what
    is kept of each is a few words, and the files are known by their work items (`work`,
    the run's list), not by a copy of their paths for each case."""

    def __init__(
        self, request: AuditRequest, work: Sequence[Work], on_case: OnCase | None = None
    ) -> None:
        preparer = request.preparer
        self.checking, self.on_case = request.standards is not None, on_case
        self.work = work
        self.left_out: set[str] = set()
        self.spool = CaseSpool(preparer.outputs if preparer is not None else ())
        self.rejected: set[str] = set()
        self.case_problems: dict[str, list[Problem]] = {}
        self.file_problems: list[tuple[int, Problem]] = []
        self.with_records = bytearray(len(work))  # by work item: its file has records
        self.files_with_problems: set[str] = set()
        self.validated: set[str] = set()  # validate only: the valid case ids
        self.unattributed: list[tuple[int, Unattributed]] = []
        self.warnings: list[Problem] = []
        self.reader_warnings: list[tuple[int, Problem]] = []
        # Every case id -> the first work item of its unit, whose files a case read again
        # in another unit names (`_split`); a unit of more than one file keeps their paths.
        self.unit_of: dict[str, int] = {}
        self.unit_files: dict[int, tuple[str, ...]] = {}

    def add(self, done: WorkDone) -> None:
        for index, path in done.items:
            if path in done.paths_with_records:
                self.with_records[index] = 1
        self.files_with_problems.update(p.file for _, p in done.file_problems if p.file)
        self.file_problems += done.file_problems
        self.unattributed += done.unattributed
        self.warnings += done.warnings
        split = self._split(done)
        self.keep(item for item in done.results if item[0] not in split)
        self.rejected.update(done.rejected)
        self.reader_warnings += done.reader_warnings
        self.left_out.update(done.left_out)
        for problem in done.case_problems:
            assert problem.case_id is not None
            self.case_problems.setdefault(problem.case_id, []).append(problem)

    def _split(self, done: WorkDone) -> set[str]:
        """The case ids of `done` already read in an earlier unit: the first pass did not
        group all their files (a quick id scan missed one). Neither part is reported as
        the case, which would be judged on part of its records: it is rejected."""
        ids = {case_id for case_id, _ in done.results} | set(done.rejected)
        if not ids:
            return ids
        first = done.items[0][0]
        paths = self._unit_files(first, done)
        split = ids & self.unit_of.keys()
        for case_id in sorted(split):
            self.spool.discard(case_id)
            self.validated.discard(case_id)
            self.rejected.add(case_id)
            files = (*self._files_of(self.unit_of[case_id]), *paths)
            self.case_problems.setdefault(case_id, []).append(Problem(
                "its records were read in two parts of the run and could not be merged: "
                "the case is rejected rather than checked on part of its records "
                "(a fault of cp-audit: please report it)",
                files=tuple(dict.fromkeys(files)), case_id=case_id,
            ))
        if split:  # a rejected case has no data warnings
            self.warnings = [w for w in self.warnings if w.case_id not in split]
        for case_id in ids - split:
            self.unit_of[case_id] = first
        return split

    def _unit_files(self, first: int, done: WorkDone) -> tuple[str, ...]:
        paths = tuple(dict.fromkeys(self.work[index].path for index, _ in done.items))
        if len(paths) > 1:
            self.unit_files[first] = paths
        return paths

    def _files_of(self, first: int) -> tuple[str, ...]:
        return self.unit_files.get(first) or (self.work[first].path,)

    def keep(self, results: Iterable[tuple[str, Any]]) -> None:
        for case_id, prepared in results:
            if self.checking:
                self.spool.add(case_id, prepared)
                continue
            self.validated.add(case_id)
            if self.on_case is not None:
                self.on_case(case_id, prepared)

    @property
    def loaded(self) -> int:
        return len(self.spool) + len(self.validated)

    def problems(self) -> list[Problem]:
        """Problems of files in the order read, then problems of cases in case id order."""
        ordered = [p for _, p in sorted(self.file_problems, key=lambda item: item[0])]
        for case_id in sorted(self.case_problems):
            ordered += self.case_problems[case_id]
        return ordered

    def unreadable_files(self) -> int:
        """Files from which not one record could be read."""
        problems = self.files_with_problems
        read = {path for path, records in self.files() if records and path in problems}
        return len(problems - read)

    def files(self) -> Iterator[tuple[str, bool]]:
        """Each file read, once, in the order read, and whether any record was read from
        it (a file's parts are consecutive work items)."""
        path, records = None, False
        for item in self.work:
            if item.path != path:
                if path is not None:
                    yield path, records
                path, records = item.path, False
            records = records or bool(self.with_records[item.index])
        if path is not None:
            yield path, records


def _no_record_problems(gathered: Gathered) -> list[Problem]:
    """A JSON Lines file read in parts, with not one record nor problem in any part."""
    return [
        Problem(NO_RECORD, file=path, files=(path,))
        for path, records in gathered.files()
        if not records and path not in gathered.files_with_problems
    ]


def run_result(
    request: AuditRequest, found: discovery.Discovered, gathered: Gathered
) -> RunResult:
    silent = _no_record_problems(gathered)
    gathered.files_with_problems.update(p.file for p in silent if p.file)
    problems = [*found.problems, *gathered.problems(), *silent]
    if request.choice is not None:
        in_run = {*gathered.spool.case_ids, *gathered.validated, *gathered.rejected}
        problems += missing(request.choice, in_run)
    unattributed = _all_unattributed(found.problems, gathered, silent)
    counts = Counts(
        files_found=len(found.files) + len(found.skipped),
        files_read=len(found.files),
        files_skipped=len(found.skipped),
        files_rejected=gathered.unreadable_files(),
        cases_loaded=gathered.loaded,
        cases_rejected=len(gathered.rejected),
        cases_left_out=len(gathered.left_out),
        records_unattributed=sum(not entry.unreadable for entry in unattributed),
        inputs_unreadable=sum(entry.unreadable for entry in unattributed),
    )
    standards = request.standards
    return RunResult(
        standards=standards_info(standards) if standards else StandardsInfo("", "", "", ""),
        as_of=request.as_of,
        cases=gathered.spool,
        problems=tuple(problems),
        counts=counts,
        skipped=tuple(found.skipped),
        rules=tuple(rule.id for rule in request.rules),
        incomplete=any(problem.case_id is None for problem in problems),
        unattributed=unattributed,
        # The readers' in the order read, then the cases' in case id order (sorted, stably,
        # so that they are in the same order whatever the jobs).
        warnings=(
            *(w for _, w in sorted(gathered.reader_warnings, key=lambda item: item[0])),
            *sorted(gathered.warnings, key=lambda p: p.case_id or ""),
        ),
    )


def _all_unattributed(
    found: Sequence[Problem], gathered: Gathered, silent: Sequence[Problem]
) -> tuple[Unattributed, ...]:
    """Every input that names no case, in the order of the problems: a path that could
    not be listed, the files and parts in the order read, a JSON Lines file with nothing."""
    read = [entry for _, entry in sorted(gathered.unattributed, key=lambda item: item[0])]
    return (
        *(Unattributed(p.file or "", location=p.location, unreadable=True) for p in found),
        *read,
        *(Unattributed(p.file or "", unreadable=True) for p in silent),
    )


def standards_info(standards: Standards) -> StandardsInfo:
    return StandardsInfo(
        name=standards.spec.name,
        version=standards.spec.version,
        sha256=standards.sha256,
        path=standards.path,
    )


