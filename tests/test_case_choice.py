"""Choosing the cases of an audit: `--case ID` on check and validate, `cases_in_audit` in
cp-audit.yaml; cases read but not chosen are left out and counted, a chosen id that no
file holds is a data problem (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cp_audit.cli import cli
from cp_audit.results import Counts
from cp_audit.run import choice as choice_module

GOOD = '{"case_id": "%s", "child": {"age_years": 7}}\n'


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "all.jsonl").write_text("".join(GOOD % c for c in "ABCDE"))
    (tmp_path / "cp-audit.yaml").write_text(
        "as_of: 2022-09-30\ncases: [cases]\ncases_in_audit: [A, C]\n"
    )
    return tmp_path


def test_validate_counts_the_cases_left_out(tmp_path: Path) -> None:
    (tmp_path / "all.jsonl").write_text("".join(GOOD % c for c in "ABCDE"))
    result = invoke("validate", str(tmp_path), "--case", "B", "--case", "D")
    assert result.exit_code == 0
    assert "5 cases read, 2 in this audit: 2 loaded, 0 rejected" in result.output


def test_without_a_choice_the_summary_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "all.jsonl").write_text("".join(GOOD % c for c in "AB"))
    assert "2 cases loaded, 0 rejected" in invoke("validate", str(tmp_path)).output


def test_check_reports_only_the_cases_in_audit(folder: Path) -> None:
    result = invoke("check", str(folder), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert [case["case_id"] for case in report["cases"]] == ["A", "C"]
    counts = report["counts"]  # the books balance: 5 read = 2 checked + 0 rejected + 3 left out
    assert (counts["cases_loaded"], counts["cases_rejected"], counts["cases_left_out"]) == (2, 0, 3)
    text = invoke("check", str(folder)).stdout
    assert "Cases: 5 read, 2 in this audit = 2 checked + 0 rejected." in text


def test_case_option_wins_over_cases_in_audit(folder: Path) -> None:
    report = json.loads(invoke("check", str(folder), "--format", "json", "--case", "E").stdout)
    assert [case["case_id"] for case in report["cases"]] == ["E"]


def test_a_listed_id_no_file_holds_is_a_problem_exit_2(folder: Path) -> None:
    config = folder / "cp-audit.yaml"
    config.write_text(config.read_text().replace("[A, C]", "[A, Z]"))
    result = invoke("validate", str(folder))
    assert result.exit_code == 2
    assert f"{config}: case Z: is in cases_in_audit, but no file holds this case" in result.output
    checked = invoke("check", str(folder), "--format", "json")
    assert checked.exit_code == 2
    problems = json.loads(checked.stdout)["errors"]
    assert [(p["case_id"], p["message"]) for p in problems] == [
        ("Z", "is in cases_in_audit, but no file holds this case")
    ]


def test_a_bad_case_id_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("validate", str(tmp_path), "--case", "a/b")
    assert result.exit_code == 2 and "is not a case id" in result.output


def test_a_bad_cases_in_audit_is_a_setting_error(folder: Path) -> None:
    (folder / "cp-audit.yaml").write_text("cases: [cases]\ncases_in_audit: ['a/b']\n")
    result = invoke("check", str(folder))
    assert result.exit_code == 2 and "cases_in_audit" in result.output


def test_left_out_records_are_not_validated() -> None:
    from cp_audit.inputs.interface import RawRecord

    records = [RawRecord(f"f{c}", "", {"case_id": c, "child": "bad"}) for c in "AB"]
    records.append(RawRecord("g", "", {"child": {}}))  # names no case: kept, for its problem
    choice = choice_module.Choice(frozenset({"A"}), "--case")
    kept, left_out = choice_module.chosen_records(records, choice)
    assert [r.file for r in kept] == ["fA", "g"] and left_out == {"B"}


def test_counts_default_to_none_left_out() -> None:
    assert Counts().cases_left_out == 0
