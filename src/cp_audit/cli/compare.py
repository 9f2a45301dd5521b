"""`cp-audit compare OLD NEW`: the change from one audit of a theme to the next.

Each folder's latest run recorded in its `history.sqlite` (`history: true`);
a folder without one is an error saying to run `check` there. Printed as the
report's "Since the last audit" section (`--format text|markdown|html|json`,
`-o FILE` as for `check`); the sentences are those of NEW's standards, the
actions those of OLD's `meeting.yaml`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import UsageError, audit_folder, guarded
from cp_audit.exitcodes import OK

if TYPE_CHECKING:
    from cp_audit.report.content import SinceLastAudit

FORMATS = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}


@dataclass(frozen=True)
class CompareRequest:
    old: str
    new: str
    format: str = "text"
    outputs: tuple[str, ...] = ()


@click.command("compare")
@click.argument("old", type=click.Path(file_okay=False, exists=True))
@click.argument("new", type=click.Path(file_okay=False, exists=True))
@click.option("--format", "format_", type=click.Choice(list(FORMATS)), default="text",
              help="The comparison on stdout.")
@click.option("--output", "-o", multiple=True, type=click.Path(dir_okay=False),
              help="Also write it to FILE (.txt, .md, .html, .json). Repeatable.")
def command(old: str, new: str, format_: str, output: tuple[str, ...]) -> None:
    """Compare the audit in folder OLD with the re-audit in folder NEW: per rule the
    agreed share of cases then and now, the grades, and OLD's agreed actions."""
    sys.exit(execute(CompareRequest(old, new, format_, output)))


def execute(request: CompareRequest) -> int:
    return guarded("compare", _run, request)


def _run(request: CompareRequest) -> int:
    from cp_audit.atomic import WriteError, write_atomic
    from cp_audit.folder.resolve import standards_in_use
    from cp_audit.meeting.compare import since
    from cp_audit.meeting.session import latest_run, previous_actions
    from cp_audit.standards.spec import load

    by_ext = {ext: name for name, ext in FORMATS.items()}
    for output in request.outputs:
        if Path(output).suffix.lower() not in by_ext:
            raise UsageError(f"{output}: give a file ending .txt, .md, .html or .json")
    new_folder = audit_folder([request.new])
    old, new = latest_run(Path(request.old)), latest_run(Path(request.new))
    spec = load(standards_in_use(None, new_folder)).spec
    found = since(old, new, spec, previous=request.old,
                  actions=previous_actions(Path(request.old)))
    click.echo(render(found, request.format), nl=False)
    for output in request.outputs:
        try:
            write_atomic(Path(output), [render(found, by_ext[Path(output).suffix.lower()])])
        except WriteError as exc:
            raise UsageError(str(exc)) from None
    return OK


def render(found: SinceLastAudit, format_name: str) -> str:
    if format_name == "json":
        import json

        from cp_audit.report.json import since_object

        return json.dumps({"since_last_audit": since_object(found)}, indent=2,
                          ensure_ascii=False) + "\n"
    if format_name == "markdown":
        from cp_audit.report.markdown import since_section

        return since_section(found).lstrip("\n")
    if format_name == "html":
        from cp_audit.report.html import since_document

        return since_document(found)
    from cp_audit.report.text import since_text

    return since_text(found)
