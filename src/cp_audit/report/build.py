"""Building the report's content: a run's spool of cases and the standards -> `ReportContent`.

One pass over the cases' survey rows (`content.SurveyRow`, a few words each)
gives the heading and the counts; a worry's or good practice's words come
from the section of the first case that has it. The cases' sections stay in
the run's spool, read again by each format as it writes them.

Counting and ordering (shared/default-standards.md, "Worries and good practice
in the report"):

- Only the reported rules count (`RunResult.rules`, in the standards' order).
- A worry is a worry rule's `not_met`; good practice is a good-practice rule's
  `met`, and a worry rule's `met` where the rule carries a `good_practice`
  sentence.
- Each is shown as "N of A cases": A is the number of checked cases where the
  rule was decided (met or not met: neither `not_applicable` nor `not_covered`),
  and, where the rule was `not_covered` for some, "not covered by the records of
  8 cases".
- Most frequent first; ties in the standards' order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cp_audit import __version__
from cp_audit.report import wording
from cp_audit.report.content import (
    ActionLine,
    AuditorLine,
    CaseSection,
    DataProblems,
    Finding,
    Heading,
    Link,
    MeetingContent,
    ModerationLine,
    ReportContent,
    RuleLine,
    SinceLastAudit,
    SurveyRow,
    Tally,
    ThemeLearning,
)
from cp_audit.results import Kind, RunResult

if TYPE_CHECKING:  # the report needs no standards module to be imported: `--help` stays fast
    from datetime import date

    from cp_audit.meeting.model import Action, MeetingRecord
    from cp_audit.standards.spec import RuleSpec, StandardsSpec

TOOL_NAME = "cp-audit"


def build(
    run: RunResult,
    spec: StandardsSpec,
    *,
    audit_name: str | None = None,
    tool_version: str = __version__,
    strict: bool = False,
    meeting: MeetingRecord | None = None,
    since: SinceLastAudit | None = None,
) -> ReportContent:
    """The report's content for a run checked against the standards `spec`; `audit_name`
    is the audit's own name from its `cp-audit.yaml`, if it has one; `strict`: --strict
    (data warnings count as errors); `meeting`: the audit meeting's record, whose
    moderation the run applied; `since`: the change from the previous audit."""
    specs = {rule.id: rule for rule in spec.rules}
    cases = run.cases
    survey = _Survey(run.rules)
    for row in cases.rows():
        survey.add(row)  # the one pass over every case that the heading and lists need
    survey.find_words(cases)
    worries = _rule_lines(survey, specs, worry=True)
    return ReportContent(
        tool_name=TOOL_NAME,
        tool_version=tool_version,
        standards=run.standards,
        as_of=run.as_of,
        rules=run.rules,
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
            warnings=run.warnings,
            strict=strict,
        ),
        show_names=survey.names,
        meeting=_meeting(meeting, survey, run.as_of) if meeting and _any(meeting) else None,
        since=since,
    )


def _meeting(record: MeetingRecord, survey: _Survey, as_of: date) -> MeetingContent:
    findings = [
        AuditorLine(Kind(f.kind), f.text, f.theme, f.cases) for f in record.meeting.findings
    ]
    return MeetingContent(
        file=record.path,
        moderations=tuple(survey.moderations),
        worries=tuple(f for f in findings if f.kind == Kind.WORRY),
        good_practice=tuple(f for f in findings if f.kind == Kind.GOOD_PRACTICE),
        actions=tuple(action_line(action, as_of) for action in record.meeting.actions),
    )


def _any(record: MeetingRecord) -> bool:
    """An empty record (as `cp-audit init` writes it) adds nothing to the report."""
    meeting = record.meeting
    return bool(meeting.moderation or meeting.findings or meeting.actions)


def action_line(action: Action, as_of: date) -> ActionLine:
    """An agreed action as the report shows it: overdue when open and past due on `as_of`."""
    return ActionLine(
        id=action.id,
        action=action.action,
        theme=action.theme,
        rules=action.rules,
        owner=action.owner,
        due=action.due,
        status=action.status,
        overdue=action.status == "open" and action.due < as_of,
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
        self.not_covered: Counter[str] = Counter()
        # (rule, worry?) -> the case ids with it, the first case's index, its finding
        self.case_ids: dict[tuple[str, bool], list[str]] = {}
        self.first_index: dict[tuple[str, bool], int] = {}
        self.first: dict[tuple[str, bool], Finding] = {}
        self.moderations: list[ModerationLine] = []

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
        self.not_covered.update(row.not_covered)
        self.moderations += row.moderations
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
                not_covered=survey.not_covered[rule_id],
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
            themes.append(ThemeLearning(token, wording.label(token), "", "", (), tuple(lines)))
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
        unattributed=run.unattributed,
    )


def _tally(counter: Counter[str]) -> tuple[Tally, ...]:
    return tuple(
        Tally(token, n) for token, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    )

