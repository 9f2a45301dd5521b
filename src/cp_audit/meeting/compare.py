"""Re-audit: one audit of a theme against the previous one, from their histories.

`since(old, new, ...)` makes the report's "Since the last audit" (and what
`cp-audit compare OLD NEW` prints): per rule that had a finding in either run,
the agreed share of cases then and now ("4 of 10 → 1 of 10": a worry rule's
`not_met`, a good-practice rule's `met`, of the cases where it applied); the
number of cases of each grade then and now; the previous audit's actions with
their status (from its `meeting.yaml`, as it stands now).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from cp_audit.meeting.history import RunRecord
from cp_audit.meeting.model import Action
from cp_audit.report.build import action_line
from cp_audit.report.content import ShareLine, SinceLastAudit
from cp_audit.results import NOT_GRADED, Kind, Outcome
from cp_audit.standards.spec import StandardsSpec

Share = tuple[Kind, int, int]  # kind, cases with the finding, cases where the rule applied


def shares(run: RunRecord) -> dict[str, Share]:
    """Each rule's agreed share in a run."""
    found: Counter[str] = Counter()
    applicable: Counter[str] = Counter()
    kinds: dict[str, Kind] = {}
    for _, rule, kind, _, outcome in run.results:
        kinds[rule] = Kind(kind)
        if Outcome(outcome).decided:  # applied (a rule not covered never counts)
            applicable[rule] += 1
        wanted = "not_met" if kind == Kind.WORRY else "met"
        if outcome == wanted:
            found[rule] += 1
    return {rule: (kinds[rule], found[rule], applicable[rule]) for rule in kinds}


def since(
    old: RunRecord,
    new: RunRecord,
    spec: StandardsSpec,
    *,
    previous: str,
    actions: Sequence[Action] = (),
) -> SinceLastAudit:
    then, now = shares(old), shares(new)
    specs = {rule.id: rule for rule in spec.rules}
    order = {rule.id: i for i, rule in enumerate(spec.rules)}
    rules = sorted(set(then) | set(now), key=lambda r: (order.get(r, len(order)), r))
    lines = []
    for rule in rules:
        before, after = then.get(rule), now.get(rule)
        if not (before and before[1]) and not (after and after[1]):
            continue  # no finding then or now
        kind = (after or before or (Kind.WORRY, 0, 0))[0]
        rule_spec = specs.get(rule)
        words = None
        if rule_spec is not None:
            words = rule_spec.worry if kind == Kind.WORRY else rule_spec.good_practice
        lines.append(ShareLine(
            rule=rule,
            sentence=words or (rule_spec.title if rule_spec is not None else rule),
            kind=kind,
            then_cases=before[1] if before else None,
            then_applicable=before[2] if before else 0,
            now_cases=after[1] if after else None,
            now_applicable=after[2] if after else 0,
        ))
    now_as_of = date.fromisoformat(new.as_of)
    return SinceLastAudit(
        previous=previous,
        then_as_of=date.fromisoformat(old.as_of),
        now_as_of=now_as_of,
        rules=tuple(lines),
        grades=_grades(old, new, spec),
        actions=tuple(action_line(action, now_as_of) for action in actions),
    )


def _grades(
    old: RunRecord, new: RunRecord, spec: StandardsSpec
) -> tuple[tuple[str, int, int], ...]:
    then = Counter(grade for _, _, grade in old.grades)
    now = Counter(grade for _, _, grade in new.grades)
    bands = [band.grade for band in sorted(spec.grades, key=lambda b: -b.min_score)]
    names = [*bands, NOT_GRADED, *sorted((set(then) | set(now)) - {*bands, NOT_GRADED})]
    return tuple((name, then[name], now[name]) for name in names if then[name] or now[name])
