"""Each checked case made into what the report reads of it, where it was checked.

A `Preparer` is made once per run, in the parent, from the run's rules, its
standards and the documents it writes (a format and its render options). It
turns a case's result into a `run.spool.PreparedCase`: the case's section of
the report (`content.CaseSection`), its chunk of each document
(`Reporter.case_chunk`) and its survey row (`content.SurveyRow`), each
pickled, for the run's spool. The forked workers inherit it and prepare the
cases they check; a run without workers (`--jobs 1`, a small run) calls the
same function in-process. There is one way a case becomes part of a report,
and the report reads nothing else of it.

Preparing where the case is checked matters: made in the parent alone, after
the workers, each case's section and JSON line were a serial tail of about a
fifth of a national run on two cores (and a text report's cases, minutes).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from cp_audit.report import REPORTERS, timeline
from cp_audit.report.chronology import Chronology
from cp_audit.report.content import CaseSection, Finding, ModerationLine, SurveyRow
from cp_audit.report.interface import Output
from cp_audit.results import CaseResult, Kind, Outcome, RuleResult
from cp_audit.run.spool import CaseSpool, PreparedCase
from cp_audit.standards.spec import RuleSpec, StandardsSpec

if TYPE_CHECKING:
    from cp_audit.case.model import Case


class Preparer:
    """A case's result -> its section of a report on `rules` (in that order), its chunk
    of each document in `outputs` (a format and its render options) and its survey row,
    pickled."""

    def __init__(
        self,
        rules: tuple[str, ...],
        spec: StandardsSpec,
        outputs: Iterable[Output] = (),
        as_of: date | None = None,
    ) -> None:
        self.rules = rules
        self.spec = spec
        self.as_of = as_of  # with the case at hand, its chronology is drawn up to this day
        # A binary document (Word) is made whole from the sections: no chunk of it here.
        self.outputs: tuple[Output, ...] = tuple(
            output for output in dict.fromkeys(outputs) if not REPORTERS[output[0]].binary
        )
        self._order = {rule_id: index for index, rule_id in enumerate(rules)}
        self._specs = {rule.id: rule for rule in spec.rules}
        self._words: dict[tuple[str, Kind, Outcome], tuple[str, str | None]] = {}
        self._chunkers = [(REPORTERS[name].case_chunk, options) for name, options in self.outputs]

    def __call__(self, result: CaseResult, case: Case | None = None) -> PreparedCase:
        section = self.section(result, case)
        chunks = tuple(case_chunk(section, options) for case_chunk, options in self._chunkers)
        return PreparedCase(
            pickle.dumps(section, pickle.HIGHEST_PROTOCOL),
            pickle.dumps(chunks, pickle.HIGHEST_PROTOCOL) if chunks else b"",
            pickle.dumps(survey_row(section), pickle.HIGHEST_PROTOCOL),
        )

    def section(self, result: CaseResult, case: Case | None = None) -> CaseSection:
        """The case's section: its reported rules' findings, in the report's order, and
        with the case at hand, its chronology."""
        order = self._order
        reported = (r for r in result.results if r.rule in order)
        results = sorted(reported, key=lambda r: order[r.rule])
        return CaseSection(
            case_id=result.case_id,
            name=result.name or None,
            files=result.files,
            age=result.age,
            needs=result.needs,
            agencies=result.agencies,
            score=result.score,
            grade=result.grade,
            findings=tuple(self._finding(r) for r in results),
            warnings=result.warnings,
            tool_score=result.tool_score,
            tool_grade=result.tool_grade,
            grade_moderation=result.grade_moderation,
            chronology=self._chronology(result, case),
        )

    def _chronology(self, result: CaseResult, case: Case | None) -> Chronology | None:
        if case is None or self.as_of is None:
            return None
        return timeline.of_case(case, self.spec, result.results, self.as_of)

    def _finding(self, result: RuleResult) -> Finding:
        """The finding of a rule's result: its words worked out once per rule and outcome."""
        key = (result.rule, result.kind, result.outcome)
        words = self._words.get(key)
        if words is None:
            words = self._words[key] = _words(result, self._specs.get(result.rule))
        title, sentence = words
        # Positional: the fields in Finding's order (the rule's result, with the words).
        return Finding(
            result.rule, title, result.theme, result.kind, result.outcome, result.evidence,
            result.weight, sentence, result.tool_outcome, result.moderation,
        )

    def spool(self, results: Iterable[CaseResult]) -> CaseSpool:
        """`results` prepared and spooled as a run does it: a report on results at hand."""
        spool = CaseSpool(self.outputs)
        for result in results:
            spool.add(result.case_id, self(result))
        return spool


def survey_row(case: CaseSection) -> SurveyRow:
    applicable: list[str] = []
    worries: list[str] = []
    good_practice: list[str] = []
    not_covered: list[str] = []
    for finding in case.findings:  # one pass: this runs for every case of a run
        if finding.outcome.decided:
            applicable.append(finding.rule)
            if finding.is_worry:
                worries.append(finding.rule)
            elif finding.is_good_practice:
                good_practice.append(finding.rule)
        elif finding.outcome == Outcome.NOT_COVERED:
            not_covered.append(finding.rule)
    return SurveyRow(
        case_id=case.case_id,
        named=bool(case.name),
        age=case.age,
        needs=case.needs,
        agencies=case.agencies,
        applicable=tuple(applicable),
        worries=tuple(worries),
        good_practice=tuple(good_practice),
        not_covered=tuple(not_covered),
        moderations=_moderations(case),
    )


def _moderations(case: CaseSection) -> tuple[ModerationLine, ...]:
    lines = [
        ModerationLine(case.case_id, f.rule, f.outcome.value, f.tool.value, f.moderation)
        for f in case.findings
        if f.moderation is not None
    ]
    if case.grade_moderation is not None and case.tool_grade is not None:
        lines.append(
            ModerationLine(case.case_id, None, case.grade, case.tool_grade, case.grade_moderation)
        )
    return tuple(lines)


def _words(result: RuleResult, spec: RuleSpec | None) -> tuple[str, str | None]:
    """A finding's title, and its sentence for the result's kind and outcome, if any."""
    title = spec.title if spec is not None else result.rule
    sentence: str | None = None
    if result.kind == Kind.WORRY and result.outcome == Outcome.NOT_MET:
        sentence = (spec.worry if spec is not None else None) or title
    elif result.outcome == Outcome.MET:
        if result.kind == Kind.GOOD_PRACTICE:
            sentence = (spec.good_practice if spec is not None else None) or title
        elif spec is not None and spec.good_practice:
            sentence = spec.good_practice
    return title, sentence
