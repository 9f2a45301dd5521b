"""`cp-audit convert [PATH...]`: the case records every reader made of the files.

The files are read, validated and merged as `validate` reads them (one run,
`run.audit`), and each valid case's records are written back in the case
format (`case.records`): to stdout, or with `-o DIR` one file a case,
`DIR/<case_id>.<ext>`. So a user sees exactly what a census return or a
workbook gave, and can keep it as case files: what `convert` writes reads
back to the same case. Problems go to stderr as in `validate`, with its exit
codes. This is a data tool: the records are written as they are, names
included.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cp_audit.cli._common import UsageError, audit_folder, case_option, guarded
from cp_audit.exitcodes import BAD_INPUT, OK

if TYPE_CHECKING:
    from cp_audit.case.model import Case, CaseRecord
    from cp_audit.results import Problem

FORMATS = ("yaml", "json", "jsonl")


@dataclass(frozen=True)
class ConvertRequest:
    paths: tuple[str, ...] = ()
    to: str = "yaml"
    output_dir: str | None = None
    force: bool = False
    cases: tuple[str, ...] = ()
    quiet: bool = False
    jobs: int | None = None


@click.command("convert")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--to", "to", type=click.Choice(FORMATS), default="yaml", show_default=True,
    help="yaml: a document a record; json: one list; jsonl: a record a line.",
)
@click.option(
    "--output-dir", "-o", type=click.Path(file_okay=False, path_type=str), metavar="DIR",
    help="Write one file a case, DIR/<case_id>.<ext>, instead of printing.",
)
@click.option("--force", is_flag=True, help="With -o: replace files already there.")
@case_option
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr, only the problems.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1),
    help="Processes to read files with (default: the number of cores).",
)
def command(
    paths: tuple[str, ...], to: str, output_dir: str | None, force: bool,
    cases: tuple[str, ...], quiet: bool, jobs: int | None,
) -> None:
    """Print the case records every reader made of the files under PATHS.

    Each valid case's records, in the case format, as read (before merging).
    This is a data tool: records are written as the input had them, names
    included (no --show-names here); keep the output as carefully as the input.
    Problems go to stderr, as in validate. Exits 0 when every file and case is
    valid, 2 otherwise (the valid cases are still written).
    """
    request = ConvertRequest(paths, to, output_dir, force, cases, quiet, jobs)
    sys.exit(execute(request))


def execute(request: ConvertRequest) -> int:
    return guarded("convert", _convert, request)


def _convert(request: ConvertRequest) -> int:
    from cp_audit.cli.validate import audit_request, summary
    from cp_audit.report._text import printable
    from cp_audit.run.audit import run_audit

    folder = audit_folder(request.paths, lenient=bool(request.paths))
    audit = audit_request(request.paths, folder, request.cases, request.jobs, _records)
    target = _Target(request, audit.paths)
    result = run_audit(audit, None, target.write)
    target.close()
    problems = [*result.problems, *target.problems]
    for problem in problems:
        click.echo(printable(str(problem)), err=True)
    if not request.quiet:
        written = f"; {target.written} written to {request.output_dir}" if target.directory else ""
        click.echo(summary(result.counts, result.incomplete) + written, err=True)
    return BAD_INPUT if problems else OK


def _records(case: Case, records: tuple[CaseRecord, ...]) -> tuple[dict[str, Any], ...]:
    """What comes back of each valid case: its records in the case format."""
    from cp_audit.case.records import record_dict

    return tuple(record_dict(record) for record in records)


class _Target:
    """Where the records go: stdout, one stream; or a folder, one file a case."""

    def __init__(self, request: ConvertRequest, inputs: tuple[Path, ...]) -> None:
        from cp_audit.case.records import RecordWriter

        self.format, self.force = request.to, request.force
        self.problems: list[Problem] = []
        self.written = 0
        self.names: set[str] = set()  # lower-cased: a case-insensitive disk has one of A and a
        self.directory = Path(request.output_dir) if request.output_dir else None
        self.stdout = None if self.directory else RecordWriter(sys.stdout, self.format)
        if self.directory is not None:
            _refuse_input_folder(self.directory, inputs)
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                reason = f"cannot make the folder ({exc.strerror})"
                raise UsageError(f"{self.directory}: {reason}") from None

    def write(self, case_id: str, records: tuple[dict[str, Any], ...]) -> None:
        if self.stdout is not None:
            for record in records:
                self.stdout.write(record)
            return
        assert self.directory is not None
        path = self.directory / f"{case_id}.{self.format}"
        reason = self._refusal(case_id, path)
        if reason:
            from cp_audit.results import Problem

            self.problems.append(Problem(reason, file=str(path), case_id=case_id))
            return
        self._write_file(path, records)

    def _refusal(self, case_id: str, path: Path) -> str | None:
        # A leading "." would be a hidden file, which discovery skips: it would not read back.
        if case_id.strip() != case_id or case_id.startswith(("-", ".")):
            return "not written: the case id is not a safe file name"
        if path.name.lower() in self.names:
            return "not written: another case's file has this name but for upper and lower case"
        self.names.add(path.name.lower())
        if not self.force and os.path.lexists(path):
            return "not written: the file is already there (give --force to replace it)"
        return None

    def _write_file(self, path: Path, records: tuple[dict[str, Any], ...]) -> None:
        import io

        from cp_audit.atomic import WriteError, write_atomic
        from cp_audit.case.records import RecordWriter
        from cp_audit.results import Problem

        buffer = io.StringIO()
        writer = RecordWriter(buffer, self.format)
        for record in records:
            writer.write(record)
        writer.close()
        try:
            write_atomic(path, [buffer.getvalue()])
        except WriteError as exc:
            reason = str(exc).removeprefix(f"{path}: ")
            self.problems.append(Problem(f"not written: {reason}", file=str(path)))
            return
        self.written += 1

    def close(self) -> None:
        if self.stdout is not None:
            self.stdout.close()
            sys.stdout.flush()


def _refuse_input_folder(directory: Path, inputs: tuple[Path, ...]) -> None:
    """The case files written must not land where this run (or the next) reads cases."""
    target = os.path.realpath(directory)
    for given in inputs:
        real = os.path.realpath(given)
        if os.path.isdir(real) and os.path.commonpath([real, target]) == real:
            raise UsageError(
                f"{directory}: is under the input folder {given}, where the files written "
                "would be read as cases again; write them elsewhere"
            )
