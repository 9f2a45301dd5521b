"""Running the CLI in-process for a test: click's CliRunner, and no traceback allowed."""

from __future__ import annotations

from click.testing import CliRunner, Result

from cp_audit.cli import cli


def invoke(*args: str) -> Result:
    """`cp-audit ARGS...` through click's CliRunner; a traceback fails the test."""
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result
