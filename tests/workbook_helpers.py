"""Making, filling and reading cp-audit workbooks in tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from cp_audit.inputs.interface import DEFAULT_LIMITS, FileResult, Limits
from cp_audit.inputs.workbook import WorkbookReader
from cp_audit.workbook.template import Prefill, workbook_bytes

TOKENS = {"roles": ("gp", "school_nurse", "social_worker"), "agencies": ("gp", "school")}


def template(path: Path, agency: str = "gp", cases: Sequence[Prefill] = ()) -> Path:
    path.write_bytes(workbook_bytes(agency, TOKENS, cases))
    return path


def fill(path: Path, sheet: str, rows: Sequence[dict[str, Any]], start: int = 2) -> Path:
    """Write `rows` (heading -> value) on `sheet` from row `start`."""
    book = load_workbook(path)
    ws = book[sheet]
    headings = [cell.value for cell in ws[1]]
    for offset, row in enumerate(rows):
        for heading, value in row.items():
            ws.cell(start + offset, headings.index(heading) + 1, value)
    book.save(path)
    return path


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    reader = WorkbookReader()
    assert reader.claims(str(path))
    return reader.read(str(path), limits)


def messages(result: FileResult) -> list[str]:
    return [str(problem) for problem in result.problems]
