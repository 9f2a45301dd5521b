"""Reading everything at once from the public stages: discovery, each file's reader, merging.

What the run gives, whatever its jobs and parts, is compared with this (one
process, every file read whole), and the reading tests read through it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from cp_audit.case.merging import merge_records, raw_case_id
from cp_audit.case.model import Case
from cp_audit.inputs import reader_for
from cp_audit.inputs.discovery import discover
from cp_audit.inputs.interface import DEFAULT_LIMITS, FileResult, Limits
from cp_audit.results import Counts, Problem, SkippedFile


@dataclass(frozen=True, slots=True)
class Loaded:
    cases: list[Case]  # sorted by case_id
    problems: list[Problem]
    skipped: list[SkippedFile]
    counts: Counts
    incomplete: bool  # something that could not be read at all may have held cases


def read_file(path: str, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One file read whole by its reader."""
    reader = reader_for(path)
    assert reader is not None, f"no reader reads {path}"
    return reader.read(path, limits)


def load(
    paths: Iterable[str],
    *,
    exclude: Iterable[str | os.PathLike[str]] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Loaded:
    """Every case file under `paths` read and its records merged into cases."""
    found = discover(paths, exclude)
    results = [read_file(path, limits) for path in found.files]
    merged = merge_records(record for result in results for record in result.records)
    problems = [*found.problems]
    for result in results:
        problems += result.problems
    problems += merged.problems
    counts = Counts(
        files_found=len(found.files) + len(found.skipped),
        files_read=len(found.files),
        files_skipped=len(found.skipped),
        files_rejected=sum(result.unreadable for result in results),
        cases_loaded=len(merged.cases),
        cases_rejected=len(merged.rejected),
        records_unattributed=sum(
            raw_case_id(record.data) is None for result in results for record in result.records
        ),
        inputs_unreadable=len(found.problems) + sum(len(result.problems) for result in results),
    )
    incomplete = any(problem.case_id is None for problem in problems)
    return Loaded(merged.cases, problems, found.skipped, counts, incomplete)
