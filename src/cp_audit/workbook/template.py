"""Writing a cp-audit workbook for one agency to fill in (`cp-audit template`).

The sheets, headings, notes and lists are `layout`'s. Every heading carries its note
as a cell comment; closed sets are strict drop-down lists and the standards' known
tokens (`vocabulary` and the rules' own words) are drop-downs that still take a word
of the agency's own; date columns are date cells, id columns text cells (so `0123`
keeps its 0); heading rows are frozen and columns as wide as their content. The
lists live on a hidden sheet `Lists`, which the reader expects. Nothing is merged
and nothing is a formula, so the reader reads back exactly what was written.

`Prefill` (from the cases `--from` read) gives each case's id and meetings: one
`Meetings` row a meeting, one `Agency record` row, and for social care a `Child`
row, each left for the agency to answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cp_audit.workbook.layout import (
    ABOUT,
    ABOUT_TEXT,
    COVERS_TEXT,
    FORMAT,
    LISTS,
    SOCIAL_CARE,
    TITLE,
    Column,
    Kind,
    Sheet,
    covers_for,
    sheets_for,
)

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
BOOLEANS = ("true", "false")
_LAST_ROW = 1_048_576
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Prefill:
    """What the template fills in for one case: its id and its meetings (type, date)."""

    case_id: str
    meetings: tuple[tuple[str, date], ...] = ()


def workbook_bytes(
    agency: str, tokens: Mapping[str, Sequence[str]], cases: Iterable[Prefill] = ()
) -> bytes:
    """The template for `agency`, as the bytes of an .xlsx file."""
    book = Workbook()
    about = book.active
    assert isinstance(about, Worksheet)
    sheets = sheets_for(agency)
    _about(about, agency, sheets)
    lists = _Lists(book.create_sheet(LISTS))
    prefill = list(cases)
    for sheet in sheets:
        _part_sheet(book.create_sheet(sheet.name), sheet, lists, tokens, _rows(sheet, agency,
                                                                             prefill))
    lists.sheet.sheet_state = "hidden"
    book.move_sheet(lists.sheet, offset=len(book.sheetnames) - 2)  # last: out of the way
    book.active = 0
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _about(sheet: Worksheet, agency: str, sheets: Sequence[Sheet]) -> None:
    sheet.title = ABOUT
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["format", FORMAT])
    sheet.append(["agency", agency])
    sheet.append(["covers", ", ".join(covers_for(agency))])
    sheet["B2"].number_format = TEXT_FORMAT
    sheet.append([])
    sheet.append([ABOUT_TEXT])
    sheet.append([COVERS_TEXT])
    sheet.append([])
    sheet.append(["sheet", "what a row is", "part"])
    for sheet_layout in sheets:
        sheet.append([sheet_layout.name, sheet_layout.about, sheet_layout.part])
    for row in (6, 7):
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    for cell in (sheet["A2"], sheet["A3"], sheet["A4"], sheet["A9"], sheet["B9"], sheet["C9"]):
        cell.font = _BOLD
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 18
    sheet.row_dimensions[6].height = 110
    sheet.row_dimensions[7].height = 80


class _Lists:
    """The hidden sheet of drop-down lists: one column a list, each written once."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.columns: dict[tuple[str, ...], str] = {}

    def range_of(self, name: str, values: Sequence[str]) -> str:
        key = tuple(values)
        found = self.columns.get(key)
        if found is None:
            column = len(self.columns) + 1
            self.sheet.cell(1, column, name)
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row, column, value)
            letter = get_column_letter(column)
            found = self.columns[key] = f"{LISTS}!${letter}$2:${letter}${len(values) + 1}"
        return found


def _choices(column: Column, tokens: Mapping[str, Sequence[str]]) -> tuple[list[str], bool]:
    """The drop-down's values and whether only they are allowed."""
    if column.kind is Kind.CHOICE:
        return list(column.choices), True
    if column.kind is Kind.BOOL:
        return list(BOOLEANS), True
    if column.kind is Kind.TOKEN:
        words = tokens.get(column.vocabulary or "", ()) or column.suggested
        return sorted(set(words)), False
    return [], False


def _part_sheet(
    sheet: Worksheet, layout: Sheet, lists: _Lists, tokens: Mapping[str, Sequence[str]],
    rows: list[list[Any]],
) -> None:
    sheet.append(list(layout.headings))
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        heading = sheet.cell(1, index)
        heading.font = _BOLD
        heading.comment = Comment(column.note + (" Required." if column.required else ""),
                                  "cp-audit", width=300, height=110)
        _format_column(sheet, letter, column, len(rows))
        values, strict = _choices(column, tokens)
        if values:
            _drop_down(sheet, letter, lists.range_of(column.name, values), strict)
        widest = max([len(column.name), *(len(v) for v in values),
                      *(len(str(r[index - 1] or "")) for r in rows)])
        sheet.column_dimensions[letter].width = min(max(widest + 3, 12), 45)
    sheet.freeze_panes = "A2"


def _format_column(sheet: Worksheet, letter: str, column: Column, filled: int) -> None:
    number_format = {Kind.DATE: DATE_FORMAT, Kind.ID: TEXT_FORMAT, Kind.IDS: TEXT_FORMAT}.get(
        column.kind)
    if number_format is None:
        return
    # The column's own style, for the cells the agency types; and the cells written here.
    sheet.column_dimensions[letter].number_format = number_format
    for row in range(2, filled + 2):
        sheet[f"{letter}{row}"].number_format = number_format


def _drop_down(sheet: Worksheet, letter: str, source: str, strict: bool) -> None:
    validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                showErrorMessage=strict)
    if strict:
        validation.error = "Pick a value from the list."
        validation.errorTitle = "Not in the list"
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{_LAST_ROW}")


def _rows(sheet: Sheet, agency: str, cases: list[Prefill]) -> list[list[Any]]:
    """The rows pre-filled for the cases read with `--from`."""
    mine = None if agency == SOCIAL_CARE else agency
    if sheet.name == "Meetings":
        return [[case.case_id, kind, day, None, None, mine, None, None]
                for case in cases for kind, day in case.meetings]
    if sheet.name == "Agency record":
        return [[case.case_id, agency, None, None, None, None] for case in cases]
    if sheet.name == "Child":
        return [[case.case_id] + [None] * (len(sheet.columns) - 1) for case in cases]
    return []


def token_lists(standards: Any) -> dict[str, tuple[str, ...]]:
    """The standards' known tokens by category: its `vocabulary`, the members of its role
    groups (roles), and the values of the rules' options named after a category."""
    from cp_audit.standards.vocabulary import CATEGORIES, known_tokens

    known = known_tokens(standards)
    found = {name: set(known.by_category.get(name, ())) for name in CATEGORIES}
    for members in standards.spec.role_groups.values():
        found["roles"].update(members)
    for rule in standards.rules:
        for option, value in rule.options.model_dump().items():
            _option_tokens(option, value, found)
    return {name: tuple(sorted(words)) for name, words in found.items()}


def _option_tokens(option: str, value: Any, found: dict[str, set[str]]) -> None:
    if option == "needs_to_tools" and isinstance(value, dict):
        found["needs"].update(str(key) for key in value)
        found["tools"].update(str(v) for tools in value.values() for v in tools)
        return
    category = next((name for name in found if option == name or option.endswith("_" + name)),
                    None)
    if category and isinstance(value, list | tuple):
        found[category].update(v for v in value if isinstance(v, str) and not v.startswith("@"))
