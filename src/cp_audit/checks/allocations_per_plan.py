"""A consistent worker: few allocations of the same role during each plan.

In every plan period (from the plan's start to the earlier of its end and the
as-of date), at most `max_allocations` `professionals` entries whose role is in
`roles` overlap that period. An entry overlaps when its `from` (absent:
open-ended) is not after the period's end and its `to` (absent: still
allocated) is not before the period's start. An entry counts from its `from`:
one starting after the as-of date is not read. Each entry is one allocation,
with or without an `agency`. Not applicable when no such entry overlaps any
plan period.

Options:

- `roles` (default `[social_worker]`): the roles counted; "@group" names a
  role group of the standards.
- `max_allocations` (default `2`): the most allocations in one plan period
  that is met.

Passing (one change of social worker):

```yaml
plans: [{start: 2021-11-26, category: emotional_abuse}]
professionals:
  - {role: social_worker, agency: social_care, from: 2021-11-01, to: 2022-02-14}
  - {role: social_worker, agency: social_care, from: 2022-02-15}
```

Failing (three social workers in one plan):

```yaml
plans: [{start: 2021-11-26, category: emotional_abuse}]
professionals:
  - {role: social_worker, from: 2021-11-01, to: 2022-01-14}
  - {role: social_worker, from: 2022-01-15, to: 2022-04-30}
  - {role: social_worker, from: 2022-05-01}
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cp_audit.case.model import Professional
from cp_audit.checks.base import CaseView, CheckOptions, Context, Roles, fmt, met_unless, plural
from cp_audit.results import CheckResult

ID = "allocations-per-plan"


class Options(CheckOptions):
    roles: Annotated[Roles, Field(min_length=1)] = ("social_worker",)
    max_allocations: Annotated[int, Field(ge=1)] = 2


def _label(entry: Professional) -> str:
    agency = f" ({entry.agency})" if entry.agency else ""
    if entry.from_ and entry.to:
        when = f"from {fmt(entry.from_)} to {fmt(entry.to)}"
    elif entry.from_:
        when = f"from {fmt(entry.from_)} onwards"
    elif entry.to:
        when = f"until {fmt(entry.to)}"
    else:
        when = "(no dates)"
    return f"{entry.role}{agency} {when}"


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans and the allocations."""
    return frozenset({"plans", "professionals"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    roles = ctx.roles(options.roles)
    entries: list[Professional] = [p for p in view.professionals if p.role in roles]
    too_many: list[str] = []
    within: list[str] = []
    any_overlap = False
    for period in view.periods:
        overlapping = [e for e in entries if period.overlaps(e.from_, e.to)]
        if not overlapping:
            continue
        any_overlap = True
        text = (
            f"plan period {fmt(period.start)} to {fmt(period.end)}: "
            f"{plural(len(overlapping), 'allocation')}"
        )
        listed = "; ".join(_label(e) for e in overlapping)
        if len(overlapping) > options.max_allocations:
            too_many.append(f"{text} (more than {options.max_allocations}): {listed}")
        else:
            within.append(f"{text} (at most {options.max_allocations}): {listed}")
    if not any_overlap:
        wanted = ", ".join(options.roles)
        if not view.periods:
            return CheckResult.not_applicable(f"no plan period by {fmt(view.as_of)}")
        return CheckResult.not_applicable(f"no {wanted} allocation during a plan period")
    return met_unless(too_many, within)
