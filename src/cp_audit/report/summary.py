"""The report's content: the one place where a RunResult and the standards become a report.

Every format renders the same `ReportContent`, so that the text, Markdown and
HTML reports, the JSON, the CSV and the JUnit XML never disagree on a count,
an order or a sentence. Nothing here escapes anything: the values are the data
as they came (case ids, evidence, file names, the standards' own texts) and
each format escapes them for its own medium.

Counting and ordering (shared/default-standards.md, "Worries and good practice
in the report"):

- Only the reported rules count (`RunResult.rules`, in the standards' order).
- A worry is a worry rule's `not_met`; good practice is a good-practice rule's
  `met`, and a worry rule's `met` where the rule carries a `good_practice`
  sentence.
- Each is shown as "N of A cases": A is the number of checked cases where the
  rule applies (its outcome is not `not_applicable`).
- Most frequent first; ties in the standards' order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, cast, overload
from urllib.parse import urlsplit

from cp_audit import __version__
from cp_audit.report._text import has_controls
from cp_audit.results import (
    CaseResult,
    Counts,
    Kind,
    Outcome,
    Problem,
    RuleResult,
    RunResult,
    SkippedFile,
    StandardsInfo,
    pickled_as_tuple,
)

if TYPE_CHECKING:  # the report needs no standards module to be imported: `--help` stays fast
    from cp_audit.standards.spec import RuleSpec, Standards, StandardsSpec

TOOL_NAME = "cp-audit"

CAVEAT = (
    "A grade supports, and does not replace, the auditors' professional judgement"
    " and moderation."
)

# The section titles, in the order every human-readable format shows them.
WORRIES_TITLE = "What are we worried about?"
GOOD_PRACTICE_TITLE = "What good practice did we see?"
THEMES_TITLE = "Themes for learning"
CASES_TITLE = "Cases"
DATA_TITLE = "Data problems"
SECTION_TITLES: tuple[str, ...] = (
    WORRIES_TITLE,
    GOOD_PRACTICE_TITLE,
    THEMES_TITLE,
    CASES_TITLE,
    DATA_TITLE,
)

NOT_GRADED = "not_graded"

_NOT_IN_URL = frozenset('<>"\'`\\ ')

# Words of a token that people write in capitals (`adhd` -> `ADHD`, `gp` -> `GP`).
ACRONYMS = frozenset(
    {
        "adhd", "asd", "camhs", "cp", "cse", "dash", "edt", "fgm", "gp", "icpc", "marac",
        "mash", "nbt", "nhs", "ocd", "ptsd", "rcpc", "send", "yot",
    }
)

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


# ---------------------------------------------------------------------------
# The content


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


@dataclass(frozen=True, slots=True)
class RuleLine:
    """One line under "What are we worried about?" or "What good practice did we see?"."""

    rule: str
    theme: str
    kind: Kind
    title: str
    sentence: str  # the rule's worry (or good-practice) sentence; its title when it has none
    cases: int  # N: cases with the finding
    applicable: int  # A: cases where the rule applies
    case_ids: tuple[str, ...]  # the N cases, in the run's order


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str

    @property
    def is_web(self) -> bool:
        """Only http(s) URLs with a host become links; anything else is shown as text."""
        return is_web_url(self.url)


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

    @property
    def is_worry(self) -> bool:
        return self.kind == Kind.WORRY and self.outcome == Outcome.NOT_MET

    @property
    def is_good_practice(self) -> bool:
        return self.outcome == Outcome.MET and self.sentence is not None

    def __reduce__(self) -> tuple[Callable[..., Finding], tuple[object, ...]]:
        # Sections made by the workers are read back by the tens of thousands: pickled as
        # plain values, the enums by value (unpickling an enum calls its slow constructor).
        return _unpickle_finding, (
            self.rule, self.title, self.theme, self.kind.value, self.outcome.value,
            self.evidence, self.weight, self.sentence,
        )


_KINDS = {kind.value: kind for kind in Kind}
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}


def _unpickle_finding(
    rule: str, title: str, theme: str, kind: str, outcome: str, evidence: tuple[str, ...],
    weight: float, sentence: str | None,
) -> Finding:
    return Finding(rule, title, theme, _KINDS[kind], _OUTCOMES[outcome], evidence, weight, sentence)


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

    @property
    def score_rounded(self) -> float | None:
        return round_score(self.score)

    @property
    def score_text(self) -> str:
        return score_text(self.score)

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


@dataclass(frozen=True, slots=True)
class DataProblems:
    problems: tuple[Problem, ...]
    skipped: tuple[SkippedFile, ...]
    counts: Counts
    incomplete: bool


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
    cases: Sequence[CaseSection]  # read lazily: a national run's cases stay on disk
    data: DataProblems
    caveat: str = CAVEAT
    show_names: bool = False  # a case shows a name (--show-names)


# ---------------------------------------------------------------------------
# Building it


def build(
    run: RunResult,
    standards: Standards | StandardsSpec,
    *,
    audit_name: str | None = None,
    tool_version: str = __version__,
) -> ReportContent:
    """The report's content for a run checked against `standards`; `audit_name` is the
    audit's own name from its `cp-audit.yaml`, if it has one."""
    # A Standards, or its spec; told apart without importing the standards module.
    spec: StandardsSpec = getattr(standards, "spec", None) or cast("StandardsSpec", standards)
    specs = {rule.id: rule for rule in spec.rules}
    rules = _reported_rules(run, spec)
    cases = _prepared(run, rules, spec) or LazySections(run.cases, section_maker(rules, spec))
    survey = _Survey(rules)
    rows = getattr(cases, "rows", None)  # made ahead by the workers, with the sections
    for row in rows() if rows is not None else map(survey_row, cases):
        survey.add(row)  # the one pass over every case that the heading and lists need
    survey.find_words(cases)
    worries = _rule_lines(survey, specs, worry=True)
    return ReportContent(
        tool_name=TOOL_NAME,
        tool_version=tool_version,
        standards=run.standards,
        as_of=run.as_of,
        rules=rules,
        heading=_heading(run, spec, survey, audit_name),
        worries=worries,
        good_practice=_rule_lines(survey, specs, worry=False),
        themes=_themes(spec, worries),
        cases=cases,
        data=DataProblems(
            problems=run.problems,
            skipped=run.skipped,
            counts=run.counts,
            incomplete=run.incomplete,
        ),
        show_names=survey.names,
    )


def section_maker(
    rules: tuple[str, ...], spec: StandardsSpec
) -> Callable[[CaseResult], CaseSection]:
    """A case's result -> its section of a report on `rules` (in that order)."""
    order = {rule_id: index for index, rule_id in enumerate(rules)}
    specs = {rule.id: rule for rule in spec.rules}
    return lambda case: _case_section(case, order, specs)


def _prepared(
    run: RunResult, rules: tuple[str, ...], spec: StandardsSpec
) -> Sequence[CaseSection] | None:
    """The sections the workers made (`report.prepared`), if made for this report."""
    made_for = getattr(run.sections, "made_for", None)
    if made_for is None or not made_for(rules, spec):
        return None
    return run.sections


class LazySections(Sequence[CaseSection]):
    """Report sections made, or read, one at a time when needed: `make(item)` for each
    item of `results` (a run's results, or the case ids of sections made ahead)."""

    def __init__(self, results: Sequence[Any], make: Callable[[Any], CaseSection]) -> None:
        self._results = results
        self._make = make

    def __len__(self) -> int:
        return len(self._results)

    @overload
    def __getitem__(self, index: int) -> CaseSection: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CaseSection]: ...

    def __getitem__(self, index: int | slice) -> CaseSection | Sequence[CaseSection]:
        if isinstance(index, slice):
            return [self._make(result) for result in self._results[index]]
        return self._make(self._results[index])

    def __iter__(self) -> Iterator[CaseSection]:
        return map(self._make, self._results)


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
    applicable: tuple[str, ...]  # the rules that apply (not `not_applicable`)
    worries: tuple[str, ...]
    good_practice: tuple[str, ...]


def survey_row(case: CaseSection) -> SurveyRow:
    findings = case.findings
    return SurveyRow(
        case_id=case.case_id,
        named=bool(case.name),
        age=case.age,
        needs=case.needs,
        agencies=case.agencies,
        applicable=tuple(f.rule for f in findings if f.outcome != Outcome.NOT_APPLICABLE),
        worries=tuple(f.rule for f in findings if f.is_worry),
        good_practice=tuple(f.rule for f in findings if f.is_good_practice),
    )


class _Survey:
    """What the heading and the worries and good practice need, gathered case by case."""

    def __init__(self, rules: Sequence[str]) -> None:
        self.rules = rules
        self.cases = 0
        self.names = False
        self.ages: list[int] = []  # at most two: the youngest and the oldest
        self.ages_unknown = 0
        self.needs: Counter[str] = Counter()
        self.agencies: Counter[str] = Counter()
        self.applicable: Counter[str] = Counter()
        # (rule, worry?) -> the case ids with it, the first case's index, its finding
        self.case_ids: dict[tuple[str, bool], list[str]] = {}
        self.first_index: dict[tuple[str, bool], int] = {}
        self.first: dict[tuple[str, bool], Finding] = {}

    def add(self, row: SurveyRow) -> None:
        index = self.cases
        self.cases += 1
        self.names = self.names or row.named
        if row.age is None:
            self.ages_unknown += 1
        else:
            self.ages = [min([row.age, *self.ages]), max([row.age, *self.ages])]
        self.needs.update(set(row.needs))
        self.agencies.update(set(row.agencies))
        self.applicable.update(row.applicable)
        for worry, rules in ((True, row.worries), (False, row.good_practice)):
            for rule in rules:
                key = (rule, worry)
                self.first_index.setdefault(key, index)
                self.case_ids.setdefault(key, []).append(row.case_id)

    def find_words(self, cases: Sequence[CaseSection]) -> None:
        """Each worry's and good practice's words, from the first case that has it."""
        for (rule, worry), index in self.first_index.items():
            self.first[(rule, worry)] = next(
                f for f in cases[index].findings
                if f.rule == rule and (f.is_worry if worry else f.is_good_practice)
            )


def _reported_rules(run: RunResult, spec: StandardsSpec) -> tuple[str, ...]:
    if run.rules:
        return run.rules
    # A run that does not say which rules it reported: those its cases carry,
    # in the standards' order, then any the standards do not know.
    seen = {r.rule for case in run.cases for r in case.results}
    ordered = [rule.id for rule in spec.rules if rule.id in seen]
    extra = sorted(seen.difference(ordered))
    return (*ordered, *extra)


def _case_section(
    case: CaseResult, order: dict[str, int], specs: dict[str, RuleSpec]
) -> CaseSection:
    results = sorted((r for r in case.results if r.rule in order), key=lambda r: order[r.rule])
    return CaseSection(
        case_id=case.case_id,
        name=case.name or None,
        files=case.files,
        age=case.age,
        needs=case.needs,
        agencies=case.agencies,
        score=case.score,
        grade=case.grade,
        findings=tuple(_finding(r, specs.get(r.rule)) for r in results),
    )


def _finding(result: RuleResult, spec: RuleSpec | None) -> Finding:
    title = spec.title if spec is not None else result.rule
    sentence: str | None = None
    if result.kind == Kind.WORRY and result.outcome == Outcome.NOT_MET:
        sentence = (spec.worry if spec is not None else None) or title
    elif result.outcome == Outcome.MET:
        if result.kind == Kind.GOOD_PRACTICE:
            sentence = (spec.good_practice if spec is not None else None) or title
        elif spec is not None and spec.good_practice:
            sentence = spec.good_practice
    return Finding(
        rule=result.rule,
        title=title,
        theme=result.theme,
        kind=result.kind,
        outcome=result.outcome,
        evidence=result.evidence,
        weight=result.weight,
        sentence=sentence,
    )


def _rule_lines(
    survey: _Survey, specs: dict[str, RuleSpec], *, worry: bool
) -> tuple[RuleLine, ...]:
    lines: list[RuleLine] = []
    for rule_id in survey.rules:
        first = survey.first.get((rule_id, worry))
        if first is None:
            continue
        found_ids = survey.case_ids[(rule_id, worry)]
        spec = specs.get(rule_id)
        lines.append(
            RuleLine(
                rule=rule_id,
                theme=first.theme,
                kind=first.kind,
                title=spec.title if spec is not None else rule_id,
                sentence=first.sentence or rule_id,
                cases=len(found_ids),
                applicable=survey.applicable[rule_id],
                case_ids=tuple(found_ids),
            )
        )
    # sorted() is stable: ties keep the standards' order.
    return tuple(sorted(lines, key=lambda line: -line.cases))


def _themes(spec: StandardsSpec, worries: Sequence[RuleLine]) -> tuple[ThemeLearning, ...]:
    by_theme: dict[str, list[RuleLine]] = {}
    for line in worries:
        by_theme.setdefault(line.theme, []).append(line)
    themes: list[ThemeLearning] = []
    for token, theme in spec.themes.items():
        if token in by_theme:
            themes.append(
                ThemeLearning(
                    theme=token,
                    title=theme.title,
                    what_we_found=theme.what_we_found,
                    what_needs_to_happen=theme.what_needs_to_happen,
                    resources=tuple(Link(r.title, r.url) for r in theme.resources),
                    worries=tuple(by_theme[token]),
                )
            )
    for token, lines in by_theme.items():  # a theme the standards do not describe
        if token not in spec.themes:
            themes.append(ThemeLearning(token, label(token), "", "", (), tuple(lines)))
    return tuple(themes)


def _heading(
    run: RunResult, spec: StandardsSpec, survey: _Survey, audit_name: str | None
) -> Heading:
    return Heading(
        audit_name=(audit_name or "").strip() or None,
        standards_name=run.standards.name or spec.name,
        standards_version=run.standards.version or spec.version,
        as_of=run.as_of,
        cases=survey.cases,
        rejected=run.counts.cases_rejected,
        problems=len(run.problems),
        incomplete=run.incomplete,
        age_min=survey.ages[0] if survey.ages else None,
        age_max=survey.ages[-1] if survey.ages else None,
        ages_unknown=survey.ages_unknown,
        needs=_tally(survey.needs),
        agencies=_tally(survey.agencies),
    )


def _tally(counter: Counter[str]) -> tuple[Tally, ...]:
    return tuple(
        Tally(token, n) for token, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    )


# ---------------------------------------------------------------------------
# Words shared by the formats (each escapes them for its medium)


def round_score(score: float | None) -> float | None:
    """A score to one decimal place, halves rounded up (72.75 -> 72.8)."""
    if score is None:
        return None
    return float(Decimal(repr(score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score_text(score: float | None) -> str:
    rounded = round_score(score)
    return "no score" if rounded is None else f"{rounded:.1f}"


def label(token: str) -> str:
    """A token for people to read: `requires_improvement` -> `requires improvement`.

    A word that is an acronym is capitalised: `adhd` -> `ADHD`, `gp_surgery` -> `GP surgery`.
    """
    words = token.replace("_", " ").split(" ")
    return " ".join(word.upper() if word in ACRONYMS else word for word in words)


def title_lines(heading: Heading) -> tuple[str, str | None]:
    """The report's title and, under an audit's own name, the line naming the standards."""
    standards = f"{heading.standards_name}, version {heading.standards_version}"
    if heading.audit_name:
        return heading.audit_name, f"Standards: {standards}."
    return standards, None


def long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def n_of_a(line: RuleLine) -> str:
    """ "7 of 10 cases" """
    return f"{line.cases} of {plural(line.applicable, 'case')}"


def age_text(age: int | None) -> str:
    if age is None:
        return "age not known"
    return "unborn" if age < 0 else plural(age, "year") + " old"


def children_sentence(heading: Heading) -> str:
    """E.g. "The 10 children in this audit were aged between 2 and 16 years old on <as-of>." """
    n = heading.cases
    if n == 0:
        return "No case was checked."
    who = "The child in this audit" if n == 1 else f"The {n} children in this audit"
    was = "was" if n == 1 else "were"
    on = f"on {long_date(heading.as_of)}"
    low, high = heading.age_min, heading.age_max
    if low is None or high is None:
        return f"{who}: ages not known."
    if high < 0:
        ages = f"{was} unborn {on}"
    elif low < 0:
        ages = f"{was} aged from unborn to {plural(high, 'year')} old {on}"
    elif low == high:
        ages = f"{was} aged {plural(high, 'year')} old {on}"
    else:
        ages = f"{was} aged between {low} and {high} years old {on}"
    unknown = f" (age not known for {plural(heading.ages_unknown, 'case')})"
    return f"{who} {ages}{unknown if heading.ages_unknown else ''}."


def tally_text(tallies: Sequence[Tally]) -> str:
    """ "domestic abuse (4), neglect (2) and adhd (1)" """
    parts = [f"{label(t.token)} ({t.cases})" for t in tallies]
    return and_join(parts)


def and_join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def needs_sentence(heading: Heading) -> str:
    if not heading.needs:
        return "No needs are recorded for the children."
    return f"The children have a range of needs including {tally_text(heading.needs)}."


def agencies_sentence(heading: Heading) -> str:
    if not heading.agencies:
        return "No agency is named in the records."
    names = and_join([label(t.token) for t in heading.agencies])
    return f"Agencies whose records contributed: {names}."


def problems_notice(heading: Heading) -> str | None:
    """A line for the heading when some input could not be used, else None."""
    if not heading.problems and not heading.incomplete:
        return None
    text = f"{plural(heading.problems, 'data problem')}"
    if heading.rejected:
        text += f", {plural(heading.rejected, 'case')} rejected"
    if heading.incomplete:
        text += "; cases may be incomplete"
    return text + f": see {DATA_TITLE}."


def books_lines(data: DataProblems) -> tuple[str, ...]:
    """The run's books: files found = read + skipped; cases in = checked + rejected."""
    c = data.counts
    files = (
        f"Files found: {c.files_found} = {c.files_read} read + {c.files_skipped} skipped"
        + (f" ({c.files_rejected} of those read rejected)" if c.files_rejected else "")
        + "."
    )
    cases_in = c.cases_loaded + c.cases_rejected
    cases = f"Cases: {cases_in} in = {c.cases_loaded} checked + {c.cases_rejected} rejected."
    lines = [files, cases]
    if data.incomplete:
        lines.append(
            "A file or a line could not be read at all and named no case: cases may be incomplete."
        )
    return tuple(lines)


def problem_files(problem: Problem) -> tuple[str, ...]:
    """Every file a problem involves (its `file` first)."""
    files = list(problem.files)
    if problem.file is not None and problem.file not in files:
        files.insert(0, problem.file)
    return tuple(files)


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host, and no character that would need quoting around it."""
    if not url or has_controls(url) or any(ch in _NOT_IN_URL or ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)
