"""`cp-audit template`: the workbook an agency fills in (sheets, notes, lists, formats)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from workbook_helpers import template

from cp_audit.cli import cli
from cp_audit.inputs import reader_for
from cp_audit.inputs.workbook import WorkbookReader
from cp_audit.workbook.layout import PARTS, SHEET_NAMES, SHEETS
from cp_audit.workbook.template import Prefill

CASES = [Prefill("C1", (("icpc", date(2022, 1, 10)), ("rcpc", date(2022, 4, 8))))]


def test_a_gp_workbook_has_its_sheets_covers_and_about(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path / "gp.xlsx"))
    assert book.sheetnames == ["About", "Meetings", "Child voice", "Recording", "Tools",
                               "Professionals", "Agency record", "Flags", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    about = book["About"]
    assert about["A1"].value == "cp-audit workbook"
    assert [about[f"B{row}"].value for row in (2, 3, 4)] == ["1", "gp",
                                                             "participants, agency_records"]


def test_social_care_gets_every_sheet_and_covers_every_part(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path / "sc.xlsx", "social_care"))
    assert book.sheetnames == ["About", *SHEET_NAMES, "Lists"]
    assert book["About"]["B4"].value == ", ".join(PARTS)


def test_headings_are_the_field_names_with_notes_frozen_and_fitted(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path / "sc.xlsx", "social_care"))
    for layout in SHEETS:
        ws = book[layout.name]
        assert tuple(cell.value for cell in ws[1]) == layout.headings
        assert all(cell.comment is not None and cell.comment.text for cell in ws[1])
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c.column_letter].width >= len(str(c.value))
                   for c in ws[1])


def test_closed_sets_and_known_tokens_are_drop_downs(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path / "gp.xlsx"))
    ws = book["Meetings"]
    by_column = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    assert set(by_column) == {"B2", "D2", "F2", "G2", "H2"}  # type role agency status report
    assert by_column["B2"].showErrorMessage and not by_column["D2"].showErrorMessage
    lists = book["Lists"]
    values = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                       if lists.cell(r, c).value] for c in range(1, 9)}
    assert values["type"] == ["strategy_discussion", "icpc", "rcpc", "core_group",
                              "transfer_in_conference"]
    assert values["role"] == ["gp", "school_nurse", "social_worker"]


def test_from_prefills_one_meetings_row_a_meeting_with_date_cells(tmp_path: Path) -> None:
    ws = load_workbook(template(tmp_path / "gp.xlsx", cases=CASES))["Meetings"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [row[:3] + row[5:6] for row in rows] == [
        ["C1", "icpc", datetime(2022, 1, 10), "gp"], ["C1", "rcpc", datetime(2022, 4, 8), "gp"]]
    assert ws["C2"].is_date and ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["A2"].number_format == "@"


def test_the_template_is_read_by_the_workbook_reader_and_unanswered_gives_nothing(
    tmp_path: Path,
) -> None:
    path = template(tmp_path / "gp.xlsx", cases=CASES)
    assert isinstance(reader_for(str(path)), WorkbookReader)
    result = WorkbookReader().read(str(path))
    assert result.records == () and result.problems[0].message.startswith("no case record")


def test_the_command_writes_from_cases_and_refuses_to_overwrite(tmp_path: Path) -> None:
    case = tmp_path / "cases" / "c1.yaml"
    case.parent.mkdir()
    case.write_text("case_id: C1\nchild: {age_years: 3}\nmeetings:\n"
                    "  - {type: icpc, date: 2022-01-10}\n", encoding="utf-8")
    out = tmp_path / "gp.xlsx"
    runner = CliRunner()
    given = ["template", str(out), "--agency", "GP", "--from", str(case.parent)]
    result = runner.invoke(cli, given)
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["Meetings"]["B2"].value == "icpc"
    again = runner.invoke(cli, ["template", str(out), "--agency", "gp"])
    assert again.exit_code == 2 and "already there" in again.output
    bad = runner.invoke(cli, ["template", str(tmp_path / "x.csv"), "--agency", "gp"])
    assert bad.exit_code == 2 and "must end in .xlsx" in bad.output
