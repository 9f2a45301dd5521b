"""One case from several records (`shared/case-format.md`, "One case from several records").

Each raw record is validated on its own (`CaseRecord`); the records are
grouped by `case_id` and merged into a `model.Case`, which is then checked for
what needs the whole case (the child's age, unique ids, references). A case
with any invalid record, any conflict or any failed check is rejected whole,
and every problem about it lists every file it came from.

`run.audit` runs the whole pipeline: discovery, reading, merging.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, get_args

from pydantic import TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from cp_audit.case import errors
from cp_audit.case.errors import TOO_DEEP
from cp_audit.case.model import (
    STATUS_RANK,
    Action,
    Case,
    CaseId,
    CaseRecord,
    Child,
    Entry,
    Meeting,
    Participant,
    Person,
    Plan,
    Source,
    Visit,
)
from cp_audit.results import Problem

if TYPE_CHECKING:
    from cp_audit.inputs.interface import RawRecord

CHILD = "child"  # the person id that names the child
_CASE_ID: TypeAdapter[str] = TypeAdapter(CaseId)

# Lists concatenated (an identical entry from another record kept once), and the
# field each is sorted by (None: kept in order; entries without the date last).
CONCATENATED: dict[str, str | None] = {
    "referrals": "date",
    "step_downs": "date",
    "child_voice": "date",
    "recording": "date",
    "assessments": "start",
    "tools": "date",
    "professionals": "from_",
    "agency_records": None,
    "escalations": "date",
}


@dataclass(frozen=True, slots=True)
class Checked:
    """A record that passed validation, with where it came from."""

    file: str
    place: str
    order: int  # its position among all the records read: tells records apart
    record: CaseRecord


@dataclass(frozen=True, slots=True)
class Merged:
    cases: list[Case]
    problems: list[Problem]
    rejected: list[str]  # the case ids rejected
    records: dict[str, Sequence[Checked]] = field(default_factory=dict)  # a merged case's


# ---------------------------------------------------------------------------
# Validating and grouping


@dataclass
class _Group:
    files: set[str] = field(default_factory=set)
    valid: list[Checked] = field(default_factory=list)
    errors: list[tuple[RawRecord, list[errors.FieldError]]] = field(default_factory=list)


def merge_records(records: Iterable[RawRecord]) -> Merged:
    """Validate each record, group by case id, merge each group (sorted by case id)."""
    groups: dict[str, _Group] = {}
    orphans: list[Problem] = []
    for order, raw in enumerate(records):
        outcome = validate_record(raw)
        if isinstance(outcome, CaseRecord):
            group = groups.setdefault(outcome.case_id, _Group())
            group.valid.append(Checked(raw.file, raw.place, order, outcome))
        elif (case_id := raw_case_id(raw.data)) is not None:
            group = groups.setdefault(case_id, _Group())
            group.errors.append((raw, outcome))
        else:  # belongs to no case that can be named
            orphans += _problems(raw, outcome, None, (raw.file,))
            continue
        group.files.add(raw.file)
    result = Merged([], orphans, [])
    for case_id in sorted(groups):
        _merge_group(case_id, groups[case_id], result)
    return result


def validate_record(raw: RawRecord) -> CaseRecord | list[errors.FieldError]:
    """The record validated on its own, or its errors."""
    try:
        return CaseRecord.model_validate(raw.data)
    except ValidationError as exc:
        return errors.describe(exc, CaseRecord)
    except RecursionError:
        return [errors.FieldError("", TOO_DEEP)]


def raw_case_id(data: dict[Any, Any]) -> str | None:
    """The record's `case_id` if it is a valid one, even when the rest of the record is not."""
    return valid_case_id(data.get("case_id"))


def valid_case_id(value: Any) -> str | None:
    """`value` if it is a valid case id, else None."""
    try:
        return _CASE_ID.validate_python(value)
    except ValidationError:
        return None


def _merge_group(case_id: str, group: _Group, result: Merged) -> None:
    files = tuple(sorted(group.files))
    case: Case | None = None
    problems: list[Problem] = []
    if group.errors:
        for raw, field_errors in group.errors:
            problems += _problems(raw, field_errors, case_id, files)
    else:
        case, problems = merge(case_id, group.valid)
    if case is not None:
        result.cases.append(case)
        result.records[case_id] = group.valid
        return
    result.problems.extend(problems)
    result.rejected.append(case_id)
    if len(files) > 1:
        result.problems.append(
            Problem(
                "rejected whole: none of its records in these files is used",
                files=files, case_id=case_id,
            )
        )


def _problems(
    raw: RawRecord, field_errors: Sequence[errors.FieldError], case_id: str | None,
    files: tuple[str, ...],
) -> list[Problem]:
    return [
        Problem(
            error.message, file=raw.file, files=files, case_id=case_id,
            location=location(raw.place, error.path),
        )
        for error in field_errors
    ]


def location(place: str, path: str) -> str | None:
    """`document 2, [3]` and `meetings[0].date` -> `document 2, [3]: meetings[0].date`."""
    return ": ".join(part for part in (place, path) if part) or None


# ---------------------------------------------------------------------------
# Merging one case


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
        return location(self.rec.place, f"{self.path}.{name}" if self.path else name)


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
        people = self._people()
        case = Case(
            case_id=self.case_id,
            files=self.files,
            sources=self._sources(),
            child=child,
            people=people,
            involvement_start=min(
                (r.record.involvement_start for r in self.records if r.record.involvement_start),
                default=None,
            ),
            plans=self._plans(),
            meetings=self._meetings(),
            visits=self._visits(),
            **{name: self._concatenate(name, key) for name, key in CONCATENATED.items()},
        )
        self._check_references({person.id for person in people}, [p.id for p in people])
        return case

    # -- problems

    def problem(self, message: str, rec: Checked | None, path: str = "") -> None:
        self.problems.append(
            Problem(
                message,
                file=rec.file if rec else (self.files[0] if len(self.files) == 1 else None),
                files=self.files,
                case_id=self.case_id,
                location=location(rec.place, path) if rec else path or None,
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

    def one(self, model: type[Entry], parts: Sequence[tuple[_Origin, Entry]]) -> Any:
        """Entries that are one (the same id): the entry itself when there is only one."""
        if len(parts) == 1:
            return parts[0][1]
        return model.model_construct(**self.agree(parts))

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

    def _people(self) -> tuple[Person, ...]:
        groups: dict[str, list[tuple[_Origin, Entry]]] = {}
        for rec in self.records:
            for i, person in enumerate(rec.record.people):
                groups.setdefault(person.id, []).append((_Origin(rec, f"people[{i}]"), person))
        return tuple(self.one(Person, parts) for parts in groups.values())

    def _plans(self) -> tuple[Plan, ...]:
        groups: dict[date, list[tuple[_Origin, Plan]]] = {}
        for rec in self.records:
            for i, plan in enumerate(rec.record.plans):
                groups.setdefault(plan.start, []).append((_Origin(rec, f"plans[{i}]"), plan))
        plans = []
        for start in sorted(groups):
            parts = groups[start]
            if len(parts) == 1:  # ids are unique within a plan of one record
                plans.append(parts[0][1])
                continue
            values = self.agree(parts, skip=frozenset({"actions"}))
            plans.append(Plan.model_construct(**values, actions=self._actions(parts)))
        return tuple(plans)

    def _actions(self, plans: Sequence[tuple[_Origin, Plan]]) -> tuple[Action, ...]:
        groups: dict[str, list[tuple[_Origin, Entry]]] = {}
        for origin, plan in plans:
            for j, action in enumerate(plan.actions):
                path = f"{origin.path}.actions[{j}]"
                groups.setdefault(action.id, []).append((_Origin(origin.rec, path), action))
        return tuple(self.one(Action, parts) for parts in groups.values())

    def _meetings(self) -> tuple[Meeting, ...]:
        groups: dict[tuple[str, date], list[tuple[Checked, Meeting]]] = {}
        for rec in self.records:
            for meeting in rec.record.meetings:
                groups.setdefault((meeting.type, meeting.date), []).append((rec, meeting))
        meetings = [
            parts[0][1]
            if len(parts) == 1
            else Meeting.model_construct(
                type=parts[0][1].type, date=parts[0][1].date,
                participants=combine_participants(
                    [(rec.order, meeting.participants) for rec, meeting in parts]
                ),
            )
            for parts in groups.values()
        ]
        return tuple(sorted(meetings, key=lambda meeting: meeting.date))

    def _visits(self) -> tuple[Visit, ...]:
        groups: dict[date, list[Visit]] = {}
        for rec in self.records:
            for visit in rec.record.visits:
                groups.setdefault(visit.date, []).append(visit)
        visits = []
        for day in sorted(groups):
            if len(groups[day]) == 1:
                visits.append(groups[day][0])
                continue
            alone = [v.seen_alone for v in groups[day] if v.seen_alone is not None]
            visits.append(
                Visit.model_construct(
                    date=day,
                    seen=any(v.seen for v in groups[day]),
                    seen_alone=any(alone) if alone else None,
                )
            )
        return tuple(visits)

    def _concatenate(self, name: str, key: str | None) -> tuple[Entry, ...]:
        givers = [rec for rec in self.records if getattr(rec.record, name)]
        if len(givers) <= 1:
            # Entries of one record are never one another's copies, so no identities are
            # needed; most cases are one record, and identities were a third of merging.
            entries = [entry for rec in givers for entry in getattr(rec.record, name)]
        else:
            entries = _without_copies(name, givers)
        if key is not None:
            entries.sort(key=lambda entry: _date_key(getattr(entry, key)))
        return tuple(entries)

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
            for path, person in references(rec.record):
                if person != CHILD and person not in known:
                    self.problem(f"unknown person '{person}' ({people})", rec, path)


# ---------------------------------------------------------------------------
# Helpers


def combine_participants(
    lists: Sequence[tuple[int, Sequence[Participant]]],
) -> tuple[Participant, ...]:
    """Participants of one meeting from several records (`order`, participants).

    The same person, or the same professional (same role, and the same agency
    where both give one), from another record is one participant: `report`
    if any record says so, and the highest status. Two participants of one
    record are never combined (two social workers may attend).
    """
    merged: list[Participant] = []
    owners: list[set[int]] = []
    for order, participants in lists:
        for participant in participants:
            slot = _match(participant, merged, owners, order)
            if slot is None:
                merged.append(participant)
                owners.append({order})
            else:
                merged[slot] = _combine(merged[slot], participant)
                owners[slot].add(order)
    return tuple(merged)


def _match(
    new: Participant, merged: Sequence[Participant], owners: Sequence[set[int]], order: int
) -> int | None:
    candidates = [k for k, old in enumerate(merged) if order not in owners[k] and _same(old, new)]
    exact = [k for k in candidates if merged[k].agency == new.agency]
    best = exact or candidates
    return best[0] if best else None


def _same(a: Participant, b: Participant) -> bool:
    if a.person is not None or b.person is not None:
        return a.person == b.person
    agencies_agree = a.agency is None or b.agency is None or a.agency == b.agency
    return a.role == b.role and agencies_agree


def _combine(a: Participant, b: Participant) -> Participant:
    status = max(a.status, b.status, key=lambda status: STATUS_RANK[status])
    if status == a.status and (a.report or not b.report) and (a.agency or not b.agency):
        return a
    return Participant.model_construct(
        role=a.role, agency=a.agency or b.agency, person=a.person,
        status=status, report=a.report or b.report,
    )


def references(record: CaseRecord) -> list[tuple[str, str]]:
    """Every person reference in a record: (its path, the person id)."""
    found: list[tuple[str, str]] = []
    for i, meeting in enumerate(record.meetings):
        for j, participant in enumerate(meeting.participants):
            if participant.person is not None:
                found.append((f"meetings[{i}].participants[{j}].person", participant.person))
    for i, entry in enumerate(record.recording):
        found += [(f"recording[{i}].views_of[{k}]", p) for k, p in enumerate(entry.views_of)]
    for i, plan in enumerate(record.plans):
        for j, action in enumerate(plan.actions):
            path = f"plans[{i}].actions[{j}].involves"
            found += [(f"{path}[{k}]", p) for k, p in enumerate(action.involves)]
    for i, assessment in enumerate(record.assessments):
        path = f"assessments[{i}].contributors"
        found += [(f"{path}[{k}]", p) for k, p in enumerate(assessment.contributors)]
    return found


def is_free_text(info: FieldInfo) -> bool:
    """A free text field (a name, an action's text...): its value is never quoted."""
    if info.annotation is str:
        return any(getattr(item, "strict", False) for item in info.metadata)
    for arg in (info.annotation, *get_args(info.annotation)):
        if hasattr(arg, "__metadata__") and get_args(arg)[0] is str:
            extras = get_args(arg)[1:]
            return any(getattr(item, "strict", False) for item in extras)
    return False


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


def _date_key(value: date | None) -> tuple[bool, date]:
    return (value is None, value or date.min)
