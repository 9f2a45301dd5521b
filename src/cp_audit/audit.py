"""One audit run: load the cases, check each against the standards, gather the results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cp_audit import loading
from cp_audit.engine import check_case
from cp_audit.results import RunResult, StandardsInfo
from cp_audit.standards import Rule, Standards


@dataclass(frozen=True)
class AuditRequest:
    paths: tuple[Path, ...]
    standards: Standards
    rules: tuple[Rule, ...]
    as_of: date
    exclude: frozenset[Path] = frozenset()
    show_names: bool = False
    limits: loading.Limits = field(default_factory=loading.Limits)


def run_audit(request: AuditRequest) -> RunResult:
    loaded = loading.load(
        [str(p) for p in request.paths], exclude=request.exclude, limits=request.limits
    )
    cases = tuple(
        check_case(
            case,
            request.standards,
            request.as_of,
            request.rules,
            show_names=request.show_names,
        )
        for case in loaded.cases
    )
    return RunResult(
        standards=standards_info(request.standards),
        as_of=request.as_of,
        cases=cases,
        problems=tuple(loaded.problems),
        counts=loaded.counts,
        skipped=tuple(loaded.skipped),
        rules=tuple(rule.id for rule in request.rules),
        incomplete=loaded.incomplete,
    )


def standards_info(standards: Standards) -> StandardsInfo:
    return StandardsInfo(
        name=standards.spec.name,
        version=standards.spec.version,
        sha256=standards.sha256,
        path=standards.path,
    )


def exit_code(run: RunResult, *, exit_zero: bool = False) -> int:
    """2 when any input was rejected, else 1 when any case has a worry (0 with --exit-zero)."""
    if run.problems:
        return 2
    if any(case.worries for case in run.cases):
        return 0 if exit_zero else 1
    return 0


def all_paths(values: Sequence[str]) -> tuple[Path, ...]:
    return tuple(Path(v) for v in values)
