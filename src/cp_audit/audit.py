"""One audit run: find the files, read and check them in parallel, gather the results.

The run is a stream, so that a national batch fits in bounded memory:

1. `loading.discover` lists the files; a big JSON Lines file is cut into parts.
2. Each file or part is read, its records validated and merged, and its cases
   checked, in a worker process (`--jobs`); only the compact results come back,
   already pickled, and go to a `CaseSpool` on disk.
3. A child's records may lie in several files. Each part reports the case ids
   it holds; a case id met in more than one part is checked again at the end,
   from the records of just those parts, merged together, so that the outcome
   is the one `validate` gives when it reads everything at once.

Parts are read in the order of discovery and the cases are reported in case id
order, so the report is byte-for-byte the same whatever the number of jobs.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cp_audit import loading
from cp_audit.engine import check_case
from cp_audit.exitcodes import BAD_INPUT, FINDINGS, OK
from cp_audit.merging import Merged, merge_records, raw_case_id
from cp_audit.results import Counts, Problem, RunResult, StandardsInfo
from cp_audit.spool import CaseSpool
from cp_audit.standards import Rule, Standards

SMALL_RUN = 32  # files or parts: fewer are read in this process (starting workers costs more)
PART_BYTES = loading.MB  # a big JSON Lines file is read in parts of about this size


@dataclass(frozen=True)
class AuditRequest:
    paths: tuple[Path, ...]
    standards: Standards | None  # None: validate only, check nothing
    rules: tuple[Rule, ...]
    as_of: date
    exclude: frozenset[Path] = frozenset()
    show_names: bool = False
    limits: loading.Limits = field(default_factory=loading.Limits)
    jobs: int = 1


@dataclass(frozen=True, slots=True)
class Work:
    """A file, or a part of a big JSON Lines file, to read."""

    index: int
    path: str
    part: loading.Part | None = None


@dataclass(frozen=True, slots=True)
class WorkDone:
    """What a worker sends back: small, and nothing that holds a whole case."""

    index: int
    path: str
    case_ids: tuple[str, ...]  # every valid case id its records name, loaded or rejected
    results: tuple[tuple[str, bytes], ...]  # (case id, pickled CaseResult)
    rejected: tuple[str, ...]
    file_problems: tuple[Problem, ...]  # problems of the file, or of records with no case id
    case_problems: tuple[Problem, ...]
    records: int


Progress = Callable[[int, int, int], None]  # (files or parts read, of how many, cases so far)


def run_audit(request: AuditRequest, progress: Progress | None = None) -> RunResult:
    found = loading.discover([str(p) for p in request.paths], request.exclude)
    work = list(_work_items(found.files))
    gathered = _Gathered()
    for done in _run_work(request, work):
        gathered.add(done)
        if progress is not None:
            progress(done.index + 1, len(work), gathered.loaded)
    gathered.recheck(request, work)
    return _run_result(request, found, gathered)


def _work_items(files: Sequence[str]) -> Iterator[Work]:
    index = 0
    for path in files:
        parts: list[loading.Part | None] = [None]
        if path.lower().endswith(".jsonl"):
            parts = list(loading.split_json_lines(path, PART_BYTES) or parts)
        for part in parts:
            yield Work(index, path, part)
            index += 1


# ---------------------------------------------------------------------------
# The workers

_REQUEST: AuditRequest | None = None  # set in the parent before the workers fork


def _do(work: Work) -> WorkDone:
    assert _REQUEST is not None
    read = loading.parse_part(work.path, work.part, _REQUEST.limits)
    merged = merge_records(read.records)
    return WorkDone(
        index=work.index,
        path=work.path,
        case_ids=tuple(sorted({c.case_id for c in merged.cases} | set(merged.rejected))),
        results=tuple(_check_all(_REQUEST, merged)),
        rejected=tuple(merged.rejected),
        file_problems=(*read.problems, *(p for p in merged.problems if p.case_id is None)),
        case_problems=tuple(p for p in merged.problems if p.case_id is not None),
        records=len(read.records),
    )


def _check_all(request: AuditRequest, merged: Merged) -> Iterator[tuple[str, bytes]]:
    for case in merged.cases:
        if request.standards is None:  # validate: the case is valid, nothing to check
            yield case.case_id, b""
            continue
        result = check_case(
            case, request.standards, request.as_of, request.rules, show_names=request.show_names
        )
        yield case.case_id, pickle.dumps(result, pickle.HIGHEST_PROTOCOL)


def _run_work(request: AuditRequest, work: list[Work]) -> Iterator[WorkDone]:
    global _REQUEST
    _REQUEST = request
    try:
        if request.jobs <= 1 or len(work) < SMALL_RUN:
            yield from map(_do, work)
            return
        import multiprocessing

        # fork: the workers inherit the standards already loaded and validated.
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(64, len(work) // (request.jobs * 8)))
        with context.Pool(min(request.jobs, len(work))) as pool:
            yield from pool.imap(_do, work, chunksize=chunk)
    finally:
        _REQUEST = None


# ---------------------------------------------------------------------------
# Gathering


class _Gathered:
    def __init__(self) -> None:
        self.spool = CaseSpool()
        self.first_seen: dict[str, int] = {}  # case id -> the first work item naming it
        self.again: dict[str, list[int]] = {}  # case ids met in several work items
        self.rejected: set[str] = set()
        self.case_problems: dict[str, list[Problem]] = {}
        self.file_problems: list[tuple[int, Problem]] = []
        self.files_with_records: set[str] = set()
        self.files_with_problems: set[str] = set()
        self.first_index: dict[str, int] = {}  # path -> its first work item
        self.validated: set[str] = set()  # validate only: the valid case ids

    def add(self, done: WorkDone) -> None:
        self.first_index.setdefault(done.path, done.index)
        if done.records:
            self.files_with_records.add(done.path)
        if done.file_problems:
            self.files_with_problems.add(done.path)
        self.file_problems += [(done.index, p) for p in done.file_problems]
        for case_id in done.case_ids:
            first = self.first_seen.setdefault(case_id, done.index)
            if first != done.index:
                self.again.setdefault(case_id, [first]).append(done.index)
        self.keep(done.results)
        self.rejected.update(done.rejected)
        for problem in done.case_problems:
            assert problem.case_id is not None
            self.case_problems.setdefault(problem.case_id, []).append(problem)

    def recheck(self, request: AuditRequest, work: list[Work]) -> None:
        """Cases whose records lie in several files: merged from all of them, checked again."""
        if not self.again:
            return
        indexes = sorted({i for items in self.again.values() for i in items})
        wanted = set(self.again)
        records = (
            record
            for i in indexes
            for record in loading.parse_part(work[i].path, work[i].part, request.limits).records
            if raw_case_id(record.data) in wanted
        )
        merged = merge_records(records)
        for case_id in wanted:
            self.spool.discard(case_id)
            self.validated.discard(case_id)
            self.rejected.discard(case_id)
            self.case_problems.pop(case_id, None)
        self.keep(_check_all(request, merged))
        self.rejected.update(merged.rejected)
        for problem in merged.problems:
            if problem.case_id is not None:
                self.case_problems.setdefault(problem.case_id, []).append(problem)

    def keep(self, results: Iterable[tuple[str, bytes]]) -> None:
        for case_id, data in results:
            if data:
                self.spool.add_pickled(case_id, data)
            else:
                self.validated.add(case_id)

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
        return len(self.files_with_problems - self.files_with_records)


def _no_record_problems(gathered: _Gathered) -> list[Problem]:
    """A JSON Lines file read in parts, with not one record nor problem in any part."""
    silent = set(gathered.first_index) - gathered.files_with_records
    silent -= gathered.files_with_problems
    return [
        Problem(loading.NO_RECORD, file=path, files=(path,))
        for path in sorted(silent, key=gathered.first_index.__getitem__)
    ]


def _run_result(
    request: AuditRequest, found: loading.Discovered, gathered: _Gathered
) -> RunResult:
    silent = _no_record_problems(gathered)
    gathered.files_with_problems.update(p.file for p in silent if p.file)
    problems = [*found.problems, *gathered.problems(), *silent]
    counts = Counts(
        files_found=len(found.files) + len(found.skipped),
        files_read=len(found.files),
        files_skipped=len(found.skipped),
        files_rejected=gathered.unreadable_files(),
        cases_loaded=gathered.loaded,
        cases_rejected=len(gathered.rejected),
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
    )


def standards_info(standards: Standards) -> StandardsInfo:
    return StandardsInfo(
        name=standards.spec.name,
        version=standards.spec.version,
        sha256=standards.sha256,
        path=standards.path,
    )


def exit_code(rejected: bool, worried: bool, *, exit_zero: bool = False) -> int:
    """2 when any input was rejected, else 1 when any case has a worry (0 with --exit-zero)."""
    if rejected:
        return BAD_INPUT
    if worried and not exit_zero:
        return FINDINGS
    return OK


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def all_paths(values: Iterable[str]) -> tuple[Path, ...]:
    return tuple(Path(v) for v in values)
