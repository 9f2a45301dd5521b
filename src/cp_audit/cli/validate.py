"""`cp-audit validate [PATH...]`: load and validate only; list every problem.

With no PATH, or given the audit folder itself, it reads the audit folder's
`cases`, as `cp-audit check` does; the folder's own files are never cases.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import audit_folder, guarded
from cp_audit.exitcodes import BAD_INPUT, OK

if TYPE_CHECKING:
    from cp_audit.results import Counts

NO_PATH = ("Give the case files or folders to validate, or run it in an audit folder "
           "(one with a cp-audit.yaml).")


@dataclass(frozen=True)
class ValidateRequest:
    paths: tuple[str, ...] = ()
    quiet: bool = False
    jobs: int | None = None


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--quiet", "-q", is_flag=True, help="Print only the problems, no summary.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to read files with (default: the number of cores).",
)
def command(paths: tuple[str, ...], quiet: bool, jobs: int | None) -> None:
    """Load and validate the case files under PATHS; list every problem.

    With no PATHS, reads the cases listed in the current folder's cp-audit.yaml;
    given an audit folder, the cases listed in its cp-audit.yaml.
    Exits 0 when every file and case is valid, 2 otherwise.
    """
    sys.exit(execute(ValidateRequest(paths=paths, quiet=quiet, jobs=jobs)))


def execute(request: ValidateRequest) -> int:
    return guarded("validate", _validate, request)


def _validate(request: ValidateRequest) -> int:
    from datetime import date
    from pathlib import Path

    from cp_audit.cli.progress import progress_bar
    from cp_audit.folder.resolve import never_cases
    from cp_audit.report._text import printable
    from cp_audit.run.audit import AuditRequest, default_jobs, run_audit

    # Given paths are read even beside a bad cp-audit.yaml: validate needs none of its settings.
    folder = audit_folder(request.paths, lenient=bool(request.paths))
    paths = folder.case_paths(request.paths) if folder else request.paths
    if not paths:
        raise click.MissingParameter(
            NO_PATH, ctx=click.get_current_context(silent=True), param_hint="'PATHS...'",
            param_type="argument",
        )
    audit = AuditRequest(
        paths=tuple(Path(p) for p in paths),
        standards=None,  # read and validate, check nothing
        rules=(),
        as_of=date.today(),
        exclude=frozenset(never_cases(folder, paths=paths)),
        jobs=request.jobs or default_jobs(),
    )
    with progress_bar() as progress:
        result = run_audit(audit, progress)
    for problem in result.problems:
        click.echo(printable(str(problem)))
    for warning in result.warnings:
        click.echo(printable(f"warning: {warning}"))
    if not request.quiet:
        click.echo(summary(result.counts, result.incomplete))
    return BAD_INPUT if result.problems else OK


def summary(counts: Counts, incomplete: bool) -> str:
    """`12 files found: 10 read, 2 skipped; 8 cases loaded, 1 rejected`."""
    text = (
        f"{_count(counts.files_found, 'file')} found: {counts.files_read} read, "
        f"{counts.files_skipped} skipped; "
        f"{_count(counts.cases_loaded, 'case')} loaded, {counts.cases_rejected} rejected"
    )
    if incomplete:
        text += "; some input could not be read, so cases may be incomplete"
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
