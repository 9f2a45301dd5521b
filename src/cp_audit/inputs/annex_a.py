"""Ofsted Annex A returns (`.xlsx`): List 7, the children subject to a child protection plan.

`shared/importers.md` ("Ofsted Annex A") is the contract. A workbook with a
sheet `List 7` whose first row holds the Annex A column headings is an Annex A
return; only List 7 is read (the other lists are snapshots of the months
before an inspection, not the audit's cohort). Each row is one record:

| List 7 column | case record |
|---|---|
| Child Unique ID (a number cell: its digits) | `case_id` |
| Date of Birth | `child.date_of_birth` |
| Gender: Male / Female (`a) Male`, `b) Female`) / anything else | `child.gender` |
| Child Protection Plan Start Date, ... End Date, Initial Category of Abuse | a `plans` entry |

- Headings are matched without regard to case and surrounding spaces; a
  heading of this table missing from List 7's first row is an error naming
  the sheet and the heading, and nothing of the file is read.
- Dates are date cells or ISO text (`2022-04-03`); nothing else is guessed
  (`03/04/2022` text, or a number not formatted as a date, is an error).
- Categories are words (`Emotional abuse`) or the census codes (`EMO`).
- Values are typed, never computed: a cell holding a formula is an error
  naming the cell (the workbook is opened with `data_only=False`, so a
  formula is seen as one and its cached result is never used).
- A bad cell is an error naming the file, the case, the row as the
  spreadsheet shows it (`List 7, row 5`) and the column heading, carried by
  the row's record (`RawRecord.errors`, as the census reader does): the
  child's case is rejected whole when the records are merged, its records in
  other files too, and the other children are read. A row naming no child is
  a problem of the file.
- Bounds: the file's size (`Limits.xlsx_bytes`), the size its zip archive
  unpacks to (`Limits.xlsx_unzipped_bytes`, checked with `zipfile` before
  openpyxl opens it: a zip bomb is never unpacked), and the rows of List 7
  (`Limits.xlsx_rows`). A file that is not a zip archive is rejected too.

Every `.xlsx` file is read here: one that is neither an Annex A return nor a
cp-audit workbook (an `About` sheet naming the format) is a data problem
saying what was looked for. The cp-audit workbook reader (`inputs.workbook`)
goes before this one in `READERS` and claims the workbooks whose `About`
sheet names the format; this reader stays the last reader of `.xlsx`, which
says why a workbook is neither. Opening and the bounds are `inputs._xlsx`'s,
shared with that reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from cp_audit.case.values import CENSUS_CATEGORIES, PlanCategory, normalise_token
from cp_audit.inputs._xlsx import (
    BadCell,
    cell_value,
    cells,
    checked_archive,
    column_letter,
    iso_date,
    kind,
    opened,
    rows,
)
from cp_audit.inputs.interface import (
    DEFAULT_LIMITS,
    FileResult,
    Limits,
    Part,
    RawRecord,
    Reader,
    Unreadable,
)
from cp_audit.inputs.reading import Found, read_whole, short
from cp_audit.results import Problem

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

SHEET = "List 7"
CASE_ID = "Child Unique ID"
BIRTH = "Date of Birth"
GENDER = "Gender"
START = "Child Protection Plan Start Date"
END = "Child Protection Plan End Date"
CATEGORY = "Initial Category of Abuse"
HEADINGS = (CASE_ID, BIRTH, GENDER, START, END, CATEGORY)

# What List 7 vouches for (`shared/importers.md`): the plans alone.
SOURCE = {"agency": "social_care", "system": "annex_a", "covers": ["plans"]}

NOT_READ = (
    "not an Annex A return (no sheet List 7 with the Annex A headings) "
    "nor a cp-audit workbook (no About sheet)"
)
CP_AUDIT_WORKBOOK = (
    "not a cp-audit workbook: it has an About sheet, but its cell A1 does not say "
    "'cp-audit workbook' (nor is it an Annex A return: no sheet List 7 with its headings)"
)
_CATEGORIES = {category.value: category.value for category in PlanCategory} | CENSUS_CATEGORIES
_GENDER_LETTER = re.compile(r"[a-z]\)\s*")  # `a) Male`: Annex A's lettered answers


class AnnexAReader(Reader):
    suffixes: ClassVar[tuple[str, ...]] = (".xlsx",)

    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        return read_whole(path, lambda: _read(path, limits))


def _read(path: str, limits: Limits) -> Found:
    with opened(checked_archive(path, limits), "its sheet List 7") as workbook:
        return _read_list_7(path, _list_7(workbook), limits)


def _list_7(workbook: Workbook) -> tuple[ReadOnlyWorksheet, dict[str, int]]:
    """List 7 and the column of each heading of the table; Unreadable if it is not there."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # opened by now

    names = {name.strip().lower(): name for name in workbook.sheetnames}
    sheet = workbook[names[SHEET.lower()]] if SHEET.lower() in names else None
    columns: dict[str, int] = {}
    if isinstance(sheet, ReadOnlyWorksheet):
        columns = _headings(next(cells(sheet, 1, 1), ()), sheet.title)
    if not isinstance(sheet, ReadOnlyWorksheet) or not columns:
        raise Unreadable(CP_AUDIT_WORKBOOK if "about" in names else NOT_READ)
    missing = [heading for heading in HEADINGS if heading not in columns]
    if missing:
        listed = ", ".join(f"'{heading}'" for heading in missing)
        raise Unreadable(
            f"sheet {sheet.title} has no column headed {listed} in its first row", "row 1"
        )
    return sheet, columns


def _headings(cells: Sequence[Any], title: str) -> dict[str, int]:
    """The table's headings in the row and their columns (0 is column A)."""
    wanted = {heading.lower(): heading for heading in HEADINGS}
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell.value, str):
            continue
        heading = wanted.get(cell.value.strip().lower())
        if heading is None:
            continue
        if heading in columns:
            raise Unreadable(
                f"sheet {title} has two columns headed '{heading}' "
                f"({column_letter(columns[heading])} and "
                f"{column_letter(index)}): which one holds it is not guessed",
                "row 1",
            )
        columns[heading] = index
    return columns


def _read_list_7(
    path: str, found: tuple[ReadOnlyWorksheet, dict[str, int]], limits: Limits
) -> Found:
    """One record a row; a row with a bad cell is a record with its errors (its case is
    rejected whole when the records are merged); a row naming no child, a problem."""
    sheet, columns = found
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for number, row in rows(sheet, limits, "rows of children"):
        place = f"{sheet.title}, row {number}"
        case_id, record, errors = _record(row, columns, number)
        located = tuple((place, f"{heading}: {reason}") for heading, reason in errors)
        if case_id is None:  # in no case: told as the file's
            problems += [Problem(message, file=path, files=(path,), location=where)
                         for where, message in located]
        else:
            records.append(RawRecord(path, place, record, errors=located))
    return records, problems


def _record(
    row: Sequence[Any], columns: dict[str, int], number: int
) -> tuple[str | None, dict[str, Any], list[tuple[str, str]]]:
    """The row's case id, its record, and the errors of its cells (heading, why)."""
    errors: list[tuple[str, str]] = []

    def get(heading: str, convert: Callable[[Any], Any]) -> Any:
        try:
            found = cell_value(row, columns[heading], number)
            return None if found is None else convert(found)
        except BadCell as error:
            errors.append((heading, error.reason))
            return None

    def empty(heading: str, found: Any, why: str) -> None:
        if found is None and all(bad != heading for bad, _ in errors):
            errors.append((heading, f"empty: {why}"))

    case_id = get(CASE_ID, _case_id)
    child = {"date_of_birth": get(BIRTH, iso_date), "gender": get(GENDER, _gender)}
    plan = {"start": get(START, iso_date), "end": get(END, iso_date),
            "category": get(CATEGORY, _category)}
    empty(CASE_ID, case_id, "the row names no child")
    empty(START, plan["start"], "a row of List 7 is a plan, which has a start")
    empty(CATEGORY, plan["category"], "a plan has a category")
    if plan["start"] and plan["end"] and plan["end"] < plan["start"]:
        errors.append((END, f"the plan ends ({plan['end']}) before it starts ({plan['start']})"))
    record = {
        "case_id": case_id,
        "source": {**SOURCE, "covers": list(SOURCE["covers"])},
        "child": {key: value for key, value in child.items() if value is not None},
        "plans": [{key: value for key, value in plan.items() if value is not None}],
    }
    return case_id, record, errors


def _case_id(value: Any) -> str:
    """Text as typed (stripped); a number cell as its digits (`10721552`, not `10721552.0`)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadCell(f"a {kind(value)}, not an id (type the id as text or a number)")
    if isinstance(value, float) and not value.is_integer():
        raise BadCell(f"a number with a fraction ({value}), not an id")
    return str(int(value))


def _gender(value: Any) -> str:
    text = _GENDER_LETTER.sub("", str(value).strip().lower(), count=1).strip()
    return text if text in ("male", "female") else "unknown"


def _category(value: Any) -> str:
    if not isinstance(value, str):
        raise BadCell(f"a {kind(value)}, not a category of abuse")
    category = _CATEGORIES.get(normalise_token(value))  # as the case format reads a token
    if category is None:
        raise BadCell(
            f"'{short(value.strip())}' is not a category of abuse: emotional abuse, neglect, "
            "physical abuse, sexual abuse or multiple (or the census codes EMO, NEG, PHY, "
            "SAB, MUL)",
        )
    return category

