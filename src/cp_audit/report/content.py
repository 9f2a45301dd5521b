"""The report's content: what every format renders, made once per run (`build`).

Every format renders the same `ReportContent`, so that the text, Markdown and
HTML reports, the JSON, the CSV and the JUnit XML never disagree on a count,
an order or a sentence. The values are the data as they came (case ids,
evidence, file names, the standards' own texts): each format escapes them for
its own medium.

A case's part of the report is its `CaseSection` (every reported rule's
`Finding`) and its `SurveyRow` (the few words the heading and the lists need
of it); both are made by `prepare.Preparer` in the process that checked the
case, and read back from the run's spool (`ReportContent.cases`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cp_audit.report import wording
from cp_audit.results import (
    Counts,
    Kind,
    ModerationNote,
    Outcome,
    Problem,
    SkippedFile,
    StandardsInfo,
    Unattributed,
    pickled_as_tuple,
)

if TYPE_CHECKING:  # named in annotations only
    from cp_audit.report.chronology import Chronology
    from cp_audit.run.spool import CaseSpool



@dataclass(frozen=True, slots=True)
class Tally:
    """A token and how many cases have it (a need, an agency)."""

    token: str
    cases: int


@dataclass(frozen=True, slots=True)
class Heading:
    audit_name: str | None  # the audit folder's `name` (cp-audit.yaml), shown as the title
    standards_name: str
    standards_version: str
    as_of: date
    cases: int  # checked cases
    rejected: int  # cases and files rejected (Counts.cases_rejected)
    problems: int  # every data problem listed under "Data problems"
    incomplete: bool
    age_min: int | None  # completed years; negative: unborn
    age_max: int | None
    ages_unknown: int  # checked cases without an age
    needs: tuple[Tally, ...]  # most frequent first, then by token
    agencies: tuple[Tally, ...]  # most frequent first, then by token
    unattributed: tuple[Unattributed, ...] = ()  # input that names no case (RunResult's)


@dataclass(frozen=True, slots=True)
class RuleLine:
    """One line under "What are we worried about?" or "What good practice did we see?"."""

    rule: str
    theme: str
    kind: Kind
    title: str
    sentence: str  # the rule's worry (or good-practice) sentence; its title when it has none
    cases: int  # N: cases with the finding
    applicable: int  # A: cases where the rule applies and their records cover it
    case_ids: tuple[str, ...]  # the N cases, in the run's order
    not_covered: int = 0  # cases whose records do not cover what the rule reads


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str

    @property
    def is_web(self) -> bool:
        """Only http(s) URLs with a host become links; anything else is shown as text."""
        return wording.is_web_url(self.url)


@dataclass(frozen=True, slots=True)
class ThemeLearning:
    """A theme with at least one worry found: what we found, what needs to happen."""

    theme: str
    title: str
    what_we_found: str
    what_needs_to_happen: str
    resources: tuple[Link, ...]
    worries: tuple[RuleLine, ...]  # the theme's worries, as ordered in the worries section


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's result for one case, with the standards' words for it."""

    rule: str
    title: str
    theme: str
    kind: Kind
    outcome: Outcome
    evidence: tuple[str, ...]
    weight: float
    sentence: str | None  # the worry / good-practice sentence when this is one, else None
    tool_outcome: Outcome | None = None  # moderated: the tool's own (`outcome` is agreed)
    moderation: ModerationNote | None = None

    @property
    def tool(self) -> Outcome:
        """The tool's own outcome, moderated or not."""
        return self.tool_outcome or self.outcome

    @property
    def is_worry(self) -> bool:
        return self.kind == Kind.WORRY and self.outcome == Outcome.NOT_MET

    @property
    def is_good_practice(self) -> bool:
        return self.outcome == Outcome.MET and self.sentence is not None

    def __reduce__(self) -> tuple[Callable[..., Finding], tuple[object, ...]]:
        # Sections are read back from the spool by the tens of thousands: pickled as
        # plain values, the enums by value (unpickling an enum calls its slow constructor).
        return _unpickle_finding, (
            self.rule, self.title, self.theme, self.kind.value, self.outcome.value,
            self.evidence, self.weight, self.sentence,
            self.tool_outcome.value if self.tool_outcome is not None else None, self.moderation,
        )


_KINDS = {kind.value: kind for kind in Kind}
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}


def _unpickle_finding(
    rule: str, title: str, theme: str, kind: str, outcome: str, evidence: tuple[str, ...],
    weight: float, sentence: str | None, tool_outcome: str | None = None,
    moderation: ModerationNote | None = None,
) -> Finding:
    return Finding(
        rule, title, theme, _KINDS[kind], _OUTCOMES[outcome], evidence, weight, sentence,
        _OUTCOMES[tool_outcome] if tool_outcome is not None else None, moderation,
    )


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class CaseSection:
    case_id: str
    name: str | None  # only with --show-names
    files: tuple[str, ...]
    age: int | None
    needs: tuple[str, ...]
    agencies: tuple[str, ...]
    score: float | None  # unrounded
    grade: str
    findings: tuple[Finding, ...]  # every reported rule, in the standards' order
    warnings: tuple[Problem, ...] = ()  # the case's data warnings
    # Moderated (`meeting.apply`): the tool's own score and grade, the agreed grade's note.
    tool_score: float | None = None
    tool_grade: str | None = None
    grade_moderation: ModerationNote | None = None

    @property
    def moderated(self) -> bool:
        return self.tool_grade is not None

    @property
    def moderated_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.moderation is not None)
    # Its dated entries for the drawing (HTML, Word); None where the case was not at hand.
    chronology: Chronology | None = None

    @property
    def score_rounded(self) -> float | None:
        return wording.round_score(self.score)

    @property
    def score_text(self) -> str:
        return wording.score_text(self.score)

    @property
    def score_basis(self) -> str | None:
        """ "scored on 11 of 29 rules; 14 not covered by its records", where some rule is
        `not_covered`; None otherwise."""
        return wording.score_basis(
            self.rules_scored, len(self.findings), self.rules_not_covered
        )

    @property
    def rules_not_covered(self) -> int:
        return sum(1 for f in self.findings if f.outcome == Outcome.NOT_COVERED)

    @property
    def rules_scored(self) -> int:
        """The rules the score rests on: decided (met or not met), with a weight."""
        return sum(1 for f in self.findings if f.outcome.decided and f.weight > 0)

    @property
    def score_line(self) -> str:
        """The score as the case's facts show it: with its basis where some rule is not
        covered ("72.7 (scored on 11 of 29 rules; 14 not covered by its records)")."""
        basis = self.score_basis
        return self.score_text if basis is None else f"{self.score_text} ({basis})"

    @property
    def worries(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_worry)

    @property
    def good_practice(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_good_practice)

    @property
    def others(self) -> tuple[Finding, ...]:
        """Everything that is neither a worry nor good practice."""
        return tuple(f for f in self.findings if not f.is_worry and not f.is_good_practice)


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class SurveyRow:
    """What the heading and the worries and good practice need of one case: a few words
    where its section holds all its evidence (a national run reads 50,000 of them)."""

    case_id: str
    named: bool
    age: int | None
    needs: tuple[str, ...]
    agencies: tuple[str, ...]
    applicable: tuple[str, ...]  # the rules decided: met or not met
    worries: tuple[str, ...]
    good_practice: tuple[str, ...]
    not_covered: tuple[str, ...] = ()  # the rules its records do not cover
    moderations: tuple[ModerationLine, ...] = ()  # the meeting's, of this case


@dataclass(frozen=True, slots=True)
class ModerationLine:
    """One moderation applied, for the report's "Moderation" section."""

    case_id: str
    rule: str | None  # None: an agreed grade
    agreed: str  # the agreed outcome or grade
    tool: str  # the tool's own
    note: ModerationNote


@dataclass(frozen=True, slots=True)
class AuditorLine:
    """A finding of the auditors' own (meeting.yaml's `findings`)."""

    kind: Kind
    text: str
    theme: str
    case_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionLine:
    """An agreed action; `overdue`: open and past its due date on the as-of date."""

    id: str
    action: str
    theme: str | None
    rules: tuple[str, ...]
    owner: str
    due: date
    status: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class MeetingContent:
    """What the audit meeting's record (`meeting.yaml`) adds to the report."""

    file: str
    moderations: tuple[ModerationLine, ...]  # in case id order, a case's rules in order
    worries: tuple[AuditorLine, ...]
    good_practice: tuple[AuditorLine, ...]
    actions: tuple[ActionLine, ...]

    @property
    def stale(self) -> int:
        return sum(line.note.stale for line in self.moderations)

    @property
    def unfingerprinted(self) -> int:
        return sum(not line.note.fingerprinted for line in self.moderations)


@dataclass(frozen=True, slots=True)
class ShareLine:
    """One rule then and now: the agreed share of cases ("4 of 10 -> 1 of 10")."""

    rule: str
    sentence: str
    kind: Kind
    then_cases: int | None  # None: the rule was not in the previous run
    then_applicable: int
    now_cases: int | None
    now_applicable: int


@dataclass(frozen=True, slots=True)
class SinceLastAudit:
    """The change from the previous audit of the theme (`previous:`, `cp-audit compare`)."""

    previous: str  # the previous audit folder, as named
    then_as_of: date
    now_as_of: date
    rules: tuple[ShareLine, ...]
    grades: tuple[tuple[str, int, int], ...]  # (grade, cases then, cases now)
    actions: tuple[ActionLine, ...]  # the previous audit's, with their status


@dataclass(frozen=True, slots=True)
class DataProblems:
    problems: tuple[Problem, ...]
    skipped: tuple[SkippedFile, ...]
    counts: Counts
    incomplete: bool
    warnings: tuple[Problem, ...] = ()  # doubtful input that was used (`case.warnings`)
    strict: bool = False  # --strict: the warnings are errors (JUnit fails on them)


@dataclass(frozen=True, slots=True)
class ReportContent:
    tool_name: str
    tool_version: str
    standards: StandardsInfo
    as_of: date
    rules: tuple[str, ...]  # the reported rules, in the standards' order
    heading: Heading
    worries: tuple[RuleLine, ...]
    good_practice: tuple[RuleLine, ...]
    themes: tuple[ThemeLearning, ...]
    cases: CaseSpool  # read lazily, in case id order: a national run's cases stay on disk
    data: DataProblems
    caveat: str = wording.CAVEAT
    show_names: bool = False  # a case shows a name (--show-names)
    meeting: MeetingContent | None = None  # the audit meeting's record, when there is one
    since: SinceLastAudit | None = None  # "Since the last audit" (`previous:`)

