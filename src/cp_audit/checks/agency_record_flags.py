"""No agency record carries a flag that contradicts the plan.

Fails when a flag whose token is in `flags`, on any `agency_records` entry, is
set at any time during a plan: its `from`/`to` overlap a plan period (from the
plan's start to the earlier of its end and the as-of date). A flag's absent
`from` or absent/`null` `to` is open-ended, so a flag with neither is set
throughout; a flag ending on a plan's first day overlaps it; one ending the
day before does not. Not applicable when there is no plan period.

Options:

- `flags` (default `[no_safeguarding_concerns]`): the flags that contradict a
  child protection plan.

Passing (the flag was removed before the plan started):

```yaml
plans: [{start: 2021-11-26, category: emotional_abuse}]
agency_records:
  - agency: gp
    flags: [{flag: no_safeguarding_concerns, from: 2018-05-01, to: 2021-11-25}]
```

Failing (the flag is still set):

```yaml
plans: [{start: 2021-11-26, category: emotional_abuse}]
agency_records:
  - agency: gp
    flags: [{flag: no_safeguarding_concerns, from: 2018-05-01}]
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cp_audit.case.model import AgencyRecord, Flag
from cp_audit.checks.base import CaseView, CheckOptions, Context, Period, Tokens, fmt
from cp_audit.results import CheckResult

ID = "agency-record-flags"


class Options(CheckOptions):
    flags: Annotated[Tokens, Field(min_length=1)] = ("no_safeguarding_concerns",)


def record_label(record: AgencyRecord) -> str:
    system = f" ({record.system})" if record.system else ""
    return f"{record.agency} record{system}"


def _span(flag: Flag) -> str:
    start = f"from {fmt(flag.from_)}" if flag.from_ else "no start date"
    end = f"to {fmt(flag.to)}" if flag.to else "open-ended"
    return f"{start}, {end}"


def _period(period: Period) -> str:
    return f"plan period {fmt(period.start)} to {fmt(period.end)}"


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans and the agency records' flags."""
    return frozenset({"plans", "agency_records"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    periods = view.periods
    if not periods:
        return CheckResult.not_applicable(f"no plan period by {fmt(view.as_of)}")
    wanted = set(options.flags)
    contradicting: list[str] = []
    outside: list[str] = []
    for record in view.case.agency_records:
        for flag in record.flags:
            if flag.flag not in wanted:
                continue
            what = f"flag {flag.flag} on the {record_label(record)} ({_span(flag)})"
            during = [p for p in periods if p.overlaps(flag.from_, flag.to)]
            if during:
                contradicting.append(
                    f"{what} set during " + ", ".join(_period(p) for p in during)
                )
            else:
                outside.append(f"{what} not set during any plan period")
    if contradicting:
        return CheckResult.not_met(*contradicting)
    spans = ", ".join(_period(p) for p in periods)
    return CheckResult.met(
        f"no {' or '.join(options.flags)} flag on any agency record during {spans}", *outside
    )
