"""`cp-audit standards check FILE...` and `cp-audit standards test [FILE]`."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from cp_audit.cli._common import echo_problems, guarded, standards_in_use
from cp_audit.exitcodes import BAD_INPUT, FINDINGS, OK


@dataclass(frozen=True)
class CheckStandardsRequest:
    files: tuple[str, ...]


@dataclass(frozen=True)
class TestStandardsRequest:
    file: str | None = None
    verbose: bool = False


@click.group("standards")
def command() -> None:
    """Check a standards YAML, or run the examples written inside it."""


@command.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def standards_check(files: tuple[str, ...]) -> None:
    """Validate standards YAML FILES: exit 0 when all are valid, 2 with every problem otherwise.

    Several files may be given (as a pre-commit hook does); each is checked.
    """
    sys.exit(execute_check(CheckStandardsRequest(files=files)))


@command.command("test")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every example, not only failures.")
def standards_test(file: str | None, verbose: bool) -> None:
    """Run the examples inside a standards YAML: exit 1 when one gives the wrong outcome.

    Under a failing example of the default standards, a hint names each option
    of its rule that differs from the default standards it was written for.

    With no FILE, the standards in use: those of the audit folder (the current
    folder's cp-audit.yaml), else the packaged default.
    """
    sys.exit(execute_test(TestStandardsRequest(file=file, verbose=verbose)))


def execute_check(request: CheckStandardsRequest) -> int:
    from cp_audit.standards.spec import StandardsError, load

    invalid = False
    for file in request.files:
        try:
            standards = load(file)
        except StandardsError as exc:
            echo_problems(exc)
            invalid = True
            continue
        click.echo(f"{file}: valid: {len(standards.rules)} rules, "
                   f"{len(standards.spec.themes)} themes")
    return BAD_INPUT if invalid else OK


def execute_test(request: TestStandardsRequest) -> int:
    return guarded("standards test", _test, request)


def _test(request: TestStandardsRequest) -> int:
    from cp_audit.standards.examples import option_hints, run_examples

    standards = standards_in_use(request.file)
    passed = failed = 0
    for run in run_examples(standards):
        if run.passed:
            passed += 1
            if request.verbose:
                click.echo(f'ok    rule "{run.rule}" example "{run.name}": {run.got}')
            continue
        failed += 1
        got = run.error or f"gave {run.got}"
        click.echo(f'FAIL  rule "{run.rule}" example "{run.name}": expected {run.expected}, {got}')
        for hint in option_hints(standards.rule(run.rule), run.name):
            click.echo(f"      hint: {hint}")
        for item in run.evidence:
            click.echo(f"        {item}")
    click.echo(f"{passed} passed, {failed} failed")
    return FINDINGS if failed else OK
