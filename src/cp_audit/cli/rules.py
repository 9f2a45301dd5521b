"""`cp-audit rules`: the rules of the standards in use, one line each."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from cp_audit.cli._common import guarded, standards_in_use
from cp_audit.exitcodes import OK

STANDARDS_HELP = "Standards YAML (default: cp-audit.yaml's, else the packaged default)."
HEADER = ("id", "theme", "kind", "weight", "title")


@dataclass(frozen=True)
class RulesRequest:
    standards: str | None = None


@click.command("rules")
@click.option("--standards", "standards_path", type=click.Path(dir_okay=False), help=STANDARDS_HELP)
def command(standards_path: str | None) -> None:
    """List the rules of the standards in use: id, theme, kind, weight, title.

    The standards in use: --standards, else those of the audit folder
    (the current folder's cp-audit.yaml), else the packaged default.
    """
    sys.exit(execute(RulesRequest(standards=standards_path)))


def execute(request: RulesRequest) -> int:
    return guarded("rules", _rules, request)


def _rules(request: RulesRequest) -> int:
    standards = standards_in_use(request.standards)
    rows = [(r.id, r.spec.theme, r.spec.kind, f"{r.spec.weight:g}", r.spec.title)
            for r in standards.rules]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(4)]
    for row in [HEADER, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True))
                   + "  " + row[4])
    return OK
