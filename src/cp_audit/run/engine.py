"""Runs the standards' rules over a case: outcomes, evidence, score and grade.

A rule is `not_covered` first, before its check runs, when the case's records
do not cover a part it reads (`case.coverage`, `Standards.parts`); a rule
`proved_by_example` is run anyway, and is `met` when the records present show
it. When some record lists what it covers, a decided rule reading a part each
agency holds for itself names, in its evidence, the agencies whose records it
was judged over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cp_audit.case.coverage import OWN_AGENCY_PARTS, CaseCoverage
from cp_audit.case.model import Case
from cp_audit.case.warnings import CaseWarnings, Unknown
from cp_audit.checks.base import CaseView, Context, PerObject
from cp_audit.results import CaseResult, CheckResult, Kind, Outcome, RuleResult
from cp_audit.standards.spec import Rule, Standards, no_such_rule


class SelectionError(ValueError):
    """--select or --ignore named a rule the standards do not have."""


def select_rules(
    standards: Standards, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> tuple[Rule, ...]:
    """The rules to report, in the standards' order."""
    chosen, dropped = list(select), set(ignore)
    for rule_id in (*chosen, *dropped):
        if rule_id not in standards.by_id:
            raise SelectionError(no_such_rule(rule_id, standards.by_id))
    wanted = set(chosen) if chosen else set(standards.by_id)
    return tuple(r for r in standards.rules if r.id in wanted and r.id not in dropped)


class _CaseRun:
    """One case's evaluation: every rule at most once, whether reported or used by another."""

    def __init__(
        self,
        case: Case,
        standards: Standards,
        as_of: date,
        unknown: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.standards = standards
        self.rules = standards.by_id
        self.coverage = case.coverage  # None, the usual case: every record covers every part
        self.view = CaseView(case, as_of)
        self.done: dict[str, CheckResult] = {}
        shared = _shared(standards)
        self.ctx = Context(
            as_of=as_of,
            calendar=standards.calendar,
            role_groups=shared.role_groups,
            father_relationships=shared.father_relationships,
            evaluate=self.evaluate,
            expanded=shared.expanded,
            unknown=unknown,
        )

    def evaluate(self, rule_id: str) -> CheckResult:
        result = self.done.get(rule_id)
        if result is None:
            rule = self.rules.get(rule_id) or self.standards.rule(rule_id)  # which raises
            if self.coverage is None:
                result = rule.check.check(self.view, rule.options, self.ctx)
            else:
                result = self._covered(rule, self.coverage)
            self.done[rule_id] = result
        return result

    def _covered(self, rule: Rule, coverage: CaseCoverage) -> CheckResult:
        """The rule's result for a case whose records do not all cover every part."""
        # Its own parts: a rule built from others (all-of) is not_covered when one of them
        # is, and that one may be proved by example.
        parts = rule.check.parts(rule.options)
        missing = coverage.missing(parts)
        if missing and not rule.proved_by_example:
            return CheckResult.not_covered(coverage.not_covered(missing))
        result = rule.check.check(self.view, rule.options, self.ctx)
        if missing and result.outcome != Outcome.MET:
            return CheckResult.not_covered(coverage.not_covered(missing))
        if result.outcome.decided and parts & OWN_AGENCY_PARTS:
            judged = coverage.judged_over(self.view.case.agencies)
            return CheckResult(result.outcome, (*result.evidence, judged))
        return result

    def close(self) -> None:
        """Break the loop run -> context -> `evaluate` -> run, so that the case and its
        results are freed when the run ends instead of at the next full garbage collection
        (which, with a case's thousands of objects left for it, cost a sixth of a run)."""
        del self.ctx


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every case's context takes from the standards: worked out once per standards."""

    role_groups: dict[str, frozenset[str]]
    father_relationships: frozenset[str]
    expanded: dict[tuple[str, ...], frozenset[str]]
    # Each rule's theme, kind and weight, as every result of it carries them.
    labels: dict[str, tuple[str, Kind, float]]


def _shared_of(standards: Standards) -> _Shared:
    return _Shared(
        {name: frozenset(roles) for name, roles in standards.spec.role_groups.items()},
        frozenset(standards.spec.father_relationships),
        {},
        {rule.id: (rule.spec.theme, rule.kind, rule.spec.weight) for rule in standards.rules},
    )


_shared = PerObject(_shared_of, most=8)  # a run uses one standards


def evaluate_rule(rule_id: str, case: Case, standards: Standards, as_of: date) -> CheckResult:
    """One rule's result for one case (the examples and the tests use this)."""
    run = _CaseRun(case, standards, as_of)
    try:
        return run.evaluate(rule_id)
    finally:
        run.close()


def check_case(
    case: Case,
    standards: Standards,
    as_of: date,
    rules: Sequence[Rule] | None = None,
    *,
    show_names: bool = False,
    warnings: CaseWarnings | None = None,
) -> CaseResult:
    """The case's result; its data `warnings` are carried, and a met or not_met rule
    that reads a part holding an unknown token says so in its evidence."""
    unknown = warnings.unknown if warnings is not None else ()
    run = _CaseRun(case, standards, as_of, frozenset((u.category, u.token) for u in unknown))
    labels = _shared(standards).labels
    found: list[RuleResult] = []
    try:
        for rule in standards.rules if rules is None else rules:
            rule_id = rule.id
            res = run.evaluate(rule_id)
            evidence = res.evidence + _notes(rule, res, unknown, standards) if unknown else (
                res.evidence
            )
            theme, kind, weight = labels[rule_id]
            found.append(RuleResult(rule_id, theme, kind, res.outcome, evidence, weight))
    finally:
        run.close()
    results = tuple(found)
    score = score_of(results)
    return CaseResult(
        case_id=case.case_id,
        files=case.files,
        agencies=case.agencies,
        age=case.age_on(as_of),
        needs=case.child.needs,
        score=score,
        grade=standards.grade(score),
        results=results,
        name=case.child.name if show_names else None,
        warnings=warnings.problems if warnings is not None else (),
    )


def _notes(
    rule: Rule, result: CheckResult, unknown: Sequence[Unknown], standards: Standards
) -> tuple[str, ...]:
    """One evidence line per unknown token in the parts the rule reads
    (`Standards.parts`), when the rule decided something (met or not met)."""
    if not result.outcome.decided:
        return ()
    parts = standards.parts(rule.id)
    return tuple(
        f'note: the records read here hold an unknown {item.word} "{item.token}" '
        f"({item.path}): see Data problems"
        for item in unknown
        if item.covered_part in parts
    )


def score_of(results: Iterable[RuleResult]) -> float | None:
    """100 × the weight of met rules over the weight of applicable, covered rules (met or
    not met); None if none weighs."""
    applicable = met = 0.0
    for result in results:
        if result.outcome.decided:
            applicable += result.weight
            if result.outcome == Outcome.MET:
                met += result.weight
    return 100.0 * met / applicable if applicable > 0 else None
