"""The child's views are recorded, not only those of the adults around them.

Looks at the `recording` entries dated inside a plan period (from a plan's
`start` to the earlier of its `end` and the as-of date; entries outside every
plan period are ignored) whose `views_of` is not empty. It counts the entries
naming `subject` (default `child`) and, for every other id named (any `people`
id; ids are compared exactly, case included, so `Mum` and `mum` are two
people), the entries naming that id. An id named twice in one entry counts
once for it. Met when the subject's count is at least `min_ratio` times the
count of the most-recorded other id (met when nobody else is named). Not
applicable when there are fewer than `min_entries` such entries.

Options:

- `min_ratio` (default `0.5`): the least ratio of the subject's entries to the
  most-recorded other person's entries.
- `min_entries` (default `4`): below this many entries the rule does not apply.
- `subject` (default `child`): whose views must be recorded (`child`, or a
  person id).

Passing (as of 2022-03-01: child in 2 entries, mum in 4; ratio 0.5):

```yaml
people: [{id: mum, relationship: mother}]
plans: [{start: 2022-01-10, category: emotional_abuse}]
recording:
  - {date: 2022-01-11, views_of: [mum, child]}
  - {date: 2022-01-18, views_of: [mum]}
  - {date: 2022-01-25, views_of: [mum]}
  - {date: 2022-02-01, views_of: [mum, child]}
```

Failing (as of 2022-05-01: the child in 1 entry, dad in 3, mum in 2; the entry before
the plan is not counted; ratio 1/3 against dad, the most recorded):

```yaml
people:
  - {id: mum, relationship: mother}
  - {id: dad, relationship: father}
plans: [{start: 2022-03-01, category: neglect}]
recording:
  - {date: 2022-02-20, views_of: [child]}
  - {date: 2022-03-04, views_of: [dad, mum]}
  - {date: 2022-03-18, views_of: [dad, child]}
  - {date: 2022-04-01, views_of: [dad]}
  - {date: 2022-04-15, views_of: [mum]}
```
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from cp_audit.case.values import Id
from cp_audit.checks.base import CaseView, CheckOptions, Context, at_least, fmt
from cp_audit.results import CheckResult

ID = "voice-in-recording"


class Options(CheckOptions):
    min_ratio: Annotated[float, Field(ge=0)] = 0.5
    min_entries: Annotated[int, Field(ge=0)] = 4
    subject: Id = "child"


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans and the recording."""
    return frozenset({"plans", "recording"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    entries = [r for r in view.recording_in_plan if r.views_of]
    if len(entries) < options.min_entries:
        return CheckResult.not_applicable(
            f"{len(entries)} recording entries with views during a plan by {fmt(view.as_of)} "
            f"(fewer than {options.min_entries})"
        )
    counts: dict[str, int] = {}
    naming: list[date] = []  # the dates of the entries naming the subject
    for entry in entries:
        names = set(entry.views_of)  # a person named twice in an entry counts once
        for who in names:
            counts[who] = counts.get(who, 0) + 1
        if options.subject in names:
            naming.append(entry.date)
    subject = len(naming)
    others = [(n, who) for who, n in counts.items() if who != options.subject]
    head = f"{options.subject} named in {subject} of {len(entries)} recording entries during a plan"
    if not others:
        return CheckResult.met(f"{head}; no one else named")
    most, who = min(others, key=lambda item: (-item[0], item[1]))  # the most named, by name
    ratio = subject / most
    evidence = (
        f"{head}; most-recorded other person {who} in {most} "
        f"(ratio {ratio:.2f}; at least {options.min_ratio:g} needed)"
    )
    dates = [fmt(day) for day in naming]
    named = f"{options.subject} named: {', '.join(dates) if dates else 'never'}"
    if at_least(subject, most, options.min_ratio):
        return CheckResult.met(evidence, named)
    return CheckResult.not_met(evidence, named)
