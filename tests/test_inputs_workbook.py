"""The cp-audit workbook reader: records, covers, and every kind of bad cell or shape."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import check_with_a_gp_record
from load_helpers import load
from openpyxl import load_workbook
from workbook_helpers import fill, messages, read, template

from cp_audit.inputs.interface import Limits
from cp_audit.inputs.workbook import WorkbookReader
from cp_audit.workbook.template import Prefill

CASES = [Prefill("C1", (("icpc", date(2022, 1, 10)), ("rcpc", date(2022, 4, 8))))]
GP = {"role": "gp", "status": "apologies", "report": True}


def test_answered_rows_are_the_agencys_records_unanswered_ignored(tmp_path: Path) -> None:
    path = fill(template(tmp_path / "gp.xlsx", cases=CASES), "Meetings", [GP])
    result = read(path)
    assert messages(result) == []
    [record] = result.records
    assert record.data == {
        "case_id": "C1",
        "source": {"agency": "gp", "system": "cp_audit_workbook",
                   "covers": ["participants", "agency_records"]},
        "meetings": [{"type": "icpc", "date": "2022-01-10", "participants": [
            {"agency": "gp", "role": "gp", "status": "apologies", "report": True}]}],
    }


def test_participants_of_one_meeting_and_flags_of_one_record_are_one_entry(
    tmp_path: Path,
) -> None:
    path = template(tmp_path / "gp.xlsx")
    fill(path, "Meetings", [
        {"case_id": "C1", "type": "ICPC", "date": "2022-01-10", "role": "gp"},
        {"case_id": "C1", "type": "icpc", "date": datetime(2022, 1, 10), "role": "nurse"}])
    fill(path, "Agency record", [{"case_id": "C1", "agency": "gp", "shows_cp_plan": "TRUE"}])
    fill(path, "Flags", [{"case_id": "C1", "agency": "gp", "flag": "dash"},
                         {"case_id": "C1", "agency": "gp", "flag": "cp", "from": "2020-01-01"}])
    [record] = read(path).records
    assert [len(m["participants"]) for m in record.data["meetings"]] == [2]
    assert record.data["agency_records"] == [{"agency": "gp", "shows_cp_plan": True, "flags": [
        {"flag": "dash"}, {"flag": "cp", "from": "2020-01-01"}]}]


def test_covers_comes_from_the_about_sheet_and_rows_of_parts_not_covered_are_errors(
    tmp_path: Path,
) -> None:
    path = fill(template(tmp_path / "gp.xlsx"), "Tools", [{"case_id": "C1", "name": "dash"}])
    assert messages(read(path)) == [
        f"{path}: Tools, row 2: this sheet has entries of tools, which the About sheet's covers "
        "does not list: add it there if every such entry of the agency's record is in this "
        "workbook"]
    book = load_workbook(path)
    book["About"]["B4"] = "participants, agency_records, tools"
    book.save(path)
    [record] = read(path).records
    assert record.data["source"]["covers"] == ["participants", "agency_records", "tools"]
    book["About"]["B4"] = "participants, tols"
    book.save(path)
    assert messages(read(path)) == [
        f"{path}: About, row 4: covers: 'tols' is not a part (did you mean 'tools'?)"]


@pytest.mark.parametrize(("cells", "message"), [
    ({"date": "03/04/2022"}, "Meetings, row 2: date: not an ISO date: '03/04/2022' "
     "(use YYYY-MM-DD)"),
    ({"date": 44000}, "Meetings, row 2: date: a number, not a date: make it a date cell or "
     "type YYYY-MM-DD"),
    ({"report": "yes"}, "Meetings, row 2: report: must be true or false"),
    ({"status": "atended"}, "Meetings, row 2: status: 'atended' is not one of: attended, "
     'apologies, declined, did_not_attend, not_invited (did you mean "attended"?)'),
    ({"person": 7, "role": None}, "Meetings, row 2: person: a number where an id is expected: "
     "make the cell text and type the id (0123 keeps its 0)"),
    ({"person": "mum"}, "Meetings, row 2: a participant has exactly one of 'role' or 'person'"),
    ({"role": "=A1"}, "Meetings, row 2: role: cell D2 holds a formula: values are typed, never "
     "computed (type the value itself)"),
])
def test_each_bad_cell_is_located_and_its_case_rejected(
    tmp_path: Path, cells: dict[str, Any], message: str,
) -> None:
    row = {"case_id": "C1", "type": "icpc", "date": "2022-01-10", "role": "gp", **cells}
    path = template(tmp_path / "gp.xlsx")
    fill(path, "Meetings", [row, {"case_id": "C2", "type": "icpc", "date": "2022-01-10",
                                  "role": "gp"}])
    result = read(path)
    assert messages(result) == []  # the case's errors are its record's, not the file's
    assert [(r.data["case_id"], bool(r.errors)) for r in result.records] == [
        ("C1", True), ("C2", False)]
    # C2's child, from social care: a GP's record alone gives no age
    (tmp_path / "sc.yaml").write_text("case_id: C2\nsource: {agency: social_care}\n"
                                      "child: {age_years: 8}\n", encoding="utf-8")
    loaded = load([str(tmp_path)])
    assert [str(problem) for problem in loaded.problems] == [f"{path}: case C1: {message}"]
    assert [case.case_id for case in loaded.cases] == ["C2"]
    assert loaded.counts.cases_rejected == 1


def test_a_bad_cell_rejects_the_case_whole_with_its_records_in_other_files(
    tmp_path: Path,
) -> None:
    path = fill(template(tmp_path / "gp.xlsx", cases=CASES), "Meetings",
                [{**GP, "status": "atended"}, GP])
    code, report = check_with_a_gp_record(tmp_path, "C1")
    assert code == 2
    assert report["summary"]["rejected"] == 1 and report["counts"]["cases_rejected"] == 1
    assert report["cases"] == []
    files = sorted([str(path), str(tmp_path / "gp.json")])
    assert [(e["case_id"], e["files"], e["location"], e["message"].split(":")[0])
            for e in report["errors"]] == [
        ("C1", files, "Meetings, row 2", "status"),
        ("C1", files, None, "rejected whole"),
    ]


def test_a_row_with_answers_but_no_case_id_is_an_error(tmp_path: Path) -> None:
    path = fill(template(tmp_path / "gp.xlsx"), "Meetings",
                [{"type": "icpc", "date": "2022-01-10", "role": "gp"}])
    assert messages(read(path)) == [
        f"{path}: Meetings, row 2: case_id: empty: the row has answers but names no child"]


def _shape(path: Path, change: Any) -> list[str]:
    book = load_workbook(path)
    change(book)
    book.save(path)
    return messages(read(path))


def test_a_renamed_sheet_is_rejected_with_a_did_you_mean(tmp_path: Path) -> None:
    path = template(tmp_path / "gp.xlsx")
    found = _shape(path, lambda book: setattr(book["Meetings"], "title", "Meeting"))
    assert found[0].startswith(f"{path}: sheet 'Meeting' is not a sheet of a cp-audit "
                               "workbook (did you mean 'Meetings'?); the sheets are: Child,")


def test_a_misspelt_heading_is_rejected_with_a_did_you_mean(tmp_path: Path) -> None:
    path = template(tmp_path / "gp.xlsx")
    found = _shape(path, lambda book: setattr(book["Meetings"]["G1"], "value", "stauts"))
    assert found == [
        f"{path}: Meetings, row 1: column G: 'stauts' is not a heading of Meetings "
        "(did you mean 'status'?)",
        f"{path}: Meetings, row 1: no column headed status; the headings of Meetings are: "
        "case_id, type, date, role, person, agency, status, report"]


def test_hidden_sheets_merged_cells_and_hyperlinks_are_rejected(tmp_path: Path) -> None:
    path = template(tmp_path / "gp.xlsx")

    def change(book: Any) -> None:
        book["Tools"].sheet_state = "hidden"
        book["Meetings"].merge_cells("D2:E2")
        book["Flags"]["C2"].hyperlink = "https://example.org"

    assert _shape(path, change) == [
        f"{path}: mergeCell D2:E2 on sheet Meetings: merged cells are not read (unmerge them, "
        "a value in each cell)",
        f"{path}: sheet Tools is hidden: a cp-audit workbook hides no sheet (unhide it, or "
        "delete it)",
        f"{path}: hyperlink C2 on sheet Flags: a hyperlink is not read (remove it, type the "
        "value)"]


def test_more_rows_than_the_limit_reject_the_file(tmp_path: Path) -> None:
    rows = [{"case_id": f"C{i}", "type": "icpc", "date": "2022-01-10", "role": "gp"}
            for i in range(4)]
    path = fill(template(tmp_path / "gp.xlsx"), "Meetings", rows)
    result = read(path, Limits(xlsx_rows=3))
    assert messages(result) == [f"{path}: row 5: sheet Meetings holds more than 3 rows, "
                                "the limit: not read"]


def test_not_a_zip_or_a_zip_bomb_is_not_claimed_and_annex_a_says_why(tmp_path: Path) -> None:
    path = tmp_path / "gp.xlsx"
    path.write_bytes(b"not a zip")
    assert not WorkbookReader().claims(str(path))
    big = template(tmp_path / "big.xlsx")
    result = WorkbookReader().read(str(big), Limits(xlsx_unzipped_bytes=1000))
    assert "over the 1000 bytes limit: not opened (a zip bomb" in messages(result)[0]
