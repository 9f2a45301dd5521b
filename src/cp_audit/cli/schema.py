"""`cp-audit schema case|standards|meeting`: a JSON Schema, for editors and exporters."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Literal

import click

from cp_audit.exitcodes import OK

Which = Literal["case", "standards", "meeting"]


@dataclass(frozen=True)
class SchemaRequest:
    which: Which


@click.group("schema")
def command() -> None:
    """Print a JSON Schema (for editors and exporters)."""


@command.command("case")
def schema_case() -> None:
    """The JSON Schema of a case record (the case format)."""
    sys.exit(execute(SchemaRequest("case")))


@command.command("standards")
def schema_standards() -> None:
    """The JSON Schema of a standards file (the rules, their check types and options)."""
    sys.exit(execute(SchemaRequest("standards")))


@command.command("meeting")
def schema_meeting() -> None:
    """The JSON Schema of an audit meeting's record (meeting.yaml)."""
    sys.exit(execute(SchemaRequest("meeting")))


def execute(request: SchemaRequest) -> int:
    import json

    from cp_audit.schema import case_schema, meeting_schema, standards_schema

    makers = {"case": case_schema, "standards": standards_schema, "meeting": meeting_schema}
    schema = makers[request.which]()
    click.echo(json.dumps(schema, indent=2))
    return OK
