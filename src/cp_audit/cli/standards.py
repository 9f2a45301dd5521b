"""The commands about the standards: rules, explain, standards check/test, schema standards."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import click

from cp_audit.exitcodes import BAD_INPUT, FINDINGS, OK

STANDARDS_HELP = "Standards YAML (default: the packaged default standards)."


def load_standards(path: str | None) -> Any:
    """The standards, or exit 2 with every problem named (checked before any case is read)."""
    from cp_audit.standards.spec import StandardsError, load

    try:
        return load(path)
    except StandardsError as exc:
        _echo_problems(exc)
        raise SystemExit(BAD_INPUT) from None


def _echo_problems(exc: Any) -> None:
    for problem in exc.problems:
        click.echo(f"{exc.path}: {problem}", err=True)


@click.command("rules")
@click.option("--standards", "standards_path", type=click.Path(dir_okay=False), help=STANDARDS_HELP)
def rules_command(standards_path: str | None) -> None:
    """List the rules of the standards in use: id, theme, kind, weight, title."""
    standards = load_standards(standards_path)
    rows = [(r.id, r.spec.theme, r.spec.kind, f"{r.spec.weight:g}", r.spec.title)
            for r in standards.rules]
    header = ("id", "theme", "kind", "weight", "title")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True))
                   + "  " + row[4])


@click.command("explain")
@click.argument("rule_id")
@click.option("--standards", "standards_path", type=click.Path(dir_okay=False), help=STANDARDS_HELP)
def explain_command(rule_id: str, standards_path: str | None) -> None:
    """One rule: what it means, its options and their values, its examples."""
    standards = load_standards(standards_path)
    if rule_id not in standards.by_id:
        from cp_audit.standards.spec import no_such_rule

        click.echo(no_such_rule(rule_id, standards.by_id), err=True)
        raise SystemExit(BAD_INPUT)
    click.echo(explain_text(standards, rule_id))


def explain_text(standards: Any, rule_id: str) -> str:
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


@click.group("standards")
def standards_group() -> None:
    """Check a standards YAML, or run the examples written inside it."""


@standards_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def standards_check(files: tuple[str, ...]) -> None:
    """Validate standards YAML FILES: exit 0 when all are valid, 2 with every problem otherwise.

    Several files may be given (as a pre-commit hook does); each is checked.
    """
    from cp_audit.standards.spec import StandardsError, load

    invalid = False
    for file in files:
        try:
            standards = load(file)
        except StandardsError as exc:
            _echo_problems(exc)
            invalid = True
            continue
        click.echo(f"{file}: valid: {len(standards.rules)} rules, "
                   f"{len(standards.spec.themes)} themes")
    raise SystemExit(BAD_INPUT if invalid else OK)


@standards_group.command("test")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every example, not only failures.")
def standards_test(file: str, verbose: bool) -> None:
    """Run the examples inside a standards YAML: exit 1 when one gives the wrong outcome."""
    from cp_audit.standards.examples import run_examples

    standards = load_standards(file)
    passed = failed = 0
    for run in run_examples(standards):
        if run.passed:
            passed += 1
            if verbose:
                click.echo(f'ok    rule "{run.rule}" example "{run.name}": {run.got}')
            continue
        failed += 1
        got = run.error or f"gave {run.got}"
        click.echo(f'FAIL  rule "{run.rule}" example "{run.name}": expected {run.expected}, {got}')
        for item in run.evidence:
            click.echo(f"        {item}")
    click.echo(f"{passed} passed, {failed} failed")
    raise SystemExit(FINDINGS if failed else OK)

