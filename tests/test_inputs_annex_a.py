"""Ofsted Annex A returns (`.xlsx`): List 7 read as the cohort, every bad cell located.

Workbooks are built with openpyxl in tmp_path; `shared/importers.md` ("Ofsted
Annex A") is the contract.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import check_with_a_gp_record
from load_helpers import load
from load_helpers import read_file as parse_file
from openpyxl import Workbook

from cp_audit.inputs import annex_a, reader_for
from cp_audit.inputs.annex_a import CP_AUDIT_WORKBOOK, NOT_READ, AnnexAReader
from cp_audit.inputs.interface import Limits
from cp_audit.inputs.reading import sizes

# List 7's headings as a council's export might write them: other case, stray spaces,
# and columns that are not read among them.
HEADINGS = [
    " child unique id", "Gender ", "Ethnicity", "DATE OF BIRTH", "Allocated Worker",
    "Child Protection Plan Start Date", "Initial Category of Abuse",
    "Child Protection Plan End Date",
]
CHILDREN: list[list[Any]] = [
    [10721552, "a) Male", "WBRI", datetime(2015, 3, 1), "x", datetime(2022, 4, 3),
     "Emotional abuse", None],
    ["AB-7", "b) Female", "WBRI", "2018-06-30", "x", "2022-01-10", "NEG", "2022-06-01"],
    [10721553.0, "Female", None, datetime(2017, 1, 9), None, date(2021, 11, 5),
     "Physical Abuse", None],
    ["C9", "Not stated", None, "2019-02-02", None, "2022-02-02", "mul", None],
]


def workbook(path: Path, rows: list[list[Any]], headings: list[str] = HEADINGS,
             sheets: tuple[str, ...] = tuple(f"List {n}" for n in range(1, 12))) -> str:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        sheet.append(headings if name == "List 7" else ["Child Unique ID", "Gender"])
        if name == "List 7":
            for row in rows:
                sheet.append(row)
    book.save(path)
    return str(path)


def lines(path: str) -> list[str]:
    """What reading the file and merging its records says, as the run tells it."""
    return [str(problem) for problem in load([path]).problems]


def test_a_valid_return_gives_one_record_per_child_of_list_7(tmp_path: Path) -> None:
    path = workbook(tmp_path / "annex-a.xlsx", CHILDREN)
    result = parse_file(path)
    assert result.problems == ()
    assert [(r.place, r.data["case_id"]) for r in result.records] == [
        ("List 7, row 2", "10721552"), ("List 7, row 3", "AB-7"),
        ("List 7, row 4", "10721553"), ("List 7, row 5", "C9"),
    ]
    first = result.records[0].data
    assert first == {
        "case_id": "10721552",
        "source": {"agency": "social_care", "system": "annex_a", "covers": ["plans"]},
        "child": {"date_of_birth": "2015-03-01", "gender": "male"},
        "plans": [{"start": "2022-04-03", "category": "emotional_abuse"}],
    }
    loaded = load([path])
    assert loaded.problems == []
    cases = {case.case_id: case for case in loaded.cases}
    assert cases["AB-7"].child.gender == "female"
    assert cases["AB-7"].plans[0].category == "neglect"
    assert cases["AB-7"].plans[0].end == date(2022, 6, 1)
    assert cases["AB-7"].child.date_of_birth == date(2018, 6, 30)
    assert cases["10721553"].plans[0].category == "physical_abuse"
    assert cases["10721553"].child.gender == "female"
    assert cases["C9"].child.gender == "unknown"
    assert cases["C9"].plans[0].category == "multiple"


def test_two_plans_of_one_child_are_one_case(tmp_path: Path) -> None:
    second = ["AB-7", "Female", None, "2018-06-30", None, "2022-09-01", "Sexual abuse", None]
    loaded = load([workbook(tmp_path / "a.xlsx", [CHILDREN[1], second])])
    assert loaded.problems == []
    (case,) = loaded.cases
    assert [plan.category for plan in case.plans] == ["neglect", "sexual_abuse"]


def test_blank_rows_are_skipped_and_rows_are_numbered_as_shown(tmp_path: Path) -> None:
    rows = [CHILDREN[0], [None] * 8, ["  "], CHILDREN[1]]
    result = parse_file(workbook(tmp_path / "a.xlsx", rows))
    assert [r.place for r in result.records] == ["List 7, row 2", "List 7, row 5"]


def test_a_missing_heading_names_the_sheet_and_the_heading(tmp_path: Path) -> None:
    headings = [h for h in HEADINGS if h not in ("DATE OF BIRTH", "Gender ")]
    path = workbook(tmp_path / "a.xlsx", [], headings)
    assert lines(path) == [
        f"{path}: row 1: sheet List 7 has no column headed 'Date of Birth', 'Gender' "
        "in its first row"
    ]
    assert parse_file(path).unreadable


def test_a_heading_given_twice_is_not_guessed(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", [], [*HEADINGS, "gender"])
    assert lines(path) == [
        f"{path}: row 1: sheet List 7 has two columns headed 'Gender' (B and I): "
        "which one holds it is not guessed"
    ]


def test_a_formula_cell_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    bad = ["F1", "Male", None, "=DATE(2015,1,1)", None, "2022-01-01", "NEG", None]
    path = workbook(tmp_path / "a.xlsx", [CHILDREN[0], bad])
    assert lines(path) == [
        f"{path}: case F1: List 7, row 3: Date of Birth: cell D3 holds a formula: values "
        "are typed, never computed (type the value itself)"
    ]
    loaded = load([path])
    assert [case.case_id for case in loaded.cases] == ["10721552"]
    assert loaded.counts.cases_rejected == 1


def test_a_text_date_that_is_not_iso_rejects_the_child_other_rows_read(tmp_path: Path) -> None:
    bad = ["T1", "Male", None, None, None, "03/04/2022", "NEG", None]
    again = ["T1", "Male", None, None, None, "2022-09-01", "NEG", None]
    path = workbook(tmp_path / "a.xlsx", [bad, CHILDREN[1], again])
    assert lines(path) == [
        f"{path}: case T1: List 7, row 2: Child Protection Plan Start Date: not an ISO date: "
        "'03/04/2022' (use YYYY-MM-DD)"
    ]
    loaded = load([path])
    assert [case.case_id for case in loaded.cases] == ["AB-7"]  # T1's good row is not read
    assert loaded.counts.cases_rejected == 1  # T1 is rejected whole, and counted so


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["N1", "Male", None, 42000, None, "2022-01-01", "NEG", None],
         "case N1: List 7, row 2: Date of Birth: a number, not a date: make it a date cell "
         "or type YYYY-MM-DD"),
        (["N2", "Male", None, None, None, "2022-01-01", "Bullying", None],
         "case N2: List 7, row 2: Initial Category of Abuse: 'Bullying' is not a category "
         "of abuse: emotional abuse, neglect, physical abuse, sexual abuse or multiple (or "
         "the census codes EMO, NEG, PHY, SAB, MUL)"),
        (["N3", "Male", None, None, None, "2022-05-01", "NEG", "2022-04-01"],
         "case N3: List 7, row 2: Child Protection Plan End Date: the plan ends "
         "(2022-04-01) before it starts (2022-05-01)"),
        (["N4", "Male", None, None, None, None, "NEG", None],
         "case N4: List 7, row 2: Child Protection Plan Start Date: empty: a row of List 7 "
         "is a plan, which has a start"),
        ([None, "Male", None, None, None, "2022-01-01", "NEG", None],
         "List 7, row 2: Child Unique ID: empty: the row names no child"),
        ([1.5, "Male", None, None, None, "2022-01-01", "NEG", None],
         "List 7, row 2: Child Unique ID: a number with a fraction (1.5), not an id"),
    ],
)
def test_each_bad_cell_is_located(tmp_path: Path, row: list[Any], message: str) -> None:
    path = workbook(tmp_path / "a.xlsx", [row])
    assert lines(path) == [f"{path}: {message}"]
    loaded = load([path])
    assert loaded.cases == []
    # a row that names its child rejects that case; one that names none is in no case
    assert loaded.counts.cases_rejected == (1 if message.startswith("case ") else 0)
    named = message.startswith("case ")
    assert [bool(r.errors) for r in parse_file(path).records] == ([True] if named else [])


def test_a_bad_row_rejects_the_case_whole_with_its_records_in_other_files(
    tmp_path: Path,
) -> None:
    bad = ["AB-7", "Female", None, "2018-06-30", None, "03/04/2022", "NEG", None]
    path = workbook(tmp_path / "annex-a.xlsx", [CHILDREN[0], bad])
    code, report = check_with_a_gp_record(tmp_path, "AB-7")
    assert code == 2
    assert report["summary"]["rejected"] == 1 and report["counts"]["cases_rejected"] == 1
    assert [case["case_id"] for case in report["cases"]] == ["10721552"]
    files = sorted([path, str(tmp_path / "gp.json")])
    assert [(e["case_id"], e["files"], e["location"], e["message"])
            for e in report["errors"]] == [
        ("AB-7", files, "List 7, row 3",
         "Child Protection Plan Start Date: not an ISO date: '03/04/2022' (use YYYY-MM-DD)"),
        ("AB-7", files, None, "rejected whole: none of its records in these files is used"),
    ]


def test_an_xlsx_that_is_not_an_annex_a_return_says_what_was_looked_for(tmp_path: Path) -> None:
    other = workbook(tmp_path / "budget.xlsx", [], ["Cost", "Month"], ("Sheet1", "List 7"))
    assert lines(other) == [f"{other}: {NOT_READ}"]
    about = workbook(tmp_path / "gp.xlsx", [], ["x"], ("About", "Meetings"))
    assert lines(about) == [f"{about}: {CP_AUDIT_WORKBOOK}"]


def test_a_file_that_is_not_a_zip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("Child Unique ID,Gender\n1,Male\n", encoding="utf-8")
    assert lines(str(path)) == [
        f"{path}: not an Excel workbook: an .xlsx file is a zip archive and this is not one "
        "(an .xls or .csv file renamed?)"
    ]


def test_a_zip_that_is_no_workbook_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert lines(str(path)) == [f"{path}: not an Excel workbook: it cannot be opened as one"]


def test_a_zip_bomb_is_never_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 20_000
    result = AnnexAReader().read(str(path), Limits(xlsx_unzipped_bytes=1024 * 1024))
    assert [str(p) for p in result.problems] == [
        f"{path}: the workbook unpacks to 3 MB, over the 1 MB limit: not opened (a zip bomb, "
        "or a workbook far bigger than any return or cp-audit workbook)"
    ]


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", CHILDREN)
    shown, over = sizes(os.stat(path).st_size, 1024)
    result = AnnexAReader().read(path, Limits(xlsx_bytes=1024))
    assert result.unreadable
    assert [str(p) for p in result.problems] == [
        f"{path}: the file is {shown}, over the {over} limit for an .xlsx file: not read"
    ]


def test_more_rows_than_the_limit_reject_the_file(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", CHILDREN)
    result = AnnexAReader().read(path, Limits(xlsx_rows=3))
    assert [str(p) for p in result.problems] == [
        f"{path}: row 5: sheet List 7 holds more than 3 rows of children, the limit: not read"
    ]
    assert result.records == () and result.unreadable
    assert len(AnnexAReader().read(path, Limits(xlsx_rows=4)).records) == 4


def test_every_xlsx_is_read_by_the_annex_a_reader() -> None:
    assert isinstance(reader_for("cases/ANNEX-A.XLSX"), AnnexAReader)


def test_validate_and_check_read_a_return_in_a_real_run(tmp_path: Path) -> None:
    workbook(tmp_path / "annex-a.xlsx", CHILDREN)
    env = {**os.environ, "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cp_audit", *args], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=120,
                              check=False)

    validated = run("validate", "annex-a.xlsx")
    assert validated.returncode == 0, validated.stderr
    assert "4" in validated.stdout + validated.stderr
    checked = run("check", "annex-a.xlsx", "--as-of", "2022-07-21", "-q", "-o", "report.json")
    assert checked.returncode in (0, 1), checked.stderr  # the rules' outcomes are not ours
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "Traceback" not in checked.stderr
    assert len(report["cases"]) == 4


def test_a_sheet_openpyxl_fails_on_is_a_damaged_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = workbook(tmp_path / "a.xlsx", CHILDREN)

    def broken(*args: Any) -> None:
        raise KeyError("xl/worksheets/sheet7.xml")

    monkeypatch.setattr(annex_a, "_read_list_7", broken)
    assert lines(path) == [f"{path}: the workbook is damaged: its sheet List 7 cannot be read"]
    assert parse_file(path).unreadable
