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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from cp_audit.case.merging import Merged, merge_records, raw_case_id, valid_case_id
from cp_audit.case.warnings import CaseWarnings, case_warnings
from cp_audit.exitcodes import BAD_INPUT, FINDINGS, OK
from cp_audit.inputs import discovery, reader_for
from cp_audit.inputs.interface import MB, FileResult, Part, Reader
from cp_audit.results import RunResult, Unattributed
from cp_audit.run.choice import chosen_records
from cp_audit.run.engine import check_case
from cp_audit.run.gather import Gathered, run_result
from cp_audit.run.interface import (
    AuditRequest,
    OnCase,
    Progress,
    Unit,
    Work,
    WorkDone,
)

SMALL_RUN = 32  # files or parts: fewer are read in this process (starting workers costs more)
PART_BYTES = MB  # a big JSON Lines file is read in parts of about this size


def run_audit(
    request: AuditRequest, progress: Progress | None = None, on_case: OnCase | None = None
) -> RunResult:
    found = discovery.discover([str(p) for p in request.paths], request.exclude)
    work = list(_work_items(found.files))
    gathered = Gathered(request, work, on_case)  # which makes the preparer, before the workers fork
    with _workers(request, len(work)) as run_all:
        read = 0
        for done in run_all(_do, _units(work, run_all)):
            gathered.add(done)
            read += len(done.items)
            if progress is not None:
                progress(read, len(work), gathered.loaded)
    return run_result(request, found, gathered)


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
    singles: list[Unit] = [(item,) for item in work]
    if len(work) < 2:
        return singles
    first: dict[str, int] = {}
    joined: list[tuple[int, int]] = []  # (a work item, an earlier one naming a case id of it)
    for index, case_ids in enumerate(run_all(_case_ids, singles)):
        for case_id in case_ids:
            other = first.setdefault(case_id, index)
            if other != index:
                joined.append((index, other))
    del first  # a national run's 50,000 case ids, no longer needed
    if not joined:  # each file holds children of its own: the usual case, nothing to group
        return singles
    return _grouped(work, joined)


def _grouped(work: list[Work], joined: list[tuple[int, int]]) -> list[Unit]:
    """The units, when some work items name the same case ids (`joined`, pairs of them)."""
    leader = list(range(len(work)))  # union-find over the work items

    def find(i: int) -> int:
        while leader[i] != i:
            leader[i] = leader[leader[i]]
            i = leader[i]
        return i

    for index, other in joined:
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
    in_process = request.jobs <= 1 or items < SMALL_RUN
    if not in_process:
        _before_the_fork(request)
    # What is alive now (modules, pydantic's validators, the standards) lives as long as
    # the run: frozen, the collector stops walking it at each full collection (one every
    # few hundred cases, each as long as checking ten), and forked workers stop copying
    # its memory pages by touching them.
    gc.freeze()
    try:
        if in_process:
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
    the working-day table with its bank holidays (0.1 s of CPU in each worker else). A
    run in this process builds only the years its cases ask for, as they ask."""
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
    if request.meeting is not None:
        from cp_audit.meeting.apply import apply
    for case in merged.cases:
        result = check_case(
            case, standards, request.as_of, request.rules, show_names=request.show_names,
            warnings=warnings.get(case.case_id),
        )
        if request.meeting is not None:
            result = apply(result, request.meeting, standards.grade)
        yield case.case_id, prepare(result, case)


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
