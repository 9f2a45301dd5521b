"""The audit run's types: what a run is asked (`AuditRequest`), its units of work, and
what a worker sends back (`WorkDone`). `run.audit` runs it, `run.gather` gathers it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cp_audit.inputs.interface import Limits, Part
from cp_audit.results import Problem, Unattributed
from cp_audit.run.choice import Choice
from cp_audit.standards.spec import Rule, Standards
from cp_audit.standards.vocabulary import KnownTokens, known_tokens

if TYPE_CHECKING:
    from cp_audit.case.model import Case, CaseRecord
    from cp_audit.meeting.model import MeetingRecord
    from cp_audit.report.interface import Output
    from cp_audit.report.prepare import Preparer

# What a validate-only run gives of each valid case, made where it was merged (it must
# pickle): its records for `convert`, its child's age and plans for `sample`.
Summarise = Callable[["Case", "tuple[CaseRecord, ...]"], Any]


@dataclass(frozen=True)
class AuditRequest:
    paths: tuple[Path, ...]
    standards: Standards | None  # None: validate only, check nothing
    rules: tuple[Rule, ...]
    as_of: date
    exclude: frozenset[Path] = frozenset()
    show_names: bool = False
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1
    # The documents (a format, its render options) whose chunk of each case is made
    # where the case is checked; a report written otherwise makes its own from the sections.
    outputs: tuple[Output, ...] = ()
    # Each case's chronology (its dated entries) is kept for a report that draws it
    # (HTML, Word); a CSV or JSON run of 50,000 cases keeps none.
    chronologies: bool = True
    # The standards whose tokens are known when only validating (`standards` None).
    vocabulary: Standards | None = None

    choice: Choice | None = None  # the cases in this audit (None: every case read)
    summarise: Summarise | None = None  # validate only: each valid case's summary
    # The audit meeting's record: its moderation is applied to each case where it is
    # checked, before it is prepared for the report (`meeting.apply`).
    meeting: MeetingRecord | None = None

    @cached_property
    def known(self) -> KnownTokens | None:
        """The tokens the data warnings know (made in the parent, before the fork)."""
        standards = self.standards or self.vocabulary
        return known_tokens(standards) if standards is not None else None

    @cached_property
    def preparer(self) -> Preparer | None:
        """What makes each checked case into its part of the report (None: validate only).
        Made in the parent, before the workers fork, so that they inherit it."""
        if self.standards is None:
            return None
        from cp_audit.report.prepare import Preparer  # `validate` imports no report

        rules = tuple(rule.id for rule in self.rules)
        as_of = self.as_of if self.chronologies else None
        return Preparer(rules, self.standards.spec, self.outputs, as_of)


@dataclass(frozen=True, slots=True)
class Work:
    """A file, or a part of a big JSON Lines file, to read."""

    index: int
    path: str
    part: Part | None = None


Unit = tuple[Work, ...]  # the files and parts that hold the records of the same children


@dataclass(frozen=True, slots=True)
class WorkDone:
    """What a worker sends back: small, and nothing that holds a whole case."""

    items: tuple[tuple[int, str], ...]  # (work item index, path) of the unit
    # (case id, the case prepared for the report; only validated: its summary, or None)
    results: tuple[tuple[str, Any], ...]
    rejected: tuple[str, ...]
    # Problems of a file, or of records with no case id, by the work item they come from.
    file_problems: tuple[tuple[int, Problem], ...]
    case_problems: tuple[Problem, ...]
    paths_with_records: frozenset[str]
    # What names no case, by the work item it comes from (`_unattributed`).
    unattributed: tuple[tuple[int, Unattributed], ...] = ()
    warnings: tuple[Problem, ...] = ()  # of the unit's valid cases, in case id order
    left_out: tuple[str, ...] = ()  # the case ids read but not chosen (`run.choice`)
    # The readers' own warnings (a census code not known), by the work item read.
    reader_warnings: tuple[tuple[int, Problem], ...] = ()


Progress = Callable[[int, int, int], None]  # (files or parts read, of how many, cases so far)
OnCase = Callable[[str, Any], None]  # (case id, its summary), as each unit is done
