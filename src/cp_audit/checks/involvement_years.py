"""Agencies' involvement with the family has not gone on for many years.

Takes the earliest of `involvement_start`, the referral dates and the plan
starts (each only when on or before the as-of date). Met when that date is no
more than `max_years` years before the as-of date: on or after the same day
`max_years` years earlier (28 February when that day is 29 February). Not
applicable when the case has none of those dates.

Options:

- `max_years` (default `3`): the longest involvement that is met.

Passing (as of 2022-09-30):

```yaml
referrals: [{date: 2021-11-01, outcome: strategy_discussion}]
plans: [{start: 2021-11-26, category: emotional_abuse}]
```

Failing (as of 2022-09-30: involvement since 2014):

```yaml
involvement_start: 2014-02-01
plans: [{start: 2021-11-26, category: emotional_abuse}]
```
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from cp_audit.checks.base import CaseView, CheckOptions, Context, fmt
from cp_audit.results import CheckResult
from cp_audit.standards.calendar import add_years

ID = "involvement-years"


class Options(CheckOptions):
    max_years: Annotated[int, Field(ge=0)] = 3


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): referrals and plans (`involvement_start` is
    read where a record gives it)."""
    return frozenset({"referrals", "plans"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    dates: list[tuple[date, str]] = []
    start = view.case.involvement_start
    if start is not None and start <= view.as_of:
        dates.append((start, "involvement_start"))
    dates.extend((r.date, "referral") for r in view.referrals)
    dates.extend((p.start, "plan start") for p in view.plans)
    if not dates:
        return CheckResult.not_applicable(
            f"no involvement_start, referral or plan by {fmt(view.as_of)}"
        )
    earliest, what = min(dates)
    limit = add_years(view.as_of, -options.max_years)
    where = f"earliest involvement {fmt(earliest)} ({what})"
    if earliest >= limit:
        return CheckResult.met(
            f"{where} is no more than {options.max_years} years before {fmt(view.as_of)} "
            f"(on or after {fmt(limit)})"
        )
    return CheckResult.not_met(
        f"{where} is more than {options.max_years} years before {fmt(view.as_of)} "
        f"(before {fmt(limit)})"
    )
