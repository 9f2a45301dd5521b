"""The child is seen alone on enough of the visits during a plan.

Looks at the visits with `seen: true` dated inside a plan period (from a plan's
`start` to the earlier of its `end` and the as-of date; visits outside every
plan period are ignored). Met when at least `min_share` of them have
`seen_alone: true`; a visit without `seen_alone` counts as not seen alone. Not
applicable when there is no such visit.

Options:

- `min_share` (default `0.5`, 0 to 1): the share of seen visits on which the
  child must be seen alone.

Passing (as of 2022-03-01: one of two seen visits alone, 50%):

```yaml
plans: [{start: 2022-01-10, category: emotional_abuse}]
visits: [{date: 2022-01-12, seen: true, seen_alone: true}, {date: 2022-01-24, seen: true}]
```

Failing (as of 2022-03-01: none of the seen visits alone):

```yaml
plans: [{start: 2022-01-10, category: emotional_abuse}]
visits: [{date: 2022-01-12, seen: true, seen_alone: false}, {date: 2022-01-24, seen: true}]
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cp_audit.checks.base import CaseView, CheckOptions, Context, at_least, fmt
from cp_audit.results import CheckResult

ID = "seen-alone"


class Options(CheckOptions):
    min_share: Annotated[float, Field(ge=0, le=1)] = 0.5


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans and the visits."""
    return frozenset({"plans", "visits"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    visits = [v for v in view.visits_in_plan if v.seen]
    if not visits:
        return CheckResult.not_applicable(f"no visit with the child seen during a plan by "
                                          f"{fmt(view.as_of)}")
    alone: list[str] = []
    not_alone: list[str] = []
    unknown: list[str] = []
    by_answer = {True: alone, False: not_alone, None: unknown}
    for visit in visits:  # one pass over the visits, not one for each answer
        by_answer[visit.seen_alone].append(fmt(visit.date))
    share = len(alone) / len(visits)
    evidence = [
        f"seen alone on {len(alone)} of {len(visits)} seen visits during a plan "
        f"({share:.0%}; at least {options.min_share:.0%} needed)"
    ]
    if alone:
        evidence.append(f"seen alone: {', '.join(alone)}")
    if not_alone:
        evidence.append(f"not seen alone: {', '.join(not_alone)}")
    if unknown:
        evidence.append(f"seen_alone not recorded: {', '.join(unknown)}")
    if at_least(len(alone), len(visits), options.min_share):
        return CheckResult.met(*evidence)
    return CheckResult.not_met(*evidence)
