"""The `cp-audit` command line (`shared/cli-contract.md`).

Kept thin: each command imports what it needs when it runs, so `--help` and
`--version` stay fast. Bad input never gives a traceback: it is reported and
the exit code says so (see `exitcodes`).
"""

from __future__ import annotations

import os
import sys

import click

from cp_audit import __version__
from cp_audit.cli.check import check_command
from cp_audit.cli.standards import explain_command, rules_command, standards_group
from cp_audit.exitcodes import BAD_INPUT, OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cp-audit")
def cli() -> None:
    """Multi-agency child protection case audits from exported case records."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--quiet", "-q", is_flag=True, help="Print only the problems, no summary.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to read files with (default: the number of cores).",
)
def validate(paths: tuple[str, ...], quiet: bool, jobs: int | None) -> None:
    """Load and validate the case files under PATHS; list every problem.

    Exits 0 when every file and case is valid, 2 otherwise.
    """
    from datetime import date
    from pathlib import Path

    from cp_audit.cli.progress import progress_bar
    from cp_audit.run.audit import AuditRequest, default_jobs, run_audit

    request = AuditRequest(
        paths=tuple(Path(p) for p in paths),
        standards=None,  # read and validate, check nothing
        rules=(),
        as_of=date.today(),
        exclude=frozenset(Path(p) for p in run_exclusions(paths)),
        jobs=jobs or default_jobs(),
    )
    with progress_bar() as progress:
        result = run_audit(request, progress)
    from cp_audit.report._text import printable

    for problem in result.problems:
        click.echo(printable(str(problem)))
    if not quiet:
        click.echo(summary(result.counts, result.incomplete))
    sys.exit(BAD_INPUT if result.problems else OK)


def summary(counts: object, incomplete: bool) -> str:
    """`12 files found: 10 read, 2 skipped; 8 cases loaded, 1 rejected`."""
    from cp_audit.results import Counts

    assert isinstance(counts, Counts)
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


def run_exclusions(paths: tuple[str, ...]) -> list[str]:
    """The audit folder's `cp-audit.yaml`, its standards file and its outputs: never cases."""
    from cp_audit.folder import config

    found = config.find(paths)
    if found is None:
        return []
    excluded = [str(found)]
    try:
        loaded = config.load(found)
    except config.ConfigError:
        return excluded
    if loaded.standards is not None:
        excluded.append(str(loaded.standards))
    excluded += [str(path) for path in loaded.outputs]
    return excluded


@cli.group()
def schema() -> None:
    """Print a JSON Schema (for editors and exporters)."""


@schema.command("case")
def schema_case() -> None:
    """The JSON Schema of a case record (the case format)."""
    import json

    from cp_audit.schema import case_schema

    click.echo(json.dumps(case_schema(), indent=2))


@schema.command("standards")
def schema_standards() -> None:
    """The JSON Schema of a standards file (the rules, their check types and options)."""
    import json

    from cp_audit.schema import standards_schema

    click.echo(json.dumps(standards_schema(), indent=2))


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.option("--name", help="The audit's name (default: the folder's name).")
def init(folder: str, name: str | None) -> None:
    """Start an audit folder: cp-audit.yaml, standards.yaml, cases/ with an example, a README."""
    from pathlib import Path

    from cp_audit.folder.init import InitError, init_folder

    try:
        created = init_folder(Path(folder), name)
    except InitError as exc:
        click.echo(f"cp-audit init: {exc}", err=True)
        sys.exit(BAD_INPUT)
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"next: put the case records in {Path(folder) / 'cases'}, then run: "
               f"cd {folder} && cp-audit check")


cli.add_command(check_command)
cli.add_command(rules_command)
cli.add_command(explain_command)
cli.add_command(standards_group)


def _version_everywhere(group: click.Group) -> None:
    """`--version` on every command, not only on `cp-audit` itself (the CLI contract)."""
    for command in group.commands.values():
        click.version_option(__version__, "--version", prog_name="cp-audit")(command)
        if isinstance(command, click.Group):
            _version_everywhere(command)


_version_everywhere(cli)


def main() -> None:
    """The `cp-audit` console script."""
    try:
        cli(prog_name="cp-audit")
    except BrokenPipeError:  # e.g. `cp-audit validate cases | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(BAD_INPUT)
