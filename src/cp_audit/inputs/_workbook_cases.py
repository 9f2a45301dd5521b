"""The records a cp-audit workbook's rows make (`inputs.workbook` reads the cells).

One record a case: each row's cells become one entry of the case's record (a
`Meetings` row one participant of the meeting of that type and date, an
`Actions` row an action of the plan starting on its `plan` date, a `Flags` row a
flag of that agency's record). Every entry's place is kept, from the record's
field path (`meetings[2].participants[0]`) to the sheet and row it came from, so
that the record's validation errors (`CaseRecord`, the one model) are told as
the cell: `Meetings, row 7: status: 'atended' is not one of: ...`. A case with any
bad cell, or any such error, is a record carrying its errors, each at its sheet and
row (`RawRecord.errors`): merging rejects it whole, as any invalid record, with its
records in the other files; the other cases are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from cp_audit.case import errors
from cp_audit.case.model import CaseRecord
from cp_audit.case.values import normalise_token
from cp_audit.inputs.interface import RawRecord
from cp_audit.inputs.reading import Found
from cp_audit.results import Problem
from cp_audit.workbook.layout import SYSTEM, Sheet

Loc = tuple[int | str, ...]
Place = tuple[str, int]  # sheet, row as the spreadsheet shows it
Located = tuple[str, str]  # "Meetings, row 7", the message


@dataclass
class _Case:
    data: dict[str, Any]
    where: dict[Loc, Place] = field(default_factory=dict)
    errors: list[Located] = field(default_factory=list)
    meetings: dict[tuple[Any, Any], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    sheet: Sheet
    number: int
    values: dict[str, Any]  # heading -> the cell's value, converted; None when empty


class Cases:
    """The records being made of one workbook's rows."""

    def __init__(self, path: str, agency: str, covers: Sequence[str]) -> None:
        self.path = path
        self.source = {"agency": agency, "system": SYSTEM, "covers": list(covers)}
        self.cases: dict[str, _Case] = {}
        self.later: list[tuple[str, Row]] = []  # actions, flags: once plans, records are in
        self.problems_without_case: list[Problem] = []  # rows with answers but no case_id

    def problem(self, case_id: str | None, place: Place, message: str) -> Problem:
        return Problem(message, file=self.path, files=(self.path,), case_id=case_id,
                       location=_where(place))

    def case(self, case_id: str) -> _Case:
        found = self.cases.get(case_id)
        if found is None:
            found = self.cases[case_id] = _Case({"case_id": case_id, "source": self.source})
        return found

    def bad(self, case_id: str, place: Place, message: str) -> None:
        self.case(case_id).errors.append((_where(place), message))

    def add(self, case_id: str, row: Row) -> None:
        name = row.sheet.name
        if name in ("Actions", "Flags"):
            self.later.append((case_id, row))
        elif name == "Child":
            self._child(case_id, row)
        elif name == "Meetings":
            self._participant(case_id, row)
        else:
            self._append(self.case(case_id), (row.sheet.part,), _entry(row), row)

    def _append(self, case: _Case, path: Loc, entry: dict[str, Any], row: Row) -> int:
        container: Any = case.data
        for key in path[:-1]:
            container = container[key]
        items = container.setdefault(path[-1], [])
        items.append(entry)
        case.where[(*path, len(items) - 1)] = (row.sheet.name, row.number)
        return len(items) - 1

    def _child(self, case_id: str, row: Row) -> None:
        case = self.case(case_id)
        place = (row.sheet.name, row.number)
        if ("child",) in case.where:
            first = case.where[("child",)][1]
            self.bad(case_id, place, f"a second row for this child (the first is row {first})")
            return
        values = _entry(row)
        start = values.pop("involvement_start", None)
        case.data["child"] = values
        case.where[("child",)] = place
        if start is not None:
            case.data["involvement_start"] = start
            case.where[("involvement_start",)] = place

    def _participant(self, case_id: str, row: Row) -> None:
        case = self.case(case_id)
        values = _entry(row)
        kind, day = values.pop("type", None), values.pop("date", None)
        key = (normalise_token(kind) if isinstance(kind, str) else kind, day)
        index = case.meetings.get(key)
        if index is None:
            meeting = {k: v for k, v in (("type", kind), ("date", day)) if v is not None}
            index = case.meetings[key] = self._append(case, ("meetings",), meeting, row)
        self._append(case, ("meetings", index, "participants"), values, row)

    def _attach(self, case_id: str, row: Row) -> None:
        """An action to its plan, a flag to its agency's record (made if the sheet has none)."""
        case = self.case(case_id)
        values = _entry(row)
        place = (row.sheet.name, row.number)
        if row.sheet.name == "Actions":
            start = values.pop("plan", None)
            plans = case.data.get("plans", [])
            index = next((i for i, plan in enumerate(plans) if plan.get("start") == start), None)
            if index is None:
                self.bad(case_id, place, f"plan: no plan of this child on the Plans sheet "
                         f"starts on {start}")
                return
            self._append(case, ("plans", index, "actions"), values, row)
            return
        agency = normalise_token(values.pop("agency"))
        records = case.data.get("agency_records", [])
        index = next((i for i, record in enumerate(records)
                      if normalise_token(str(record.get("agency"))) == agency), None)
        if index is None:
            index = self._append(case, ("agency_records",), {"agency": agency}, row)
        self._append(case, ("agency_records", index, "flags"), values, row)

    def found(self) -> Found:
        for case_id, row in self.later:
            self._attach(case_id, row)
        records = [RawRecord(self.path, "", case.data,
                             errors=tuple(case.errors or _validated(case)))
                   for case in self.cases.values()]
        return records, list(self.problems_without_case)


def _validated(case: _Case) -> list[Located]:
    """The record's validation errors, each told as the row and heading it came from."""
    try:
        CaseRecord.model_validate(case.data)
    except ValidationError as exc:
        return [_located(case, error) for error in errors.describe(exc, CaseRecord)]
    return []


def _located(case: _Case, error: errors.FieldError) -> Located:
    loc = error.loc
    for length in range(len(loc), 0, -1):
        place = case.where.get(loc[:length])
        if place is None:
            continue
        rest = loc[length:]
        heading = rest[0] if rest and isinstance(rest[0], str) else None
        return _where(place), f"{heading}: {error.message}" if heading else error.message
    return "", str(error)


def _where(place: Place) -> str:
    return f"{place[0]}, row {place[1]}"


def _entry(row: Row) -> dict[str, Any]:
    return {k: v for k, v in row.values.items() if k != "case_id" and v is not None}
