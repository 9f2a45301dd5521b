"""`cp-audit validate`, `cp-audit schema case`, `--version`: through click and a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cp_audit import __version__
from cp_audit.cli import cli

EXAMPLE = Path(__file__).parent / "data" / "format-example.yaml"
GOOD = '{"case_id": "%s", "child": {"age_years": 7}}'


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_version() -> None:
    assert invoke("--version") == (0, f"cp-audit, version {__version__}\n")


def test_help_lists_the_commands() -> None:
    code, output = invoke("--help")
    assert code == 0
    assert "validate" in output and "schema" in output


def test_everything_valid_exits_0(here: Path) -> None:
    Path("cases").mkdir()
    Path("cases/example.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    Path("cases/notes.txt").write_text("not a case")
    assert invoke("validate", "cases") == (
        0, "2 files found: 1 read, 1 skipped; 1 case loaded, 0 rejected\n")


def test_problems_one_per_line_then_the_summary_exits_2(here: Path) -> None:
    Path("cases").mkdir()
    Path("cases/a.json").write_text(GOOD % "A")
    Path("cases/b.json").write_text('{"case_id": "B", "child": {"age_years": 7}, "atendees": []}')
    Path("cases/c.jsonl").write_text(GOOD % "C" + "\n{oops\n")
    code, output = invoke("validate", "cases", "missing.json")
    assert code == 2
    assert output.splitlines() == [
        "missing.json: no such file or folder",
        "cases/c.jsonl: line 2, column 2: not valid JSON: Expecting property name enclosed in "
        "double quotes",
        'cases/b.json: case B: line 1, column 45: unknown field "atendees" (a field of your own '
        'must begin with "x_")',
        "3 files found: 3 read, 0 skipped; 2 cases loaded, 1 rejected; some input could not be "
        "read, so cases may be incomplete",
    ]


def test_quiet_prints_only_the_problems(here: Path) -> None:
    Path("a.json").write_text(GOOD % "A")
    assert invoke("validate", "--quiet", "a.json") == (0, "")
    Path("b.json").write_text("[]")
    assert invoke("validate", "-q", "a.json", "b.json") == (
        2, "b.json: no case record in the file (a failed export often looks like this)\n")


def test_the_audit_folders_own_files_are_not_cases(here: Path) -> None:
    Path("audit/cases").mkdir(parents=True)
    Path("audit/cp-audit.yaml").write_text("name: Audit\nstandards: standards.yaml\n"
                                           "outputs: [report.json]\n")
    Path("audit/standards.yaml").write_text("name: Our standards\nrules: {}\n")
    Path("audit/report.json").write_text('{"tool": {}}')
    Path("audit/cases/a.yaml").write_text(GOOD % "A")
    assert invoke("validate", "audit") == (
        0, "4 files found: 1 read, 3 skipped; 1 case loaded, 0 rejected\n")


def test_no_path_is_a_usage_error(here: Path) -> None:
    code, output = invoke("validate")  # outside an audit folder (inside one: its cases)
    assert code == 2
    assert "Missing argument" in output


def test_schema_case_is_the_case_records_json_schema() -> None:
    code, output = invoke("schema", "case")
    assert code == 0
    schema = json.loads(output)
    assert schema["title"] == "cp-audit case record, format 1"
    assert schema["required"] == ["case_id"]
    assert schema["additionalProperties"] is False
    assert "from" in schema["$defs"]["Professional"]["properties"]


def test_a_real_process_never_shows_a_traceback(here: Path) -> None:
    Path("bad.yaml").write_bytes(b"case_id: [\n\xff")
    Path("deep.json").write_text('{"case_id": "A", "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
    Path("good.json").write_text(GOOD % "G")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "validate", "."],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "bad.yaml: line 2: not UTF-8 text",
        "deep.json: nested too deeply",
        "3 files found: 3 read, 0 skipped; 1 case loaded, 0 rejected; some input could not be "
        "read, so cases may be incomplete",
    ]
    version = subprocess.run([sys.executable, "-m", "cp_audit", "--version"],
                             capture_output=True, text=True, env=env, timeout=60, check=True)
    assert version.stdout == f"cp-audit, version {__version__}\n"
