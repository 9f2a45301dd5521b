"""One audit run: find the files, read and check them in parallel, gather the results.

The run is a stream, so that a national batch fits in bounded memory:

1. `inputs.discovery` lists the files, each read by its reader (`inputs.reader_for`);
   a big JSON Lines file is cut into parts.
2. A first pass reads only the case ids of each file or part: the files and
   parts that hold records of the same child (one file per agency) become one
   unit of work, so that their records are merged as `validate` merges them
   when it reads everything at once, and no record is held longer than its unit.
3. Each unit is read, its records validated and merged, and its cases checked,
   in a worker process (`--jobs`). Each checked case is prepared for the report
   where it was checked (`report.prepare.Preparer`: its section, its chunk of
   each document being written, its survey row, pickled); only that comes back,
   and goes to a `CaseSpool` on disk: the parent, alone after the workers, then
   only writes. A run without workers (`--jobs 1`, a small run) calls the same
   functions in-process.

Parts are read in the order of discovery and the cases are reported in case id
order, so the report is byte-for-byte the same whatever the number of jobs.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cp_audit.case.merging import Merged, merge_records, raw_case_id, valid_case_id
from cp_audit.case.warnings import CaseWarnings, case_warnings
from cp_audit.exitcodes import BAD_INPUT, FINDINGS, OK
from cp_audit.inputs import discovery, reader_for
from cp_audit.inputs.interface import MB, NO_RECORD, FileResult, Limits, Part, Reader
from cp_audit.results import Counts, Problem, RunResult, StandardsInfo, Unattributed
from cp_audit.run.choice import Choice, chosen_records, missing
from cp_audit.run.engine import check_case
from cp_audit.run.spool import CaseSpool
from cp_audit.standards.spec import Rule, Standards
from cp_audit.standards.vocabulary import KnownTokens, known_tokens

if TYPE_CHECKING:
    from cp_audit.case.model import Case, CaseRecord
    from cp_audit.report.interface import Output
    from cp_audit.report.prepare import Preparer

SMALL_RUN = 32  # files or parts: fewer are read in this process (starting workers costs more)
PART_BYTES = MB  # a big JSON Lines file is read in parts of about this size

# What a validate-only run gives of each valid case, made where it was merged (it must
# pickle): its records for `convert`, its child's age and plans for `sample`.
Summarise = Callable[["Case", "tuple[CaseRecord, ...]"], Any]


@dataclass(frozen=True)
class AuditRequest:
    paths: tuple[Path, ...]
    standards: Standards | None  # None: validate only, check nothing
    rules: tuple[Rule, ...]
    as_of: date
    exclude: frozenset[Path] = frozenset()
    show_names: bool = False
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1
    # The documents (a format, its render options) whose chunk of each case is made
    # where the case is checked; a report written otherwise makes its own from the sections.
    outputs: tuple[Output, ...] = ()
    # The standards whose tokens are known when only validating (`standards` None).
    vocabulary: Standards | None = None

    @cached_property
    def known(self) -> KnownTokens | None:
        """The tokens the data warnings know (made in the parent, before the fork)."""
        standards = self.standards or self.vocabulary
        return known_tokens(standards) if standards is not None else None
    choice: Choice | None = None  # the cases in this audit (None: every case read)
    summarise: Summarise | None = None  # validate only: each valid case's summary

    @cached_property
    def preparer(self) -> Preparer | None:
        """What makes each checked case into its part of the report (None: validate only).
        Made in the parent, before the workers fork, so that they inherit it."""
        if self.standards is None:
            return None
        from cp_audit.report.prepare import Preparer  # `validate` imports no report

        rules = tuple(rule.id for rule in self.rules)
        return Preparer(rules, self.standards.spec, self.outputs)


@dataclass(frozen=True, slots=True)
class Work:
    """A file, or a part of a big JSON Lines file, to read."""

    index: int
    path: str
    part: Part | None = None


Unit = tuple[Work, ...]  # the files and parts that hold the records of the same children


@dataclass(frozen=True, slots=True)
class WorkDone:
    """What a worker sends back: small, and nothing that holds a whole case."""

    items: tuple[tuple[int, str], ...]  # (work item index, path) of the unit
    # (case id, the case prepared for the report; only validated: its summary, or None)
    results: tuple[tuple[str, Any], ...]
    rejected: tuple[str, ...]
    # Problems of a file, or of records with no case id, by the work item they come from.
    file_problems: tuple[tuple[int, Problem], ...]
    case_problems: tuple[Problem, ...]
    paths_with_records: frozenset[str]
    # What names no case, by the work item it comes from (`_unattributed`).
    unattributed: tuple[tuple[int, Unattributed], ...] = ()
    warnings: tuple[Problem, ...] = ()  # of the unit's valid cases, in case id order
    left_out: tuple[str, ...] = ()  # the case ids read but not chosen (`run.choice`)
    # The readers' own warnings (a census code not known), by the work item read.
    reader_warnings: tuple[tuple[int, Problem], ...] = ()


Progress = Callable[[int, int, int], None]  # (files or parts read, of how many, cases so far)
OnCase = Callable[[str, Any], None]  # (case id, its summary), as each unit is done


def run_audit(
    request: AuditRequest, progress: Progress | None = None, on_case: OnCase | None = None
) -> RunResult:
    found = discovery.discover([str(p) for p in request.paths], request.exclude)
    work = list(_work_items(found.files))
    gathered = _Gathered(request, on_case)  # which makes the preparer, before the workers fork
    with _workers(request, len(work)) as run_all:
        read = 0
        for done in run_all(_do, _units(work, run_all)):
            gathered.add(done)
            read += len(done.items)
            if progress is not None:
                progress(read, len(work), gathered.loaded)
    return _run_result(request, found, gathered)


def _work_items(files: Sequence[str]) -> Iterator[Work]:
    index = 0
    for path in files:
        parts: list[Part] | list[None] = _reader(path).parts(path, PART_BYTES) or [None]
        for part in parts:
            yield Work(index, path, part)
            index += 1


def _units(work: list[Work], run_all: RunAll) -> list[Unit]:
    """The first pass: which files and parts name the same case id, read together.

    Only the case ids come back from it (a parse without validation, about a
    thirtieth of checking); a child's records over several agencies' files then
    go to one worker, merged and checked once.
    """
    if len(work) < 2:
        return [(item,) for item in work]
    leader = list(range(len(work)))  # union-find over the work items

    def find(i: int) -> int:
        while leader[i] != i:
            leader[i] = leader[leader[i]]
            i = leader[i]
        return i

    first: dict[str, int] = {}
    for index, case_ids in enumerate(run_all(_case_ids, [(item,) for item in work])):
        for case_id in case_ids:
            other = first.setdefault(case_id, index)
            a, b = find(index), find(other)
            leader[max(a, b)] = min(a, b)
    groups: dict[int, list[Work]] = {}
    for item in work:  # in discovery order, so each unit and the units are ordered
        groups.setdefault(find(item.index), []).append(item)
    return [tuple(items) for items in groups.values()]


# ---------------------------------------------------------------------------
# The workers

_REQUEST: AuditRequest | None = None  # set in the parent before the workers fork

RunAll = Callable[[Callable[[Unit], Any], list[Unit]], Iterator[Any]]


@contextmanager
def _workers(request: AuditRequest, items: int) -> Iterator[RunAll]:
    """`run_all(function, units)`: the results in order, from a pool of `jobs` processes."""
    global _REQUEST
    _REQUEST = request
    _before_the_fork(request)
    # What is alive now (modules, pydantic's validators, the standards) lives as long as
    # the run: frozen, the collector stops walking it at each full collection (one every
    # few hundred cases, each as long as checking ten), and forked workers stop copying
    # its memory pages by touching them.
    gc.freeze()
    try:
        if request.jobs <= 1 or items < SMALL_RUN:
            yield lambda function, units: map(function, units)
            return
        import multiprocessing

        # fork: the workers inherit the standards already loaded and validated.
        context = multiprocessing.get_context("fork")
        with context.Pool(min(request.jobs, items)) as pool:

            def run_all(function: Callable[[Unit], Any], units: list[Unit]) -> Iterator[Any]:
                return pool.imap(function, units, chunksize=_chunk(units, request.jobs))

            yield run_all
    finally:
        _REQUEST = None
        gc.unfreeze()


# The years of working days built before the workers start, around the as-of date: the
# usual case's referrals, plans and meetings (other years are added where asked for).
_YEARS_BEFORE, _YEARS_AFTER = 6, 1


def _before_the_fork(request: AuditRequest) -> None:
    """What every worker needs, made once here, before the workers fork and inherit it:
    the working-day table with its bank holidays (0.1 s of CPU in each worker else)."""
    if request.standards is not None:
        year = request.as_of.year
        request.standards.calendar.cover(year - _YEARS_BEFORE, year + _YEARS_AFTER)


def _chunk(units: list[Unit], jobs: int) -> int:
    """Units per message to a worker. Small files go in chunks (fewer, cheaper messages);
    a part of a JSON Lines file holds about a megabyte of records, so it goes alone: a
    chunk of parts is a chunk of results tens of megabytes long, held whole in both the
    worker and the parent."""
    if any(item.part is not None for unit in units for item in unit):
        return 1
    return max(1, min(64, len(units) // (jobs * 8)))


def _case_ids(unit: Unit) -> tuple[str, ...]:
    assert _REQUEST is not None
    (item,) = unit
    reader = _reader(item.path)
    try:
        values = reader.quick_case_ids(item.path, item.part, _REQUEST.limits)
    except Exception:  # anything odd: the careful reader, which never raises
        values = None
    if values is None:  # no quick way (YAML), or it failed
        read = reader.read(item.path, _REQUEST.limits, item.part)
        values = [record.data.get("case_id") for record in read.records]
    return tuple({case_id for value in values if (case_id := valid_case_id(value))})


def _reader(path: str) -> Reader:
    reader = reader_for(path)
    assert reader is not None  # discovery lists only the files a reader reads
    return reader


def _read(item: Work) -> FileResult:
    assert _REQUEST is not None
    return _reader(item.path).read(item.path, _REQUEST.limits, item.part)


def _do(unit: Unit) -> WorkDone:
    assert _REQUEST is not None
    reads = [(item, _read(item)) for item in unit]
    records, left_out = chosen_records(
        (record for _, read in reads for record in read.records), _REQUEST.choice
    )
    merged = merge_records(records)
    first_of = {item.path: item.index for item in reversed(unit)}
    file_problems = [(item.index, p) for item, read in reads for p in read.problems]
    file_problems += [
        (first_of.get(p.file or "", unit[0].index), p)
        for p in merged.problems
        if p.case_id is None
    ]
    warnings = _warnings(_REQUEST, merged)
    return WorkDone(
        items=tuple((item.index, item.path) for item in unit),
        results=tuple(_check_all(_REQUEST, merged, warnings)),
        rejected=tuple(merged.rejected),
        file_problems=tuple(file_problems),
        case_problems=tuple(p for p in merged.problems if p.case_id is not None),
        paths_with_records=frozenset(item.path for item, read in reads if read.records),
        unattributed=tuple(
            (item.index, entry) for item, read in reads for entry in _unattributed(read)
        ),
        warnings=tuple(p for found in warnings.values() for p in found.problems),
        left_out=tuple(sorted(left_out)),
        reader_warnings=tuple((item.index, w) for item, read in reads for w in read.warnings),
    )


def _warnings(request: AuditRequest, merged: Merged) -> dict[str, CaseWarnings]:
    known = request.known
    return {
        case.case_id: case_warnings(case, merged.records[case.case_id], known, request.as_of)
        for case in merged.cases
    }


_AGENCY = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # a token to quote; anything else is not shown


def _unattributed(read: FileResult) -> Iterator[Unattributed]:
    """The records of a file that name no case, then what of it could not be read.

    A record without a usable `case_id` is in no case, valid or not: the case it belongs
    to is checked without it. Its `source.agency`, if it gives one, tells the reader of
    the report whose records are missing."""
    for raw in read.records:
        if raw_case_id(raw.data) is None:
            yield Unattributed(raw.file, _agency(raw.data), raw.place or None)
    for problem in read.problems:
        yield Unattributed(problem.file or read.path, None, problem.location, unreadable=True)


def _agency(data: dict[Any, Any]) -> str | None:
    source = data.get("source")
    agency = source.get("agency") if isinstance(source, dict) else None
    return agency if isinstance(agency, str) and _AGENCY.fullmatch(agency) else None


def _check_all(
    request: AuditRequest, merged: Merged, warnings: dict[str, CaseWarnings]
) -> Iterator[tuple[str, Any]]:
    standards, prepare = request.standards, request.preparer
    if standards is None or prepare is None:  # validate only: the cases are valid, no more
        summarise = request.summarise
        for case in merged.cases:
            if summarise is None:
                yield case.case_id, None
                continue
            records = tuple(checked.record for checked in merged.records[case.case_id])
            yield case.case_id, summarise(case, records)
        return
    for case in merged.cases:
        result = check_case(
            case, standards, request.as_of, request.rules, show_names=request.show_names,
            warnings=warnings.get(case.case_id),
        )
        yield case.case_id, prepare(result)


# ---------------------------------------------------------------------------
# Gathering


class _Gathered:
    def __init__(self, request: AuditRequest, on_case: OnCase | None = None) -> None:
        preparer = request.preparer
        self.checking, self.on_case = request.standards is not None, on_case
        self.left_out: set[str] = set()
        self.spool = CaseSpool(preparer.outputs if preparer is not None else ())
        self.rejected: set[str] = set()
        self.case_problems: dict[str, list[Problem]] = {}
        self.file_problems: list[tuple[int, Problem]] = []
        self.files_with_records: set[str] = set()
        self.files_with_problems: set[str] = set()
        self.first_index: dict[str, int] = {}  # path -> its first work item
        self.validated: set[str] = set()  # validate only: the valid case ids
        self.unattributed: list[tuple[int, Unattributed]] = []
        self.warnings: list[Problem] = []
        self.reader_warnings: list[tuple[int, Problem]] = []

    def add(self, done: WorkDone) -> None:
        for index, path in done.items:
            self.first_index.setdefault(path, index)
        self.files_with_records |= done.paths_with_records
        self.files_with_problems.update(p.file for _, p in done.file_problems if p.file)
        self.file_problems += done.file_problems
        self.unattributed += done.unattributed
        self.warnings += done.warnings
        self.keep(done.results)
        self.rejected.update(done.rejected)
        self.reader_warnings += done.reader_warnings
        self.left_out.update(done.left_out)
        for problem in done.case_problems:
            assert problem.case_id is not None
            self.case_problems.setdefault(problem.case_id, []).append(problem)

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
        return len(self.files_with_problems - self.files_with_records)


def _no_record_problems(gathered: _Gathered) -> list[Problem]:
    """A JSON Lines file read in parts, with not one record nor problem in any part."""
    silent = set(gathered.first_index) - gathered.files_with_records
    silent -= gathered.files_with_problems
    return [
        Problem(NO_RECORD, file=path, files=(path,))
        for path in sorted(silent, key=gathered.first_index.__getitem__)
    ]


def _run_result(
    request: AuditRequest, found: discovery.Discovered, gathered: _Gathered
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
    found: Sequence[Problem], gathered: _Gathered, silent: Sequence[Problem]
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
