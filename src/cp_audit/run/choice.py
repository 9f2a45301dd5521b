"""The children of an audit: `cases_in_audit` in `cp-audit.yaml`, or `--case ID`.

A run given a `Choice` reads every file as usual, but keeps only the records of
the chosen cases (and those that name no case, whose problems are still the
run's): the others are left out before they are validated, merged or checked,
and only counted ("312 cases read, 10 in this audit"). A chosen id that no
file holds is a data problem of that case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cp_audit.case.merging import raw_case_id
from cp_audit.results import Problem

if TYPE_CHECKING:
    from cp_audit.inputs.interface import RawRecord


@dataclass(frozen=True)
class Choice:
    ids: frozenset[str]
    listed_in: str  # where the user listed them: "--case" or "cases_in_audit"
    file: str | None = None  # the cp-audit.yaml that lists them


def chosen_records(
    records: Iterable[RawRecord], choice: Choice | None
) -> tuple[list[RawRecord], set[str]]:
    """The records kept, and the case ids left out."""
    if choice is None:
        return list(records), set()
    kept: list[RawRecord] = []
    left_out: set[str] = set()
    for record in records:
        case_id = raw_case_id(record.data)
        if case_id is None or case_id in choice.ids:
            kept.append(record)
        else:
            left_out.add(case_id)
    return kept, left_out


def missing(choice: Choice | None, found: set[str]) -> list[Problem]:
    """A problem for each chosen case id that no file holds, in case id order."""
    if choice is None:
        return []
    where = "is in" if choice.listed_in == "cases_in_audit" else "was given with"
    message = f"{where} {choice.listed_in}, but no file holds this case"
    return [
        Problem(message, file=choice.file, files=(choice.file,) if choice.file else (),
                case_id=case_id)
        for case_id in sorted(choice.ids - found)
    ]
