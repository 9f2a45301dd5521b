"""`cp-audit template OUT.xlsx --agency AGENCY [--from PATH...] [--standards FILE]`: a
cp-audit workbook for one agency's auditor to fill in (`shared/importers.md`,
"cp-audit workbooks"; the layout is `workbook.layout`'s, the writer `workbook.template`).

With `--from`, the paths are read as `validate` reads them (one run, `run.audit`),
and each valid case pre-fills its id and its meetings (one `Meetings` row a meeting,
for the agency to say who attended). The drop-down lists of tokens are the
standards' (`--standards`, else the audit folder's, else the default). The file is
written whole or not at all, and never over a file already there without `--force`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import UsageError, audit_folder, guarded, standards_in_use
from cp_audit.exitcodes import BAD_INPUT, OK

if TYPE_CHECKING:
    from cp_audit.case.model import Case, CaseRecord
    from cp_audit.workbook.template import Prefill


@dataclass(frozen=True)
class TemplateRequest:
    output: str
    agency: str
    sources: tuple[str, ...] = ()
    standards: str | None = None
    force: bool = False


@click.command("template")
@click.argument("output", type=click.Path(dir_okay=False, path_type=str), metavar="OUT.xlsx")
@click.option("--agency", required=True, metavar="AGENCY",
              help="The agency that fills it in: social_care, gp, school, police...")
@click.option("--from", "sources", multiple=True, type=click.Path(path_type=str),
              metavar="PATH", help="Cases to pre-fill: their ids and meetings (repeatable).")
@click.option("--standards", type=click.Path(dir_okay=False, path_type=str), metavar="FILE",
              help="The standards whose words fill the drop-down lists.")
@click.option("--force", is_flag=True, help="Replace OUT.xlsx if it is already there.")
def command(output: str, agency: str, sources: tuple[str, ...], standards: str | None,
            force: bool) -> None:
    """Write a workbook for AGENCY's auditor to fill in, one sheet per part it holds.

    social_care gets every sheet and covers every part; any other agency its
    attendance at meetings and its own records (the About sheet's covers list,
    which the auditor may extend). Read the filled workbook with check, validate
    or convert like any case file. Exits 0, or 2 when --from had a problem (the
    workbook is still written from the valid cases).
    """
    sys.exit(execute(TemplateRequest(output, agency, sources, standards, force)))


def execute(request: TemplateRequest) -> int:
    return guarded("template", _template, request)


def _template(request: TemplateRequest) -> int:
    from cp_audit.case.values import normalise_token
    from cp_audit.workbook.template import token_lists, workbook_bytes

    agency = normalise_token(request.agency)
    if not agency or not agency.replace("_", "").isalnum():
        raise UsageError(f"--agency: '{request.agency[:40]}' is not an agency word (gp, school)")
    target = Path(request.output)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"{target}: the workbook's name must end in .xlsx")
    if target.exists() and not request.force:
        raise UsageError(f"{target}: is already there (give --force to replace it)")
    tokens = token_lists(standards_in_use(request.standards))
    cases, code = _prefill(request.sources) if request.sources else ([], OK)
    _write(target, workbook_bytes(agency, tokens, cases))
    click.echo(f"{target}: a workbook for {agency}, {len(cases)} cases pre-filled", err=True)
    return code


def _prefill(sources: tuple[str, ...]) -> tuple[list[Prefill], int]:
    """The valid cases read from `sources`, as the run of `validate` reads them."""
    from cp_audit.cli.validate import audit_request
    from cp_audit.report._text import printable
    from cp_audit.run.audit import run_audit

    folder = audit_folder(sources, lenient=True)
    found: dict[str, Prefill] = {}
    audit = audit_request(sources, folder, (), None, prefill_of)
    result = run_audit(audit, None, found.__setitem__)
    for problem in result.problems:
        click.echo(printable(str(problem)), err=True)
    return [found[key] for key in sorted(found)], BAD_INPUT if result.problems else OK


def prefill_of(case: Case, records: tuple[CaseRecord, ...]) -> Prefill:
    """What a case pre-fills: its id and meetings (module level: it runs in the workers)."""
    from cp_audit.workbook.template import Prefill

    return Prefill(case.case_id, tuple((m.type.value, m.date) for m in case.meetings))


def _write(target: Path, data: bytes) -> None:
    from cp_audit.atomic import WriteError, write_atomic

    try:
        write_atomic(target, data)
    except WriteError as exc:
        raise UsageError(str(exc)) from None
