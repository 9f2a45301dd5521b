"""Running the CLI in-process for a test: click's CliRunner, and no traceback allowed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from cp_audit.cli import cli


def invoke(*args: str) -> Result:
    """`cp-audit ARGS...` through click's CliRunner; a traceback fails the test."""
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def check_with_a_gp_record(folder: Path, case_id: str) -> tuple[int, dict[str, Any]]:
    """`cp-audit check FOLDER --format json`, once a GP's JSON record of `case_id`
    (`gp.json`) is added to the folder: the exit code and the report."""
    record = {"case_id": case_id,
              "source": {"agency": "gp", "system": "emis",
                         "covers": ["participants", "agency_records"]},
              "agency_records": [{"agency": "gp", "shows_cp_plan": True}]}
    (folder / "gp.json").write_text(json.dumps(record), encoding="utf-8")
    result = invoke("check", str(folder), "--as-of", "2022-07-21", "--format", "json")
    return result.exit_code, json.loads(result.stdout)
