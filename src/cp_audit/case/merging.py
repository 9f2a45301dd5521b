"""One case from several records (`shared/case-format.md`, "One case from several records").

Each raw record is validated on its own (`CaseRecord`); the records are
grouped by `case_id` and each group merged into a `model.Case` (`combining`),
which is then checked for what needs the whole case (the child's age, unique
ids, references). A case with any invalid record, any conflict or any failed
check is rejected whole, and every problem about it lists every file it came from.

`run.audit` runs the whole pipeline: discovery, reading, merging.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from cp_audit.case import errors
from cp_audit.case.combining import Checked, location, merge
from cp_audit.case.errors import TOO_DEEP
from cp_audit.case.model import Case, CaseRecord
from cp_audit.case.values import CaseId
from cp_audit.results import Problem

if TYPE_CHECKING:
    from cp_audit.inputs.interface import RawRecord

_CASE_ID: TypeAdapter[str] = TypeAdapter(CaseId)


@dataclass(frozen=True, slots=True)
class Merged:
    cases: list[Case]
    problems: list[Problem]
    rejected: list[str]  # the case ids rejected
    # Each accepted case's validated records, in the order read, with their places.
    records: dict[str, Sequence[Checked]] = field(default_factory=dict)


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
            group.valid.append(Checked(raw.file, raw.place, order, outcome, raw.offset))
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
    """The record validated on its own, or its errors (those its reader found, if any)."""
    if raw.errors:
        return [errors.FieldError((), message) for _, message in raw.errors]
    try:
        return CaseRecord.model_validate(raw.data)
    except ValidationError as exc:
        return errors.describe(exc, CaseRecord)
    except RecursionError:
        return [errors.FieldError((), TOO_DEEP)]


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
    if raw.errors:  # found by the reader, each at its own place (a census element's line)
        return [
            Problem(message, file=raw.file, files=files, case_id=case_id, location=where)
            for where, message in raw.errors
        ]
    return [
        Problem(
            error.message, file=raw.file, files=files, case_id=case_id,
            location=location(_placed(raw, error), error.path),
        )
        for error in field_errors
    ]


def _placed(raw: RawRecord, error: errors.FieldError) -> str:
    """The record's place with the error's line and column (`inputs.locate.placed`)."""
    from cp_audit.inputs.locate import placed  # only on the error path

    return placed(raw.file, raw.place, error.at, raw.offset)
