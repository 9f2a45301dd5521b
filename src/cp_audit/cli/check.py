"""`cp-audit check [PATH...]`: settings from the command line over `cp-audit.yaml`, then one run.

The click command only parses into a `CheckRequest`; `execute()` builds the
objects, checks every setting before any case is read (so a typo in a rule id
or an output name costs nothing), runs the audit and writes the reports. It
returns the exit code (`exitcodes`). The audit folder (its settings, its
standards, the paths of its cases, its own files) is `folder.resolve`'s.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cp_audit.cli._common import IsoDate, UsageError, audit_folder, case_option, guarded

if TYPE_CHECKING:  # imported when the command runs, so that --help stays fast
    from cp_audit.folder.resolve import AuditFolder
    from cp_audit.report import RenderOptions, Reporter
    from cp_audit.report.content import ReportContent
    from cp_audit.report.interface import Output
    from cp_audit.results import Counts

STANDARDS_HELP = "Standards YAML (default: cp-audit.yaml's, else the packaged default)."


@dataclass(frozen=True)
class CheckRequest:
    """What the command line asked for; empty or None means "not given"."""

    paths: tuple[str, ...] = ()
    standards: str | None = None
    as_of: date | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    format: str | None = None
    outputs: tuple[str, ...] = ()
    exit_zero: bool = False
    quiet: bool = False
    show_names: bool = False
    jobs: int | None = None
    strict: bool = False
    cases: tuple[str, ...] = ()
    no_history: bool = False


STRICT_HELP = (
    "Exit 2 on any data warning (doubtful input: an unknown token, a date after the "
    "as-of date, overlapping plans, a repeated export), as on rejected input."
)


class FormatChoice(click.Choice[str]):
    """The `--format` choices: the report registry's text formats, read only when needed;
    a binary one (docx) is refused with how to write it instead."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        from cp_audit.report import FORMATS

        return FORMATS

    @choices.setter
    def choices(self, _: Any) -> None:
        pass

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from cp_audit.report import REPORTERS

        reporter = REPORTERS.get(str(value).lower())
        if reporter is not None and reporter.binary:  # Word: a file, never stdout
            self.fail(
                f"{value} is a binary file and cannot go to stdout; write it with "
                f"--output report{reporter.extension}", param, ctx,
            )
        return super().convert(value, param, ctx)


def _ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select a,b --select c` gives (a, b, c)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--standards", "standards", type=click.Path(dir_okay=False), help=STANDARDS_HELP)
@click.option(
    "--as-of",
    type=IsoDate(),
    metavar="YYYY-MM-DD",
    help="The date the audit looks from, YYYY-MM-DD (default: cp-audit.yaml's, else today).",
)
@click.option("--select", multiple=True, metavar="RULE[,RULE]", help="Report only these rules.")
@click.option("--ignore", multiple=True, metavar="RULE[,RULE]", help="Leave these rules out.")
@click.option(
    "--format",
    "format_",
    type=FormatChoice(),
    help="The report on stdout (default: text; coloured only on a terminal).",
)
@click.option(
    "--output",
    "-o",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Also write the report to FILE; the format follows the extension "
    "(.html, .md, .json, .csv, .xml for JUnit, .txt). Repeatable.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 when worries are found (never when input was rejected).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to check cases with (default: the number of cores).",
)
@click.option("--quiet", "-q", is_flag=True, help="No report on stdout; problems go to stderr.")
@click.option(
    "--show-names", is_flag=True, help="Show children's and people's names (hidden by default)."
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@case_option
@click.option(
    "--no-history", is_flag=True, help="Do not record this run in the folder's history.sqlite."
)
def command(
    paths: tuple[str, ...],
    standards: str | None,
    as_of: date | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    format_: str | None,
    output: tuple[str, ...],
    exit_zero: bool,
    jobs: int | None,
    quiet: bool,
    show_names: bool,
    strict: bool,
    cases: tuple[str, ...],
    no_history: bool,
) -> None:
    """Check the case records under PATHS against the standards and report.

    With no PATHS, reads the cases listed in the current folder's cp-audit.yaml;
    given an audit folder, the cases listed in its cp-audit.yaml.
    Exits 0 when no case has a worry, 1 when one has, 2 when an input or a
    setting was rejected (the report on the valid cases is still produced),
    or, with --strict, when there is any data warning.
    """
    request = CheckRequest(
        paths=paths,
        standards=standards,
        as_of=as_of,
        select=_ids(select),
        ignore=_ids(ignore),
        format=format_,
        outputs=output,
        exit_zero=exit_zero,
        quiet=quiet,
        show_names=show_names,
        jobs=jobs,
        strict=strict,
        cases=cases,
        no_history=no_history,
    )
    sys.exit(execute(request))


def execute(request: CheckRequest) -> int:
    """One check run: the exit code."""
    return guarded("check", _run, request)


def _run(request: CheckRequest) -> int:
    from cp_audit.folder.config import AuditConfig
    from cp_audit.folder.resolve import case_choice, never_cases, standards_in_use
    from cp_audit.report.build import build
    from cp_audit.run.audit import default_jobs, exit_code, run_audit
    from cp_audit.run.engine import SelectionError, select_rules
    from cp_audit.run.interface import AuditRequest
    from cp_audit.standards.spec import load

    folder = audit_folder(request.paths)
    settings = folder.settings if folder else AuditConfig()
    paths = folder.case_paths(request.paths) if folder else request.paths
    if not paths:
        raise UsageError("give the case files or folders to check, or run it in an audit folder")
    standards_path = standards_in_use(request.standards, folder)
    standards = load(standards_path)  # checked before any case is read
    try:
        rules = select_rules(
            standards, request.select or settings.select, request.ignore or settings.ignore
        )
    except SelectionError as exc:
        raise UsageError(str(exc)) from None
    outputs = _outputs(request, folder)
    exclude = never_cases(folder, standards_path, outputs, paths)
    _refuse_inputs(outputs, paths, folder)
    from cp_audit.cli.progress import progress_bar
    from cp_audit.meeting import session

    meeting = session.open_meeting(folder, standards, no_history=request.no_history)

    audit = AuditRequest(
        paths=tuple(Path(p) for p in paths),
        standards=standards,
        rules=rules,
        as_of=request.as_of or settings.as_of or date.today(),
        exclude=frozenset(exclude),
        show_names=request.show_names,
        jobs=request.jobs or default_jobs(),
        outputs=_documents(request, outputs),
        chronologies=_draws_chronology(request, outputs),
        choice=case_choice(request.cases, folder),
        meeting=meeting.record,
    )
    with progress_bar() as progress:
        result = run_audit(audit, progress)
    if not result.problems and result.counts.cases_loaded == 0:
        raise UsageError(_nothing_to_check(paths, result.counts, folder))
    session.check_cases(meeting.record, result)  # before any report claims a moderation
    record = meeting.record
    previous = folder.previous if folder is not None else None
    now = None  # the run as the history keeps it: made only when it is needed
    if meeting.history is not None or previous is not None:
        now = session.run_record(result, record.meeting if record else None)
    since = session.since_last(folder, standards, now) if folder and now else None
    content = build(
        result, standards.spec, audit_name=settings.name, strict=request.strict,
        meeting=record, since=since,
    )
    if request.quiet:
        from cp_audit.report._text import printable

        for problem in result.problems:
            click.echo(printable(str(problem)), err=True)
        for warning in result.warnings:
            click.echo(printable(f"warning: {warning}"), err=True)
    else:
        _to_stdout(request.format or "text", content)
    _write_outputs(outputs, content)
    if meeting.history is not None and now is not None:
        from cp_audit.meeting.history import record as record_run

        record_run(meeting.history, now)
    # The report's worries are every case's worries: no second pass over the cases.
    rejected = bool(result.problems) or (request.strict and bool(result.warnings))
    return exit_code(rejected, bool(content.worries), exit_zero=request.exit_zero)


def _nothing_to_check(paths: tuple[str, ...], counts: Counts, folder: AuditFolder | None) -> str:
    """No case and no problem: say so and what to do, instead of a report of nothing
    ("No worries were found"), and exit 2: a scheduled run whose export did not arrive
    must not pass as a clean audit."""
    from cp_audit.folder.resolve import EXAMPLES
    from cp_audit.inputs import extensions_text

    found = f"{counts.files_found} file{'' if counts.files_found == 1 else 's'} found"
    if counts.files_found:
        found += f": {counts.files_read} read, {counts.files_skipped} skipped"
    lines = [
        f"no case record found in {', '.join(paths)} ({found}).",
        f"Put the exported case records there ({extensions_text('or')} files), "
        "then run cp-audit check again.",
    ]
    example = folder.root / EXAMPLES if folder is not None else None
    if example is not None and example.is_dir():
        lines.append(f"To see a report of the example case: cp-audit check {example}")
    return "\n".join(lines)


def _documents(request: CheckRequest, outputs: dict[Path, Reporter]) -> tuple[Output, ...]:
    """The documents written: the run makes each case's chunk of them where it checks it."""
    from cp_audit.report import RenderOptions

    made = [  # a binary document (Word) is made whole from the sections, not in chunks
        (reporter.name, RenderOptions(color=False))
        for reporter in outputs.values() if not reporter.binary
    ]
    if not request.quiet:
        made.append((request.format or "text", _stdout_options()))
    return tuple(made)


def _draws_chronology(request: CheckRequest, outputs: dict[Path, Reporter]) -> bool:
    """Whether a report written reads each case's chronology (HTML, Word)."""
    from cp_audit.report import get

    shown = [] if request.quiet else [get(request.format or "text")]
    return any(reporter.draws_chronology for reporter in [*outputs.values(), *shown])


def _outputs(request: CheckRequest, folder: AuditFolder | None) -> dict[Path, Reporter]:
    """Each output file and its reporter; an unknown extension stops the run up front."""
    from cp_audit.report import UnknownFormatError, for_path

    paths = [Path(p) for p in request.outputs] or list(folder.outputs if folder else ())
    try:
        return {path: for_path(path) for path in paths}
    except UnknownFormatError as exc:
        raise UsageError(str(exc)) from None


def _refuse_inputs(
    outputs: dict[Path, Reporter], paths: tuple[str, ...], folder: AuditFolder | None
) -> None:
    from cp_audit.cli.outputs import input_clash

    # Only what cp-audit.yaml lists as outputs may be written under an input folder.
    configured = folder.outputs if folder else ()
    for output in outputs:
        reason = input_clash(output, paths, configured)
        if reason:
            raise UsageError(reason)


def _to_stdout(format_name: str, content: ReportContent) -> None:
    from cp_audit.report import get

    _write_chunks(sys.stdout, get(format_name).render(content, _stdout_options()))
    sys.stdout.flush()


def _stdout_options() -> RenderOptions:
    """Colour and the terminal's width on a terminal, else plain at 80 columns."""
    from cp_audit.report import RenderOptions

    terminal = sys.stdout.isatty()
    return RenderOptions(
        # NO_COLOR (no-color.org): set and not empty means no colour.
        color=terminal and not os.environ.get("NO_COLOR"),
        width=shutil.get_terminal_size((80, 24)).columns if terminal else 80,
    )


def _write_chunks(stream: Any, chunks: Iterable[str]) -> None:
    for chunk in chunks:
        stream.write(chunk)


def _write_outputs(outputs: dict[Path, Reporter], content: ReportContent) -> None:
    from cp_audit.atomic import WriteError, write_atomic
    from cp_audit.report import RenderOptions

    for path, reporter in outputs.items():
        try:
            options = RenderOptions(color=False)
            document = (
                reporter.render_bytes(content, options) if reporter.binary
                else reporter.render(content, options)
            )
            write_atomic(path, document)
        except WriteError as exc:
            raise UsageError(str(exc)) from None
