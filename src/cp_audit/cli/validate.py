"""`cp-audit validate [PATH...]`: load and validate only; list every problem.

With no PATH, or given the audit folder itself, it reads the audit folder's
`cases`, as `cp-audit check` does; the folder's own files are never cases.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import audit_folder, case_option, guarded
from cp_audit.cli.check import STRICT_HELP
from cp_audit.exitcodes import BAD_INPUT, OK

if TYPE_CHECKING:
    from cp_audit.folder.resolve import AuditFolder
    from cp_audit.results import Counts
    from cp_audit.run.interface import AuditRequest, Summarise
    from cp_audit.standards.spec import Standards

NO_PATH = ("Give the case files or folders to validate, or run it in an audit folder "
           "(one with a cp-audit.yaml).")


@dataclass(frozen=True)
class ValidateRequest:
    paths: tuple[str, ...] = ()
    quiet: bool = False
    jobs: int | None = None
    strict: bool = False
    cases: tuple[str, ...] = ()


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--quiet", "-q", is_flag=True, help="Print only the problems, no summary.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to read files with (default: the number of cores).",
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@case_option
def command(
    paths: tuple[str, ...], quiet: bool, jobs: int | None, strict: bool, cases: tuple[str, ...]
) -> None:
    """Load and validate the case files under PATHS; list every problem.

    With no PATHS, reads the cases listed in the current folder's cp-audit.yaml;
    given an audit folder, the cases listed in its cp-audit.yaml.
    Data warnings (doubtful but valid input) are printed after the problems,
    each prefixed `warning:`; the tokens are those of cp-audit.yaml's standards,
    else the default standards, and the as-of date cp-audit.yaml's, else today.
    Exits 0 when every file and case is valid, 2 otherwise (and, with --strict,
    when there is any warning).
    """
    sys.exit(execute(ValidateRequest(
        paths=paths, quiet=quiet, jobs=jobs, strict=strict, cases=cases,
    )))


def execute(request: ValidateRequest) -> int:
    return guarded("validate", _validate, request)


def _validate(request: ValidateRequest) -> int:
    from cp_audit.cli.progress import progress_bar
    from cp_audit.report._text import printable
    from cp_audit.run.audit import run_audit

    # Given paths are read even beside a bad cp-audit.yaml: validate needs none of its settings.
    folder = audit_folder(request.paths, lenient=bool(request.paths))
    audit = audit_request(request.paths, folder, request.cases, request.jobs)
    with progress_bar() as progress:
        result = run_audit(audit, progress)
    for problem in result.problems:
        click.echo(printable(str(problem)))
    for warning in result.warnings:
        click.echo(printable(f"warning: {warning}"))
    if not request.quiet:
        click.echo(summary(result.counts, result.incomplete))
    failed = bool(result.problems) or (request.strict and bool(result.warnings))
    return BAD_INPUT if failed else OK


def _vocabulary(folder: AuditFolder | None) -> Standards | None:
    """The standards whose tokens the warnings know; None when they cannot be read
    (`validate` checks the cases, not the standards: `standards check` does)."""
    from cp_audit.folder.resolve import standards_in_use
    from cp_audit.standards.spec import StandardsError, load

    try:
        return load(standards_in_use(None, folder))
    except (StandardsError, OSError):
        return None


def audit_request(
    given: tuple[str, ...],
    folder: AuditFolder | None,
    cases: tuple[str, ...],
    jobs: int | None,
    summarise: Summarise | None = None,
) -> AuditRequest:
    """A run that reads and validates the cases, checking nothing (`validate`, `convert`,
    `sample`): the given paths, else the audit folder's `cases`; `--case` or the folder's
    `cases_in_audit`; `summarise`: what comes back of each valid case."""
    from datetime import date
    from pathlib import Path

    from cp_audit.folder.resolve import case_choice, never_cases
    from cp_audit.run.audit import default_jobs
    from cp_audit.run.interface import AuditRequest

    paths = folder.case_paths(given) if folder else given
    if not paths:
        raise click.MissingParameter(
            NO_PATH, ctx=click.get_current_context(silent=True), param_hint="'PATHS...'",
            param_type="argument",
        )
    return AuditRequest(
        paths=tuple(Path(p) for p in paths),
        standards=None,  # read and validate, check nothing
        rules=(),
        as_of=(folder.settings.as_of if folder else None) or date.today(),
        exclude=frozenset(never_cases(folder, paths=paths)),
        jobs=jobs or default_jobs(),
        vocabulary=_vocabulary(folder),
        choice=case_choice(cases, folder),
        summarise=summarise,
    )


def summary(counts: Counts, incomplete: bool) -> str:
    """`12 files found: 10 read, 2 skipped; 8 cases loaded, 1 rejected` (with cases left
    out: `312 cases read, 10 in this audit: 9 loaded, 1 rejected`)."""
    text = f"{_count(counts.files_found, 'file')} found: {counts.files_read} read, "
    text += f"{counts.files_skipped} skipped; "
    if counts.cases_left_out:
        in_audit = counts.cases_loaded + counts.cases_rejected
        text += f"{_count(in_audit + counts.cases_left_out, 'case')} read, {in_audit} in this "
        text += f"audit: {counts.cases_loaded} loaded, {counts.cases_rejected} rejected"
    else:
        text += f"{_count(counts.cases_loaded, 'case')} loaded, {counts.cases_rejected} rejected"
    if incomplete:
        text += "; some input could not be read, so cases may be incomplete"
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
