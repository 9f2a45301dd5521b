"""`cp-audit moderate CASE RULE --outcome O` (or `CASE --grade G`): the panel's decision.

It runs the rule for that case through the same run as `check` (`--case CASE
--select RULE`; for a grade, every rule the folder reports), records the
tool's outcome (or grade) and a fingerprint of its evidence, and adds the
entry to the audit folder's `meeting.yaml` (`meeting.edit`), keeping the rest
of the file. Run in the audit folder, or give it with `--audit DIR`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import IsoDate, UsageError, audit_folder, guarded
from cp_audit.exitcodes import OK

if TYPE_CHECKING:
    from cp_audit.folder.resolve import AuditFolder
    from cp_audit.report.content import CaseSection


@dataclass(frozen=True)
class ModerateRequest:
    case: str
    rule: str | None
    outcome: str | None
    grade: str | None
    reason: str
    by: str
    date: date | None = None
    audit: str | None = None


@click.command("moderate")
@click.argument("case")
@click.argument("rule", required=False)
@click.option("--outcome", type=click.Choice(["met", "not_met", "not_applicable"]),
              help="The agreed outcome of RULE for CASE.")
@click.option("--grade", help="An agreed grade for CASE, instead of RULE and --outcome.")
@click.option("--reason", required=True, help="Why the panel decided so (the auditors' words).")
@click.option("--by", "by", required=True, help="Who decided (e.g. audit panel).")
@click.option("--date", "when", type=IsoDate(), metavar="YYYY-MM-DD",
              help="The meeting's date (default: today).")
@click.option("--audit", type=click.Path(file_okay=False), metavar="DIR",
              help="The audit folder (default: the current folder).")
def command(
    case: str, rule: str | None, outcome: str | None, grade: str | None, reason: str, by: str,
    when: date | None, audit: str | None,
) -> None:
    """Record the audit meeting's agreed outcome of RULE for CASE (or its agreed grade)
    in meeting.yaml, with the tool's own outcome and a fingerprint of its evidence."""
    request = ModerateRequest(case, rule, outcome, grade, reason, by,
                              when, audit)
    sys.exit(execute(request))


def execute(request: ModerateRequest) -> int:
    return guarded("moderate", _run, request)


def _run(request: ModerateRequest) -> int:
    from cp_audit.meeting.edit import add_moderation
    from cp_audit.meeting.model import Moderation, ToolThen, fingerprint

    _check_request(request)
    folder = audit_folder([request.audit] if request.audit else [])
    if folder is None:
        where = request.audit or "the current folder"
        raise UsageError(f"no cp-audit.yaml in {where}: give the audit folder with --audit DIR")
    section = _checked(request, folder)
    if request.rule is not None:
        finding = next(f for f in section.findings if f.rule == request.rule)
        tool = ToolThen(outcome=finding.outcome.value, evidence=fingerprint(finding.evidence))
        found = finding.outcome.value
    else:
        tool, found = ToolThen(grade=section.grade), section.grade
    entry = Moderation(
        case=request.case, rule=request.rule, outcome=request.outcome, grade=request.grade,
        reason=request.reason, by=request.by, date=request.date or date.today(), tool=tool,
    )
    replaced = add_moderation(folder.meeting_file, entry)
    what = f"{request.rule}: {request.outcome}" if request.rule else f"grade {request.grade}"
    verb = "replaced the earlier moderation" if replaced else "added"
    click.echo(f"{folder.meeting_file}: {verb}: {request.case}, {what} (the tool found {found};"
               f" evidence {tool.evidence or 'not fingerprinted for a grade'})")
    return OK


def _check_request(request: ModerateRequest) -> None:
    if request.grade is not None:
        if request.rule is not None or request.outcome is not None:
            raise UsageError("give either RULE and --outcome, or --grade, not both")
    elif request.rule is None or request.outcome is None:
        raise UsageError("give RULE and --outcome OUTCOME, or --grade GRADE")


def _checked(request: ModerateRequest, folder: AuditFolder) -> CaseSection:
    """The case's section as `check` makes it, without the meeting's moderation."""
    from cp_audit.folder.resolve import case_choice, never_cases, standards_in_use
    from cp_audit.run.audit import run_audit
    from cp_audit.run.engine import SelectionError, select_rules
    from cp_audit.run.interface import AuditRequest
    from cp_audit.standards.spec import load

    settings = folder.settings
    standards_path = standards_in_use(None, folder)
    standards = load(standards_path)
    if request.grade is not None:
        grades = standards.grade_names
        if request.grade not in grades:
            raise UsageError(f'unknown grade "{request.grade}" (grades are: '
                             f'{", ".join(sorted(grades))})')
    listed = settings.cases_in_audit
    if listed is not None and request.case not in listed:
        raise UsageError(f"case {request.case} is not in this audit (cases_in_audit)")
    try:
        select = (request.rule,) if request.rule else settings.select
        rules = select_rules(standards, select, () if request.rule else settings.ignore)
    except SelectionError as exc:
        raise UsageError(str(exc)) from None
    paths = folder.case_paths(())
    audit = AuditRequest(
        paths=tuple(Path(p) for p in paths), standards=standards, rules=rules,
        as_of=settings.as_of or date.today(),
        exclude=frozenset(never_cases(folder, standards_path, folder.outputs, paths)),
        choice=case_choice((request.case,), folder),
        chronologies=False,  # a moderation reads the findings, never the drawing
    )
    result = run_audit(audit)
    if request.case not in result.cases.case_ids:
        raise UsageError(f"case {request.case} is not in this audit: no valid record of it"
                         f" under {', '.join(paths)}")
    return result.cases.section(request.case)
