"""Frozen, typed results: what a check, a rule, a case and a run produce.

Reporters read only these (a run's cases as prepared for the report, in its
spool); they never see the case records themselves.
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the spool holds the run's cases as the report reads them
    from cp_audit.run.spool import CaseSpool

_T = TypeVar("_T")


def pickled_as_tuple(cls: type[_T]) -> type[_T]:
    """A frozen dataclass pickled as its class and its field values, not through
    dataclasses' generic (and slow) state functions: results and report sections cross
    processes and the spool by the million. Read from the fields, so that none is left
    out when one is added."""
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: _T) -> tuple[type[_T], tuple[object, ...]]:
        return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010
    return cls


NOT_GRADED = "not_graded"  # a case's grade when no rule with a weight applies


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    # The case's records do not cover a part the rule reads (`case.coverage`).
    NOT_COVERED = "not_covered"

    @property
    def decided(self) -> bool:
        """Whether the rule was decided for the case: met or not met (`N of A` counts it)."""
        return self in (Outcome.MET, Outcome.NOT_MET)


class Kind(StrEnum):
    WORRY = "worry"
    GOOD_PRACTICE = "good_practice"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check type returns: the outcome and the record items that decided it."""

    outcome: Outcome
    evidence: tuple[str, ...] = ()

    @classmethod
    def met(cls, *evidence: str) -> CheckResult:
        return cls(Outcome.MET, evidence)

    @classmethod
    def not_met(cls, *evidence: str) -> CheckResult:
        return cls(Outcome.NOT_MET, evidence)

    @classmethod
    def not_applicable(cls, *evidence: str) -> CheckResult:
        return cls(Outcome.NOT_APPLICABLE, evidence)

    @classmethod
    def not_covered(cls, *evidence: str) -> CheckResult:
        return cls(Outcome.NOT_COVERED, evidence)


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class ModerationNote:
    """The audit meeting's decision on a finding or a grade (`meeting.apply`): its own
    words, and whether the tool still gives what it gave when it was recorded."""

    reason: str
    by: str
    date: str  # ISO
    stale: bool  # the tool now gives another outcome (or grade) or other evidence
    fingerprinted: bool  # False: written by hand, without the tool's outcome and evidence


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: str
    theme: str
    kind: Kind
    outcome: Outcome  # the one that counts: the agreed outcome when moderated
    evidence: tuple[str, ...]
    weight: float
    tool_outcome: Outcome | None = None  # the tool's own, when moderated (None: `outcome`)
    moderation: ModerationNote | None = None

    @property
    def is_worry(self) -> bool:
        return self.kind == Kind.WORRY and self.outcome == Outcome.NOT_MET


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class CaseResult:
    case_id: str
    files: tuple[str, ...]
    agencies: tuple[str, ...]
    age: int | None  # completed years on the as-of date; negative before birth
    needs: tuple[str, ...]
    score: float | None  # unrounded; None when no rule with weight applies
    grade: str  # a band name, or "not_graded"
    results: tuple[RuleResult, ...]
    name: str | None = None  # only filled with --show-names
    warnings: tuple[Problem, ...] = ()  # the case's data warnings (`case.warnings`)
    # Moderated (`meeting.apply`): the tool's own score and grade (None: `score`, `grade`),
    # and the meeting's agreed grade, when it gave one.
    tool_score: float | None = None
    tool_grade: str | None = None
    grade_moderation: ModerationNote | None = None

    @property
    def worries(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.is_worry)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used: a file, a line of one, or a whole case; or, as
    a data warning, one that was used but is doubtful (`case.warnings`)."""

    message: str
    file: str | None = None
    files: tuple[str, ...] = ()
    case_id: str | None = None
    location: str | None = None

    def __str__(self) -> str:
        parts = [self.file or ", ".join(self.files) or "input"]
        if self.case_id is not None:
            parts.append(f"case {self.case_id}")
        if self.location:
            parts.append(self.location)
        parts.append(self.message)
        return ": ".join(parts)


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Counts:
    """The run's books: files found = read + skipped; cases in = checked + rejected."""

    files_found: int = 0
    files_read: int = 0
    files_skipped: int = 0
    files_rejected: int = 0  # read, but nothing usable came out of them
    cases_loaded: int = 0
    cases_rejected: int = 0
    cases_left_out: int = 0  # read, but not in this audit (`cases_in_audit`, `--case`)
    # Read, valid or not, without a usable `case_id`: in no case, so a case may lack them.
    records_unattributed: int = 0
    # Files and lines that could not be read at all: they may have held cases' records.
    inputs_unreadable: int = 0


@dataclass(frozen=True, slots=True)
class Unattributed:
    """Input that names no case: a record without a usable `case_id` (its agency when the
    record gives a `source.agency`), or a file or line that could not be read at all."""

    file: str
    agency: str | None = None
    location: str | None = None  # where in the file ("line 3"), when the reader says
    unreadable: bool = False  # True: not a record read, but input that could not be read


@dataclass(frozen=True, slots=True)
class StandardsInfo:
    name: str
    version: str
    sha256: str
    path: str


@dataclass(frozen=True)
class RunResult:
    standards: StandardsInfo
    as_of: date
    cases: CaseSpool  # the checked cases' report sections, in case id order
    problems: tuple[Problem, ...]
    counts: Counts
    skipped: tuple[SkippedFile, ...] = ()
    rules: tuple[str, ...] = field(default=())  # the reported rule ids, in standards order
    incomplete: bool = False  # a file that could not be read at all may have held cases
    unattributed: tuple[Unattributed, ...] = ()  # in the order read
    warnings: tuple[Problem, ...] = ()  # data warnings: doubtful, not rejected (case id order)
