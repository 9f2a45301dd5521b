"""Few cycles of re-referral after step-down.

A **cycle** is a step-down followed by a referral after the step-down's day,
within `within_months` months of it (on or before the same day of the month
`within_months` months later, the month's last day when that day does not
exist) and before the next step-down's day. Each step-down makes at most one
cycle. A referral on the step-down's own day is not "after" it. Met when there
are fewer than `min_cycles` cycles. Step-downs and referrals dated after the
as-of date are not read. Not applicable when there is no step-down.

Options:

- `min_cycles` (default `2`): this many cycles or more is `not_met`.
- `within_months` (default `12`): how soon after a step-down a referral makes
  a cycle.

Passing (one cycle, fewer than 2):

```yaml
step_downs: [{date: 2019-09-30, to: early_help}]
referrals: [{date: 2020-03-02, outcome: cin}]
```

Failing (two cycles):

```yaml
step_downs: [{date: 2019-09-30, to: early_help}, {date: 2020-10-01, to: universal}]
referrals: [{date: 2020-03-02, outcome: cin}, {date: 2021-01-05, outcome: s47}]
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cp_audit.checks.base import CaseView, CheckOptions, Context, fmt, plural
from cp_audit.results import CheckResult
from cp_audit.standards.calendar import add_months

ID = "re-referral-cycles"


class Options(CheckOptions):
    min_cycles: Annotated[int, Field(ge=1)] = 2
    within_months: Annotated[int, Field(ge=1)] = 12


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): referrals and step-downs."""
    return frozenset({"referrals", "step_downs"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    step_downs = view.step_downs
    if not step_downs:
        return CheckResult.not_applicable(f"no step-down by {fmt(view.as_of)}")
    referrals = sorted(r.date for r in view.referrals)
    cycles: list[str] = []
    others: list[str] = []
    for index, step_down in enumerate(step_downs):
        limit = add_months(step_down.date, options.within_months)
        following = step_downs[index + 1].date if index + 1 < len(step_downs) else None
        referral = next(
            (
                day
                for day in referrals
                if step_down.date < day <= limit and (following is None or day < following)
            ),
            None,
        )
        if referral is not None:
            cycles.append(
                f"cycle: step-down {fmt(step_down.date)} followed by referral {fmt(referral)} "
                f"(within {options.within_months} months, by {fmt(limit)})"
            )
        else:
            before = f" or before the next step-down {fmt(following)}" if following else ""
            others.append(
                f"step-down {fmt(step_down.date)}: no referral after it within "
                f"{options.within_months} months (by {fmt(limit)}){before}"
            )
    summary = (
        f"{plural(len(cycles), 'cycle')} of re-referral after "
        f"{plural(len(step_downs), 'step-down')}"
    )
    if len(cycles) >= options.min_cycles:
        return CheckResult.not_met(f"{summary} (at least {options.min_cycles})", *cycles)
    return CheckResult.met(
        f"{summary} (fewer than {options.min_cycles})", *cycles, *others
    )
