"""all-of: a finding built from other rules: every one of them that applies is met.

Used by `timely-work-with-family`: every timeliness rule that applies to the
case is met, and at least one applies.

The rules named in `all_of` are evaluated for the same case and as-of date
whether or not `--select` or `--ignore` report them (each is evaluated once per
case). Not covered when one of them is `not_covered` (the case's records do
not hold what it reads: its evidence is repeated); else met when every one that
applies (is not `not_applicable`) is met and at least one applies; not met when
one that applies is not met (its evidence is repeated, prefixed by its id); not
applicable when none applies.

The standards are rejected when `all_of` names a rule they do not have, names
the rule itself, or names a rule that leads back to it through its own
`all_of`.

Options:

- `all_of` (default `[strategy-discussion-timely, icpc-timely,
  first-core-group-timely, core-groups-regular, review-conferences-timely,
  visits-timely]`): the ids of the rules, at least one.

Passing (defaults): a referral followed by a strategy discussion in time, and
nothing else due (every other rule not applicable):

    referrals: [{date: 2022-06-01, outcome: s47}]
    meetings: [{type: strategy_discussion, date: 2022-06-07}]

Failing: the same referral, the discussion a day late:

    referrals: [{date: 2022-06-01, outcome: s47}]
    meetings: [{type: strategy_discussion, date: 2022-06-08}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic import Field, ValidationError

from cp_audit.case.values import did_you_mean
from cp_audit.checks.base import CaseView, CheckOptions, Context
from cp_audit.results import CheckResult, Outcome

if TYPE_CHECKING:
    from cp_audit.standards.spec import StandardsSpec

ID = "all-of"

DEFAULT_ALL_OF = (
    "strategy-discussion-timely",
    "icpc-timely",
    "first-core-group-timely",
    "core-groups-regular",
    "review-conferences-timely",
    "visits-timely",
)


class Options(CheckOptions):
    all_of: tuple[str, ...] = Field(default=DEFAULT_ALL_OF, min_length=1)

    def built_from(self) -> tuple[str, ...]:
        return self.all_of

    def references(self, spec: StandardsSpec) -> list[str]:
        problems = super().references(spec)
        known = [rule.id for rule in spec.rules]
        for rule_id in self.all_of:
            if rule_id not in known:
                hint = did_you_mean(rule_id, known)
                problems.append(f'option "all_of": no such rule "{rule_id}"{hint}')
        # The rules of this type, with what each lists: to find this rule and any loop back to it.
        lists: dict[str, tuple[str, ...]] = {}
        me: list[str] = []
        for rule in spec.rules:
            if rule.check != ID:
                continue
            try:
                options = Options.model_validate(rule.options)
            except ValidationError:
                continue  # reported as that rule's own option error
            lists[rule.id] = options.all_of
            if options == self:
                me.append(rule.id)
        for rule_id in me:
            if rule_id in self.all_of:
                problems.append(f'option "all_of": a rule must not list itself ("{rule_id}")')
            else:
                via = _leads_back(self.all_of, rule_id, lists)
                if via is not None:
                    problems.append(
                        f'option "all_of": "{via}" leads back to "{rule_id}" through its own all_of'
                    )
        return problems


def _leads_back(
    start: tuple[str, ...], target: str, lists: Mapping[str, tuple[str, ...]]
) -> str | None:
    """The entry of `start` from which the `all_of` lists reach `target`, if any."""
    for first in start:
        seen: set[str] = set()
        todo = [first]
        while todo:
            rule_id = todo.pop()
            if rule_id == target:
                return first
            if rule_id not in seen:
                seen.add(rule_id)
                todo.extend(lists.get(rule_id, ()))
    return None


def parts(options: Options) -> frozenset[str]:
    """It reads no part itself: it is `not_covered` when one of its rules is
    (`CheckOptions.built_from`)."""
    return frozenset()


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    met: list[str] = []
    not_met: list[str] = []
    not_applicable: list[str] = []
    details: list[str] = []
    not_covered: list[str] = []
    for rule_id in options.all_of:
        result = ctx.evaluate(rule_id)
        if result.outcome == Outcome.NOT_COVERED:
            not_covered.extend(f"{rule_id}: {line}" for line in result.evidence)
        elif result.outcome == Outcome.MET:
            met.append(rule_id)
        elif result.outcome == Outcome.NOT_MET:
            not_met.append(rule_id)
            details.extend(f"{rule_id}: {line}" for line in result.evidence)
        else:
            not_applicable.append(rule_id)
    if not_covered:
        return CheckResult.not_covered(*not_covered)
    also = [f"not applicable: {', '.join(not_applicable)}"] if not_applicable else []
    if not_met:
        return CheckResult.not_met(f"not met: {', '.join(not_met)}", *details)
    if met:
        return CheckResult.met(f"met: {', '.join(met)}", *also)
    return CheckResult.not_applicable(f"none applies: {', '.join(not_applicable)}")
