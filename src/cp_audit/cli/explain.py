"""`cp-audit explain RULE`: one rule of the standards in use, its options and examples."""

from __future__ import annotations

import json
import sys
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import guarded, standards_in_use
from cp_audit.cli.rules import STANDARDS_HELP
from cp_audit.exitcodes import BAD_INPUT, OK

if TYPE_CHECKING:
    from cp_audit.standards.spec import Standards


@dataclass(frozen=True)
class ExplainRequest:
    rule: str
    standards: str | None = None


@click.command("explain")
@click.argument("rule_id")
@click.option("--standards", "standards_path", type=click.Path(dir_okay=False), help=STANDARDS_HELP)
def command(rule_id: str, standards_path: str | None) -> None:
    """One rule: what it means, its options and their values, its examples.

    The rule is looked up in the standards in use, as `cp-audit rules` lists them.
    """
    sys.exit(execute(ExplainRequest(rule=rule_id, standards=standards_path)))


def execute(request: ExplainRequest) -> int:
    return guarded("explain", _explain, request)


def _explain(request: ExplainRequest) -> int:
    standards = standards_in_use(request.standards)
    if request.rule not in standards.by_id:
        from cp_audit.standards.spec import no_such_rule

        click.echo(no_such_rule(request.rule, standards.by_id), err=True)
        return BAD_INPUT
    click.echo(explain_text(standards, request.rule))
    return OK


def explain_text(standards: Standards, rule_id: str) -> str:
    rule = standards.rule(rule_id)
    spec = rule.spec
    theme = standards.spec.themes[spec.theme]
    lines = [
        f"{spec.id}: {spec.title}",
        "",
        f"theme:   {spec.theme} ({theme.title})",
        f"kind:    {spec.kind.replace('_', ' ')}",
        f"weight:  {spec.weight:g}",
    ]
    if spec.worry:
        lines.append(f"worry:   {spec.worry}")
    if spec.good_practice:
        lines.append(f"good practice: {spec.good_practice}")
    lines.append(f"reads:   {', '.join(sorted(standards.parts(rule_id)))}")
    if rule.proved_by_example:
        lines.append("         (proved by one example: met wherever the records show it)")
    lines += ["", f"check type: {spec.check}", "options:"]
    for name, value in rule.options.model_dump(mode="json").items():
        lines.append(f"  {name}: {json.dumps(value)}")
    doc = textwrap.dedent(rule.check.__doc__ or "").strip()
    if doc:
        lines += ["", textwrap.indent(doc, "  ")]
    if spec.examples:
        lines += ["", "examples:"]
        lines += [f"  {ex.outcome:<15} {ex.name} (as of {ex.as_of})" for ex in spec.examples]
    return "\n".join(lines)
