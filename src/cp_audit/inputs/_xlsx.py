"""What the `.xlsx` readers share (Annex A returns and cp-audit workbooks): one place for
opening a workbook safely and for reading its cells.

- `checked_archive`: the file's bytes, once its size (`Limits.xlsx_bytes`), its zip
  archive and the size that unpacks to (`Limits.xlsx_unzipped_bytes`, summed from the
  archive's directory before anything is unpacked: a zip bomb is never opened) are
  checked. A file that is not a zip archive is rejected.
- `opened`: the workbook opened read-only, formulas kept as formulas
  (`data_only=False`: a cached result is never used), links not followed; a
  sheet that openpyxl fails to read is "damaged", never a traceback.
- `cells`, `rows`, `blank`, `kind`, `formula_reason`: rows of cells and what a cell holds.
- `cell_value`, `iso_date`, `BadCell`: a cell's value (a formula is an error, a blank
  cell None) and a date cell or ISO text as an ISO date; `BadCell` says why a cell
  cannot be read, and each reader adds the heading and row.
- `marked_cells`: the merged ranges and hyperlinks of a sheet, found in its XML
  part (a read-only sheet does not parse them), streamed in pieces.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from cp_audit.case.values import parse_date
from cp_audit.inputs.interface import Limits, Unreadable
from cp_audit.inputs.reading import size_text, sizes

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

NOT_A_ZIP = (
    "not an Excel workbook: an .xlsx file is a zip archive and this is not one "
    "(an .xls or .csv file renamed?)"
)
_MARKED = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(mergeCell|hyperlink)\b[^>]*?\bref=\"([^\"]{1,40})\""
)
_CHUNK = 1024 * 1024


def checked_archive(path: str, limits: Limits) -> bytes:
    """The file's bytes, once its size, its zip archive and what that unpacks to are checked."""
    size = os.stat(path).st_size
    if size > limits.xlsx_bytes:
        shown, over = sizes(size, limits.xlsx_bytes)
        raise Unreadable(f"the file is {shown}, over the {over} limit for an .xlsx file: not read")
    with open(path, "rb") as handle:
        data = handle.read(limits.xlsx_bytes + 1)
    if len(data) > limits.xlsx_bytes:
        raise Unreadable(
            f"the file is over the {size_text(limits.xlsx_bytes)} limit for an .xlsx file: "
            "not read"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            # zipfile never unpacks an entry past its declared size, so the sum bounds it all
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Unreadable(NOT_A_ZIP) from None
    if unpacked > limits.xlsx_unzipped_bytes:
        shown, over = sizes(unpacked, limits.xlsx_unzipped_bytes)
        raise Unreadable(
            f"the workbook unpacks to {shown}, over the {over} limit: not opened "
            "(a zip bomb, or a workbook far bigger than any return or cp-audit workbook)"
        )
    return data


@contextmanager
def opened(data: bytes, parts: str = "its sheets") -> Iterator[Workbook]:
    """The workbook read-only, formulas as formulas; Unreadable if it cannot be opened, or
    if reading `parts` of it fails in openpyxl (a damaged sheet raises many kinds)."""
    # openpyxl is imported here, not with the module: importing it costs about 0.1 s, and a
    # run of JSON or YAML records (`check samples/`) never opens a workbook.
    from openpyxl import load_workbook

    with warnings.catch_warnings():  # openpyxl warns of styles and extensions: not ours
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=False,
                                     keep_links=False)
        except Exception:  # any damage: openpyxl raises many kinds, never ours to show
            raise Unreadable("not an Excel workbook: it cannot be opened as one") from None
        try:
            yield workbook
        except (Unreadable, OSError):
            raise
        except Exception:
            raise Unreadable(f"the workbook is damaged: {parts} cannot be read") from None
        finally:
            workbook.close()


def column_letter(column: int) -> str:
    """The letter of a column as a spreadsheet shows it (0 is A)."""
    from openpyxl.utils import get_column_letter  # loaded with the workbook by then

    return get_column_letter(column + 1)


def cells(sheet: Any, first: int, last: int | None) -> Iterator[Sequence[Any]]:
    """The sheet's rows of cells (the stubs type a read-only sheet's `iter_rows` wrongly)."""
    rows: Iterator[Sequence[Any]] = sheet.iter_rows(min_row=first, max_row=last)
    return rows


def rows(sheet: Any, limits: Limits, noun: str = "rows") -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows below the headings that hold anything, with their numbers as shown; more
    than `Limits.xlsx_rows` of them: Unreadable."""
    count = 0
    for number, row in enumerate(cells(sheet, 2, None), start=2):
        if all(blank(cell.value) for cell in row):
            continue
        count += 1
        if count > limits.xlsx_rows:
            raise Unreadable(f"sheet {sheet.title} holds more than {limits.xlsx_rows:,} {noun}, "
                             "the limit: not read", f"row {number}")
        yield number, row


class BadCell(Exception):
    """A cell that cannot be read, and why (the message never quotes free text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def formula_reason(cell: Any, column: int, row: int) -> str | None:
    """Why the cell cannot be read if it holds a formula (values are typed, never computed)."""
    if cell is None or getattr(cell, "data_type", None) != "f":
        return None
    return (f"cell {column_letter(column)}{row} holds a formula: values are typed, "
            "never computed (type the value itself)")


def cell_value(row: Sequence[Any], column: int, number: int) -> Any:
    """The value of the row's cell in `column` (0 is A), None if blank or absent;
    a formula: BadCell (values are typed, never computed)."""
    cell = row[column] if column < len(row) else None
    reason = formula_reason(cell, column, number)
    if reason:
        raise BadCell(reason)
    return None if cell is None or blank(cell.value) else cell.value


def iso_date(value: Any) -> str:
    """A date cell or ISO text (`2022-04-03`) as an ISO date; anything else is BadCell,
    never guessed (`03/04/2022` text, a number not formatted as a date)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return parse_date(value).isoformat()
        except PydanticCustomError as exc:
            raise BadCell(exc.message()) from None
    raise BadCell(f"a {kind(value)}, not a date: make it a date cell or type YYYY-MM-DD")


def kind(value: Any) -> str:
    """What a cell holds, in words, for a message that never quotes it."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, datetime | date):
        return "date"
    return "time" if hasattr(value, "hour") else "value of another kind"


def marked_cells(workbook: Workbook, sheet: Any) -> list[tuple[str, str]]:
    """The sheet's merged ranges and hyperlinks: ("mergeCell" or "hyperlink", the range)."""
    archive = getattr(workbook, "_archive", None)
    part = getattr(sheet, "_worksheet_path", None)
    if archive is None or part is None:
        return []
    found: list[tuple[str, str]] = []
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            found += [(m.group(1).decode(), m.group(2).decode("ascii", "replace"))
                      for m in _MARKED.finditer(text) if m.end() > len(tail)]
            tail = text[-256:]
    return found
