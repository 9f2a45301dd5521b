"""The valid records of one case merged into a `model.Case`, and the checks that need the
whole case (`shared/case-format.md`, "One case from several records").

How the records' lists become the case's is each list's `CaseList` in `model`:
concatenated (an identical entry from another record kept once), or entries with
the same key combined as their type says (plans, meetings with `participants`,
visits; people's fields must agree). Two different values for one field are a
conflict, told with both places; free text is never quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar, cast

from cp_audit.case.coverage import case_coverage
from cp_audit.case.errors import parse_path
from cp_audit.case.model import (
    CASE_LISTS,
    Action,
    Case,
    CaseRecord,
    Child,
    Entry,
    Meeting,
    Plan,
    Source,
    Visit,
    referenced,
    references,
)
from cp_audit.case.participants import combine_participants
from cp_audit.case.values import is_free_text
from cp_audit.results import Problem

CHILD = "child"  # the person id that names the child
_E = TypeVar("_E", bound=Entry)


@dataclass(frozen=True, slots=True)
class Checked:
    """A record that passed validation, with where it came from."""

    file: str
    place: str
    order: int  # its position among all the records read: tells records apart
    record: CaseRecord
    offset: int | None = None  # JSON Lines: its line's byte offset (`inputs.locate`)

    def at(self, path: str) -> str | None:
        """`[1], line 48, column 9: meetings[0].date`: only for a problem (reads the file)."""
        from cp_audit.inputs.locate import placed  # only on the error path

        return location(placed(self.file, self.place, parse_path(path), self.offset), path)


def location(place: str, path: str) -> str | None:
    """`document 2, [3]` and `meetings[0].date` -> `document 2, [3]: meetings[0].date`."""
    return ": ".join(part for part in (place, path) if part) or None


def merge(case_id: str, records: Sequence[Checked]) -> tuple[Case | None, list[Problem]]:
    """Merge the valid records of one case; the case, or None and why it is rejected."""
    merger = _CaseMerger(case_id, records)
    case = merger.merge()
    if case is None or merger.problems:
        return None, merger.problems
    return case, []


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a merged value came from: a record and the path of the entry in it."""

    rec: Checked
    path: str

    def at(self, name: str) -> str | None:
        return self.rec.at(f"{self.path}.{name}" if self.path else name)


class _CaseMerger:
    def __init__(self, case_id: str, records: Sequence[Checked]) -> None:
        self.case_id = case_id
        self.records = records
        self.files = tuple(sorted({rec.file for rec in records}))
        self.problems: list[Problem] = []

    def merge(self) -> Case | None:
        for rec in self.records:
            self._check_unique_ids(rec)
        if self.problems:  # entries with one id cannot be merged: no conflicts to add
            return None
        child = self._child()
        self._check_child(child)
        sources = self._sources()
        case = Case(
            case_id=self.case_id,
            files=self.files,
            sources=sources,
            child=child,
            coverage=case_coverage([r.record.covers for r in self.records], sources),
            involvement_start=min(
                (r.record.involvement_start for r in self.records if r.record.involvement_start),
                default=None,
            ),
            **{name: self._list(name) for name in CASE_LISTS},
        )
        ids = [person.id for person in case.people]
        self._check_references(set(ids), ids)
        return case

    # -- problems

    def problem(self, message: str, rec: Checked | None, path: str = "") -> None:
        self.problems.append(
            Problem(
                message,
                file=rec.file if rec else (self.files[0] if len(self.files) == 1 else None),
                files=self.files,
                case_id=self.case_id,
                location=rec.at(path) if rec else path or None,
            )
        )

    def conflict(
        self, name: str, first: _Origin, second: _Origin, values: tuple[Any, Any] | None
    ) -> None:
        """Two records give different values; `values` is None for free text (never shown)."""
        where = first.at(name)
        other = f"{first.rec.file} ({where})" if where else first.rec.file
        if values is None:
            message = f"conflict: a different value in {other}"
        else:
            message = f"conflict: {_show(values[1])} here, {_show(values[0])} in {other}"
        self.problems.append(
            Problem(
                message, file=second.rec.file, files=self.files, case_id=self.case_id,
                location=second.at(name),
            )
        )

    def agree(
        self, parts: Sequence[tuple[_Origin, Entry]], skip: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """The fields of entries that are one: each field's given value, which must agree."""
        values: dict[str, tuple[Any, _Origin]] = {}
        for origin, item in parts:
            fields = type(item).model_fields
            for name, info in fields.items():
                value = getattr(item, name)
                if name in skip or value is None or value == ():
                    continue
                if name not in values:
                    values[name] = (value, origin)
                    continue
                first, first_origin = values[name]
                if _differs(first, value):
                    shown = None if is_free_text(info) else (first, value)
                    self.conflict(info.alias or name, first_origin, origin, shown)
        return {name: value for name, (value, _) in values.items()}

    def one(self, model: type[_E], parts: Sequence[tuple[_Origin, Entry]]) -> _E:
        """Entries of type `model` that are one (the same id): the entry itself when there
        is only one."""
        if len(parts) == 1:
            return cast(_E, parts[0][1])
        return cast(_E, model.model_construct(**self.agree(parts)))

    # -- the parts of a case

    def _sources(self) -> tuple[Source, ...]:
        seen: dict[tuple[str, Source], None] = {}
        for rec in self.records:
            if rec.record.source is not None:
                seen.setdefault((rec.file, rec.record.source))
        return tuple(source for _, source in seen)

    def _child(self) -> Child:
        parts = [(_Origin(r, "child"), r.record.child) for r in self.records if r.record.child]
        values = self.agree(parts, skip=frozenset({"needs"}))
        needs = sorted({need for _, child in parts for need in child.needs})
        return Child.model_construct(**values, needs=tuple(needs))

    def _list(self, name: str) -> tuple[Entry, ...]:
        """The case's list `name`: the records' lists merged as its `CaseList` says."""
        dated_by, key = _GETTERS[name]
        if key is not None:
            entries = self._combined(name, key, dated_by)
        else:
            entries = self._concatenated(name)
        if dated_by is not None:
            _sort_by_date(entries, dated_by)
        return tuple(entries)

    def _combined(
        self, name: str, key: Callable[[Any], Any], dated_by: Callable[[Any], Any] | None
    ) -> list[Entry]:
        """The entries of list `name`, those with the same key combined into one."""
        givers = [rec for rec in self.records if getattr(rec.record, name)]
        if len(givers) == 1:
            entries: tuple[Entry, ...] = getattr(givers[0].record, name)
            if len(set(map(key, entries))) == len(entries):  # the usual case: none to combine
                return list(entries)
        groups: dict[Any, list[tuple[Checked, int, Entry]]] = {}
        for rec in givers:
            for i, entry in enumerate(getattr(rec.record, name)):
                groups.setdefault(key(entry), []).append((rec, i, entry))
        ordered = list(groups.values())
        if dated_by is not None:  # before combining, so that conflicts are told in that order
            ordered.sort(key=lambda parts: _date_key(dated_by(parts[0][2])))
        return [
            parts[0][2]
            if len(parts) == 1
            else self._combine([(_Origin(rec, f"{name}[{i}]"), entry) for rec, i, entry in parts])
            for parts in ordered
        ]

    def _combine(self, parts: Sequence[tuple[_Origin, Any]]) -> Entry:
        """Entries of a list that are one (the same key), combined as the format says for
        their type: plans, meetings and visits have their own rules; for any other type
        (people), each field must agree."""
        model: type[Entry] = type(parts[0][1])
        if model is Plan:
            values = self.agree(parts, skip=frozenset({"actions"}))
            return Plan.model_construct(**values, actions=self._actions(parts))
        if model is Meeting:
            first = parts[0][1]
            lists = [(origin.rec.order, meeting.participants) for origin, meeting in parts]
            return Meeting.model_construct(
                type=first.type, date=first.date, participants=combine_participants(lists)
            )
        if model is Visit:
            alone = [v.seen_alone for _, v in parts if v.seen_alone is not None]
            return Visit.model_construct(
                date=parts[0][1].date,
                seen=any(v.seen for _, v in parts),
                seen_alone=any(alone) if alone else None,
            )
        return self.one(model, parts)

    def _actions(self, plans: Sequence[tuple[_Origin, Plan]]) -> tuple[Action, ...]:
        groups: dict[str, list[tuple[_Origin, Action]]] = {}
        for origin, plan in plans:
            for j, action in enumerate(plan.actions):
                path = f"{origin.path}.actions[{j}]"
                groups.setdefault(action.id, []).append((_Origin(origin.rec, path), action))
        return tuple(self.one(Action, parts) for parts in groups.values())

    def _concatenated(self, name: str) -> list[Entry]:
        givers = [rec for rec in self.records if getattr(rec.record, name)]
        if len(givers) <= 1:
            # Entries of one record are never one another's copies, so no identities are
            # needed; most cases are one record, and identities were a third of merging.
            return [entry for rec in givers for entry in getattr(rec.record, name)]
        return _without_copies(name, givers)

    # -- checks on the whole case

    def _check_unique_ids(self, rec: Checked) -> None:
        self._unique([p.id for p in rec.record.people], rec, "people", "person id")
        for i, plan in enumerate(rec.record.plans):
            ids = [action.id for action in plan.actions]
            self._unique(ids, rec, f"plans[{i}].actions", "action id", " in this plan")

    def _unique(self, ids: list[str], rec: Checked, path: str, what: str, extra: str = "") -> None:
        first: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value in first:
                self.problem(
                    f"duplicate {what} '{value}'{extra} (already {path}[{first[value]}])",
                    rec, f"{path}[{i}].id",
                )
            else:
                first[value] = i

    def _check_child(self, child: Child) -> None:
        if (
            child.date_of_birth is None
            and child.expected_date_of_birth is None
            and child.age_years is None
        ):
            self.problem(
                "date_of_birth, expected_date_of_birth or age_years is required", None, "child"
            )

    def _check_references(self, known: set[str], ids: list[str]) -> None:
        people = f"people are: {', '.join(ids)}" if ids else "the case has no people"
        for rec in self.records:
            if referenced(rec.record) - known <= {CHILD}:
                continue  # the usual case: no path to make
            for path, person in references(rec.record):
                if person != CHILD and person not in known:
                    self.problem(f"unknown person '{person}' ({people})", rec, path)


# ---------------------------------------------------------------------------
# Helpers

# Each list's date and key (`CaseList`) as getters, made once, not for every case.
_GETTERS: dict[str, tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None]] = {
    name: (
        attrgetter(part.dated_by) if part.dated_by is not None else None,
        attrgetter(*part.one_by) if part.one_by else None,
    )
    for name, part in CASE_LISTS.items()
}


def _without_copies(name: str, records: Sequence[Checked]) -> list[Entry]:
    """The entries of list `name` of several records, an identical one from another record
    kept once (two identical entries of one record are two)."""
    entries: list[Entry] = []
    owners: list[set[int]] = []
    index: dict[Any, list[int]] = {}
    for rec in records:
        for entry in getattr(rec.record, name):
            same_as = identity(entry)
            same = [k for k in index.get(same_as, []) if rec.order not in owners[k]]
            if same:
                owners[same[0]].add(rec.order)
                continue
            index.setdefault(same_as, []).append(len(entries))
            entries.append(entry)
            owners.append({rec.order})
    return entries


def identity(value: Any) -> Any:
    """What makes two entries one: every field, the lists inside in any order (an agency
    record's flags, a recording's views_of), as lists may come in any order."""
    if isinstance(value, Entry):
        return (type(value).__name__,
                tuple(identity(getattr(value, name)) for name in type(value).model_fields))
    if isinstance(value, tuple):
        return ("list", tuple(sorted((identity(item) for item in value), key=repr)))
    return value


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return sorted(map(str, a)) != sorted(map(str, b))
    return bool(a != b)


def _show(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(item).strip("'") for item in value) + "]"
    return str(value)


def _sort_by_date(entries: list[Entry], dated_by: Callable[[Any], Any]) -> None:
    """Sort in place by date, entries without one last, those of one date kept in order."""
    if None in map(dated_by, entries):
        entries.sort(key=lambda entry: _date_key(dated_by(entry)))
    else:  # every entry dated: the dates are the keys, with no Python call an entry
        entries.sort(key=dated_by)


def _date_key(value: date | None) -> tuple[bool, date]:
    return (value is None, value or date.min)
