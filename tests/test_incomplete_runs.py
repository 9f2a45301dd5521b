"""A run with input that names no case says so loudly, in every format (issue 13).

The audit folder of one child in three agencies' files, the police file's
`case_id:` line deleted: the child is checked on the GP's and social care's
files alone, so the heading of every format says that cases may be incomplete
and whose file could not be attributed, and the books count that record.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from junitparser import Error, JUnitXml

from cp_audit.cli import cli

SAMPLES = Path(__file__).parents[1] / "samples"
NOTICE = (
    "Cases may be incomplete: 1 record in 1 file names no case"
    " (police: cases/ns-06-police.yaml), so its child's findings may rest on part of the"
    " records."
)
TALLY = (
    "Cases: 1 in = 1 checked + 0 rejected; 1 record named no case and is not in any case."
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """cases/: a GP JSON, a social care YAML and a police YAML without its case_id."""
    cases = tmp_path / "cases"
    cases.mkdir()
    social_care = (SAMPLES / "ns-06" / "social-care.yaml").read_text(encoding="utf-8")
    (cases / "ns-06-social-care.yaml").write_text(social_care, encoding="utf-8")
    gp = {"format": 1, "case_id": "NS-2022-06",
          "source": {"agency": "gp", "system": "emis", "exported": "2022-09-20"}}
    (cases / "ns-06-gp.json").write_text(json.dumps(gp), encoding="utf-8")
    police = json.loads((SAMPLES / "ns-06" / "police.json").read_text(encoding="utf-8"))
    del police["case_id"]
    (cases / "ns-06-police.yaml").write_text(
        yaml.safe_dump({"format": 1, **police}, sort_keys=False), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["check", "cases", "--as-of", "2022-09-30", *args], prog_name="cp-audit",
        env={"NO_COLOR": None, "COLUMNS": None},
    )
    return result.exit_code, result.stdout


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_real_run_says_it_in_the_heading_and_the_tally(folder: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", "cases", "--as-of", "2022-09-30"],
        cwd=folder, capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    heading = one_line("\n".join(lines[:8]))
    assert NOTICE in heading  # under the title, before the as-of line
    assert heading.index(NOTICE) < heading.index("Audit as of")
    assert TALLY in one_line(done.stdout)


@pytest.mark.parametrize("format_name", ["text", "markdown", "html"])
def test_every_readable_format_says_it_near_the_title(folder: Path, format_name: str) -> None:
    code, out = check("--format", format_name)
    assert code == 2
    text = one_line(out.replace("**", ""))
    assert NOTICE.replace("'", "&#x27;" if format_name == "html" else "'") in text
    title = text.index("Multi-agency child protection audit standards")
    assert title < text.index("Cases may be incomplete") < text.index("Agencies whose records")
    assert "1 record named no case and is not in any case" in text


def test_json_says_it_in_the_summary(folder: Path) -> None:
    code, out = check("--format", "json")
    doc = json.loads(out)
    assert code == 2
    assert doc["summary"]["incomplete"] is True and doc["incomplete"] is True
    assert doc["summary"]["unattributed"] == [
        {"file": "cases/ns-06-police.yaml", "agency": "police", "location": None,
         "unreadable": False}
    ]
    assert doc["counts"]["records_unattributed"] == 1
    assert doc["counts"]["inputs_unreadable"] == 0
    assert doc["summary"]["cases"] == 1


def test_csv_has_a_row_for_the_record(folder: Path) -> None:
    code, out = check("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert code == 2
    gap = [row for row in rows if row["outcome"] == "unattributed"]
    assert len(gap) == 1 and gap[0]["case_id"] == ""
    assert gap[0]["evidence"] == "cases/ns-06-police.yaml: a record of police that names no case"
    assert {row["as_of"] for row in rows} == {"2022-09-30"}


def test_junit_data_suite_says_it(folder: Path) -> None:
    code, out = check("--format", "junit")
    assert code == 2
    suite = next(s for s in JUnitXml.fromstring(out.encode()) if s.name == "data problems")
    first = next(iter(suite))
    assert first.name == "cases may be incomplete"
    error = first.result[0]
    assert isinstance(error, Error) and error.message == NOTICE
    assert "cases/ns-06-police.yaml: a record of police" in (error.text or "")


def test_an_unreadable_file_is_named_too(folder: Path) -> None:
    (folder / "cases" / "broken.json").write_text("{not json", encoding="utf-8")
    code, out = check("--format", "text")
    text = one_line(out)
    assert code == 2
    assert (
        "1 record in 1 file names no case (police: cases/ns-06-police.yaml) and 1 file or line"
        " could not be read at all (cases/broken.json), so a child's findings" in text
    )
    assert "1 file or line could not be read and may have held cases" in text


@pytest.mark.parametrize("format_name", ["text", "markdown", "html", "json", "csv", "junit"])
def test_a_clean_run_says_nothing_of_it(
    format_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    result = CliRunner().invoke(cli, ["check", "samples/", "--format", format_name])
    assert result.exit_code == 1
    assert "incomplete" not in result.stdout.replace('"incomplete": false', "")
    assert "unattributed" not in result.stdout.replace('"unattributed": []', "").replace(
        '"records_unattributed": 0', ""
    )
