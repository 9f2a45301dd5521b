"""cp-audit workbooks (`.xlsx`): one agency's part of each child's case, filled in by its
auditor (`shared/importers.md`, "cp-audit workbooks"; written by `cp-audit template`).

A workbook is one when its `About` sheet's cell A1 says `cp-audit workbook`
(`claims`); it is read before the Annex A reader, which says why any other `.xlsx`
is neither. The sheets, headings and kinds of cell are `workbook.layout`'s: the
same description the template is written from.

- The `About` sheet gives the format (`1`), the agency and `covers` (the parts the
  workbook vouches for, comma-separated; an unknown part is an error with a
  did-you-mean). Every record gets `source: {agency, system: cp_audit_workbook,
  covers}`; a row on a sheet whose part `covers` does not list is an error.
- The workbook's shape is checked first, and any fault rejects the whole file
  with what was expected: a sheet of another name (did-you-mean), a hidden sheet
  (other than the template's own `Lists`), a heading misspelt (did-you-mean),
  missing or repeated, a value in a column without a heading, merged cells, a
  hyperlink.
- Cells: ids are text (a number cell is an error: an id is never converted);
  dates are date cells or ISO text (`03/04/2022` is an error, never guessed);
  true/false are boolean cells or the words; a formula is an error naming the
  cell (the workbook is opened with `data_only=False`: a cached result is never
  used). A row with only its keys (the cells `--from` fills in) is ignored; a row
  with answers but no `case_id` is an error.
- Errors name the file, the case, the row as the spreadsheet shows it and the
  column heading (`gp.xlsx: case NS-7: Meetings, row 7: date: not an ISO date:
  '03/04/2022' (use YYYY-MM-DD)`). A case with a bad cell is a record carrying
  those errors (`RawRecord.errors`, as the census reader does): it is rejected
  whole when the records are merged, its records in other files too, and the
  other cases are read.
- Bounds (`inputs._xlsx`, shared with Annex A): the file's size, what its zip
  archive unpacks to (a zip bomb is never unpacked), and `Limits.xlsx_rows` rows
  a sheet.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from cp_audit.case.coverage import PARTS
from cp_audit.case.values import normalise_token
from cp_audit.inputs._workbook_cases import Cases, Row
from cp_audit.inputs._xlsx import (
    BadCell,
    blank,
    cell_value,
    cells,
    checked_archive,
    column_letter,
    iso_date,
    kind,
    marked_cells,
    opened,
    rows,
)
from cp_audit.inputs.interface import DEFAULT_LIMITS, FileResult, Limits, Part, Reader
from cp_audit.inputs.reading import Found, read_whole, short
from cp_audit.results import Problem
from cp_audit.workbook.layout import (
    ABOUT,
    BY_NAME,
    CHILD_PARTS,
    FORMAT,
    LISTS,
    SHEET_NAMES,
    TITLE,
    Kind,
    Sheet,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


class WorkbookReader(Reader):
    suffixes: ClassVar[tuple[str, ...]] = (".xlsx",)

    def claims(self, path: str) -> bool:
        """Only a workbook whose About sheet names the format; any doubt: not claimed (the
        Annex A reader, the last of `.xlsx`, then says what is wrong with the file).
        Discovery, the first pass and the read each ask: the answer is worked out once
        per file as it is (its size and time of change)."""
        try:
            info = os.stat(path)
        except OSError:
            return False
        return _claimed(path, info.st_size, info.st_mtime_ns)

    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        return read_whole(path, lambda: _read(path, limits))


def _is_cp_audit(workbook: Workbook) -> bool:
    if ABOUT not in workbook.sheetnames:
        return False
    first = next(cells(workbook[ABOUT], 1, 1), ())
    value = first[0].value if first else None
    return isinstance(value, str) and value.strip().lower() == TITLE


def _read(path: str, limits: Limits) -> Found:
    with opened(checked_archive(path, limits)) as workbook:
        agency, covers, problems = _about(path, workbook)
        sheets = _shape(path, workbook, problems)
        if problems:
            return [], problems
        cases = Cases(path, agency, covers)
        for sheet, layout, columns in sheets:
            problems += _read_sheet(path, sheet, layout, columns, cases, covers, limits)
        if problems:  # rows outside what the workbook says it covers: none of it is read
            return [], problems
        return cases.found()


def _file_problem(path: str, message: str, location: str | None = None) -> Problem:
    return Problem(message, file=path, files=(path,), location=location)


def _about(path: str, workbook: Workbook) -> tuple[str, tuple[str, ...], list[Problem]]:
    """The agency and `covers` from the About sheet, and what is wrong with them."""
    rows: dict[str, tuple[int, Any]] = {}
    for number, row in enumerate(cells(workbook[ABOUT], 1, 40), start=1):
        if len(row) >= 2 and isinstance(row[0].value, str):
            rows.setdefault(row[0].value.strip().lower(), (number, row[1].value))
    problems: list[Problem] = []

    def value(key: str) -> tuple[int, str]:
        number, found = rows.get(key, (0, None))
        if found is None or blank(found):
            where = f"{ABOUT}, row {number}" if number else ABOUT
            problems.append(_file_problem(path, f"{key}: missing: the About sheet has a row "
                                          f"'{key}' with its value in column B", where))
            return number, ""
        return number, str(found).strip()

    number, given = value("format")
    if given and given.removesuffix(".0") != FORMAT:
        problems.append(_file_problem(path, f"format: '{short(given)}': this version of "
                                      f"cp-audit reads format {FORMAT}", f"{ABOUT}, row {number}"))
    agency = normalise_token(value("agency")[1])
    number, listed = value("covers")
    covers = tuple(normalise_token(p) for p in listed.split(",") if p.strip())
    for part in covers:
        if part not in PARTS:
            problems.append(_file_problem(path, f"covers: '{short(part)}' is not a part"
                                          f"{_did_you_mean(part, PARTS)}",
                                          f"{ABOUT}, row {number}"))
    return agency, covers, problems


def _did_you_mean(given: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _shape(path: str, workbook: Workbook, problems: list[Problem]) -> list[tuple[Any, Sheet,
                                                                                dict[str, int]]]:
    """The part sheets with their layout and the column of each heading; what is wrong."""
    found = []
    for sheet in workbook.worksheets:
        title = sheet.title
        if title == LISTS:
            continue  # the template's own drop-down lists
        if sheet.sheet_state != "visible":
            problems.append(_file_problem(path, f"sheet {title} is hidden: a cp-audit workbook "
                                          "hides no sheet (unhide it, or delete it)"))
            continue
        problems += [_file_problem(path, f"{what} {ref} on sheet {title}: " + (
            "merged cells are not read (unmerge them, a value in each cell)"
            if what == "mergeCell" else "a hyperlink is not read (remove it, type the value)"))
            for what, ref in marked_cells(workbook, sheet)]
        if title == ABOUT:
            continue
        layout = BY_NAME.get(title)
        if layout is None:
            problems.append(_file_problem(path, f"sheet '{short(title)}' is not a sheet of a "
                                          f"cp-audit workbook{_did_you_mean(title, SHEET_NAMES)}"
                                          f"; the sheets are: {', '.join(SHEET_NAMES)}"))
            continue
        columns = _headings(path, sheet, layout, problems)
        found.append((sheet, layout, columns))
    return found


def _headings(path: str, sheet: Any, layout: Sheet, problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    where = f"{layout.name}, row 1"
    for index, cell in enumerate(next(cells(sheet, 1, 1), ())):
        if blank(cell.value):
            continue
        heading = str(cell.value).strip()
        letter = column_letter(index)
        if heading.startswith("x_"):
            continue  # a column of the agency's own: kept out, like an `x_` field
        if heading not in layout.headings:
            problems.append(_file_problem(path, f"column {letter}: '{short(heading)}' is not a "
                                          f"heading of {layout.name}"
                                          f"{_did_you_mean(heading, layout.headings)}", where))
        elif heading in columns:
            problems.append(_file_problem(path, f"column {letter}: a second column headed "
                                          f"'{heading}'", where))
        else:
            columns[heading] = index
    missing = [h for h in layout.headings if h not in columns]
    if missing:
        problems.append(_file_problem(path, f"no column headed {', '.join(missing)}; the "
                                      f"headings of {layout.name} are: "
                                      f"{', '.join(layout.headings)}", where))
    return columns


def _read_sheet(
    path: str, sheet: Any, layout: Sheet, columns: dict[str, int], cases: Cases,
    covers: Sequence[str], limits: Limits,
) -> list[Problem]:
    """The sheet's rows into `cases`; a problem if it has rows of a part not covered."""
    known = set(columns.values())
    for number, row in rows(sheet, limits):
        values, errors = _values(row, layout, columns, number, known)
        case_id = values.get("case_id") if "case_id" not in errors else None
        answered = any(v is not None for k, v in values.items() if k not in layout.keys)
        if not answered and not errors:
            continue  # only the pre-filled cells: left unanswered
        place = (layout.name, number)
        uncovered = _not_covered(layout, values, covers)
        if uncovered:
            return [cases.problem(None, place, f"this sheet has entries of {uncovered}, which "
                                  "the About sheet's covers does not list: add it there if "
                                  "every such entry of the agency's record is in this workbook")]
        if case_id is None:
            why = errors.pop("case_id", "empty: the row has answers but names no child")
            errors = {"case_id": why, **errors}
            for heading, reason in errors.items():
                cases.problems_without_case.append(cases.problem(None, place,
                                                                 f"{heading}: {reason}"))
            continue
        for heading, reason in errors.items():
            cases.bad(case_id, place, f"{heading}: {reason}")
        if not errors:
            cases.add(case_id, Row(layout, number, values))
    return []


def _not_covered(layout: Sheet, values: dict[str, Any], covers: Sequence[str]) -> str | None:
    if layout.name == "Child":
        return next((part for name, part in CHILD_PARTS.items()
                     if values.get(name) is not None and part not in covers), None)
    return layout.part if layout.part not in covers else None




def _values(
    row: Sequence[Any], layout: Sheet, columns: dict[str, int], number: int, known: set[int]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The row's values by heading, converted to the case format's, and its cells' errors."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for heading, index in columns.items():
        column = layout.column(heading)
        assert column is not None
        try:
            value = cell_value(row, index, number)
            values[heading] = None if value is None else _convert(column.kind, value)
        except BadCell as exc:
            errors[heading] = exc.reason
            values[heading] = None
    for index, cell in enumerate(row):
        if index not in known and not blank(cell.value):
            letter = column_letter(index)
            errors[f"column {letter}"] = "a value in a column without a heading of this sheet"
    return values, errors


@functools.lru_cache(maxsize=256)
def _claimed(path: str, size: int, changed: int) -> bool:
    """Whether the file at `path` (of `size` bytes, changed at `changed`) is a cp-audit
    workbook: it is opened to read its About sheet's first cell."""
    try:
        with opened(checked_archive(path, DEFAULT_LIMITS)) as workbook:
            return _is_cp_audit(workbook)
    except Exception:  # not a workbook, or a damaged one: the Annex A reader says why
        return False


def _convert(kind_of: Kind, value: Any) -> Any:
    if kind_of is Kind.DATE:
        return iso_date(value)
    if kind_of is Kind.BOOL:
        return _bool(value)
    if kind_of is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int | float) or value % 1:
            raise BadCell(f"a {kind(value)}, not a whole number")
        return int(value)
    if not isinstance(value, str):
        if kind_of is Kind.TEXT and isinstance(value, int | float) and not isinstance(value, bool):
            return str(int(value)) if float(value).is_integer() else str(value)
        what = "an id" if kind_of in (Kind.ID, Kind.IDS) else "a word"
        hint = (": make the cell text and type the id (0123 keeps its 0)"
                if kind_of in (Kind.ID, Kind.IDS) else "")
        raise BadCell(f"a {kind(value)} where {what} is expected{hint}")
    text = value.strip()
    if kind_of in (Kind.IDS, Kind.TOKENS):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text if kind_of is not Kind.TEXT else value


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise BadCell("must be true or false")
