"""In every plan period, no stretch without an entry is longer than a limit.

A **plan period** runs from a plan's `start` to the earlier of its `end` and
the as-of date, both days included; plans that start after the as-of date are
ignored. In each period the stretches are: from the plan's start to the first
entry, from each entry to the next, and from the last entry (or the start,
where there is none) to the period's end. Only entries dated inside the period
count (entries outside every plan period are ignored); several plans are
checked each on its own. Met when no stretch in any period is longer than the
limit; not applicable when there is no plan period.

`entries` says what is counted:

- `child_voice`: `child_voice` entries that qualify. An entry whose `method`
  is in `observation_methods` qualifies only for a child whose `communication`
  is in `observation_for`, or, where `communication` is absent, who was under
  `observation_under_age` years old on the entry's date (an unborn child, before
  `expected_date_of_birth`, is under 0; a child of unknown age is not under
  it). Every other method qualifies.
- `meetings`: meetings whose type is in `meeting_types`.
- `seen_visits`: visits with `seen: true` (visits with `seen: false` do not
  count).

The limit is one of (give only one):

- `max_gap_weeks` (default `6`): a stretch is the number of days from one
  date to the next; 42 days is not longer than 6 weeks, 43 is.
- `max_gap_days`: the same, in days.
- `max_working_days`: each date must fall within that many working days of
  the one before (on or before the Nth working day after it; weekends, bank
  holidays of England and Wales and the standards' extra non-working days do
  not count), and so must the period's end.

Options (defaults are those of `child-voice-regular`):

- `entries` (default `child_voice`): `child_voice`, `meetings` or `seen_visits`.
- `meeting_types` (default `[core_group]`): only with `entries: meetings`.
- `observation_methods` (default `[observation]`), `observation_for` (default
  `[pre_verbal, non_verbal]`), `observation_under_age` (default `3`): only
  with `entries: child_voice`.
- `max_gap_weeks` (default `6`), `max_gap_days`, `max_working_days`: the limit.

Passing (`entries: meetings`, `meeting_types: [core_group]`, `max_gap_weeks: 6`,
as of 2022-03-15; the longest stretch is 35 days):

```yaml
plans: [{start: 2022-01-10, category: emotional_abuse}]
meetings:
  - {type: core_group, date: 2022-01-20}
  - {type: core_group, date: 2022-02-24}
```

Failing (`entries: seen_visits`, `max_working_days: 10`, as of 2022-02-28: the
visit of 2022-01-28 is 14 working days after the plan's start):

```yaml
plans: [{start: 2022-01-10, category: emotional_abuse}]
visits: [{date: 2022-01-28, seen: true}, {date: 2022-02-08, seen: true}]
```
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from cp_audit.case.coverage import meeting_parts
from cp_audit.case.model import ChildVoice
from cp_audit.checks.base import (
    CaseView,
    CheckOptions,
    Context,
    Period,
    Tokens,
    dated,
    fmt,
    met_unless,
    type_name,
)
from cp_audit.results import CheckResult
from cp_audit.standards.calendar import stretch_days

ID = "no-long-stretch"

Entries = Literal["child_voice", "meetings", "seen_visits"]

_NOUNS = {"child_voice": "child voice entries", "meetings": "meetings",
          "seen_visits": "seen visits"}
_LIMITS = ("max_working_days", "max_gap_days", "max_gap_weeks")


class Options(CheckOptions):
    entries: Entries = "child_voice"
    meeting_types: Annotated[Tokens, Field(min_length=1)] = ("core_group",)
    observation_methods: Tokens = ("observation",)
    observation_for: Tokens = ("pre_verbal", "non_verbal")
    observation_under_age: int = 3
    # The limits are declared in this order so that a validator of a later one
    # sees whether an earlier one was given (max_gap_weeks has a default).
    max_working_days: Annotated[int, Field(ge=0)] | None = None
    max_gap_days: Annotated[int, Field(ge=0)] | None = None
    max_gap_weeks: Annotated[int, Field(ge=0)] | None = 6

    @field_validator("meeting_types")
    @classmethod
    def _only_for_meetings(cls, value: Tokens, info: ValidationInfo) -> Tokens:
        _only_with(info, "meetings")
        return value

    @field_validator("observation_methods", "observation_for", "observation_under_age")
    @classmethod
    def _only_for_child_voice(cls, value: Any, info: ValidationInfo) -> Any:
        _only_with(info, "child_voice")
        return value

    @field_validator("max_gap_days", "max_gap_weeks")
    @classmethod
    def _one_limit(cls, value: int | None, info: ValidationInfo) -> int | None:
        earlier = [n for n in _LIMITS if n != info.field_name and info.data.get(n) is not None]
        if value is not None and earlier:
            raise ValueError(
                f"give only one of {', '.join(_LIMITS)} (this rule also has {earlier[0]})"
            )
        if value is None and not earlier and info.field_name == "max_gap_weeks":
            raise ValueError(f"one of {', '.join(_LIMITS)} is needed")
        return value

    def limit(self) -> tuple[str, int]:
        """The limit in force: ("working_days", n), or ("days", n) for days and weeks."""
        if self.max_working_days is not None:
            return "working_days", self.max_working_days
        if self.max_gap_days is not None:
            return "days", self.max_gap_days
        if self.max_gap_weeks is not None:
            return "days", 7 * self.max_gap_weeks
        raise ValueError("no limit")  # pragma: no cover - a limit always has a value


def _only_with(info: ValidationInfo, entries: str) -> None:
    given = info.data.get("entries", "child_voice")
    if given != entries:
        raise ValueError(f"is used only with entries: {entries} (this rule has entries: {given})")


_ENTRY_PARTS = {"child_voice": "child_voice", "seen_visits": "visits"}


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans, and the entries it measures."""
    if options.entries == "meetings":
        return frozenset({"plans"}) | meeting_parts(options.meeting_types)
    return frozenset({"plans", _ENTRY_PARTS[options.entries]})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    if not view.periods:
        return CheckResult.not_applicable(f"no plan period by {fmt(view.as_of)}")
    unit, limit = options.limit()
    failures: list[str] = []
    found: list[str] = []
    for period in view.periods:
        anchors, skipped = _anchors(view, options, period)
        bad, longest = _stretches(anchors, unit, limit, ctx)
        if bad:
            failures += [f"plan {fmt(period.start)}: {text}" for text in bad]
            failures += [f"plan {fmt(period.start)}: not counted: {text}" for text in skipped]
        else:
            found.append(
                f"plan {fmt(period.start)} to {_label(anchors[-1])}: "
                f"{_NOUNS[options.entries]}: {len(anchors) - 2}; {longest}"
            )
    return met_unless(failures, found)


# A date that ends or starts a stretch, with the words its label puts before and after
# it: the labels are made only for the stretches evidence names (the longest and those
# over the limit), not for each of the twenty or so entries of a case.
_Anchor = tuple[date, str, str]


def _label(anchor: _Anchor) -> str:
    """`seen visit 2022-01-24`, `ICPC 2022-02-01` (as `meeting_label`), `period end
    2022-06-30 (as-of date)`."""
    day, words, after = anchor
    return dated(words, day, after)


def _end(view: CaseView, period: Period) -> _Anchor:
    plan_end = period.plan.end
    why = "plan end" if plan_end is not None and plan_end <= view.as_of else "as-of date"
    return period.end, "period end", f" ({why})"


def _anchors(view: CaseView, options: Options, period: Period) -> tuple[list[_Anchor], list[str]]:
    """The dates that end and start stretches: start, entries, end; and skipped ones."""
    start, end = period.start, period.end
    entries: list[_Anchor] = []
    skipped: list[str] = []
    if options.entries == "meetings":
        entries = [
            (m.date, type_name(m.type), "")
            for m in view.meetings_of(*options.meeting_types)
            if start <= m.date <= end
        ]
    elif options.entries == "seen_visits":
        entries = [(v.date, "seen visit", "") for v in view.visits
                   if v.seen and start <= v.date <= end]
    else:
        for voice in view.child_voice:
            if not start <= voice.date <= end:
                continue
            why_not = _not_qualifying(view, options, voice)
            if why_not is None:
                entries.append((voice.date, f"child voice {voice.method}", ""))
            else:
                skipped.append(f"{voice.method} {fmt(voice.date)} ({why_not})")
    # No sort: the view's lists are in date order already (`CaseView`), and so is any
    # part of them.
    return [(start, "plan start", ""), *entries, _end(view, period)], skipped


def _not_qualifying(view: CaseView, options: Options, voice: ChildVoice) -> str | None:
    """Why an observation does not count for this child on its date; None when it counts."""
    if voice.method not in options.observation_methods:
        return None
    communication = view.case.child.communication
    if communication is not None:
        if communication in options.observation_for:
            return None
        return f"communication {communication}"
    age = view.age_on(voice.date)
    if age is None:
        return "communication and age unknown"
    if age < options.observation_under_age:
        return None
    return f"age {age} on that date; observation counts under {options.observation_under_age}"


def _stretches(
    anchors: list[_Anchor], unit: str, limit: int, ctx: Context
) -> tuple[list[str], str]:
    """The stretches longer than the limit, and a description of the longest one."""
    days = [day for day, _, _ in anchors]
    if unit == "days":
        lengths = [stretch_days(a, b) for a, b in pairwise(days)]
    else:
        lengths = ctx.calendar.working_days_each(days)
    bad: list[str] = []
    if unit == "days":
        for place, length in enumerate(lengths):
            if length > limit:
                a_label, b_label = _label(anchors[place]), _label(anchors[place + 1])
                bad.append(f"gap of {length} days (more than {limit}) from {a_label} to {b_label}")
    else:
        for place, length in enumerate(lengths):
            # A stretch of fewer working days than the limit ends before its deadline:
            # the deadline is looked up only for one that may pass it.
            if length < limit:
                continue
            a, b = anchors[place][0], anchors[place + 1][0]
            deadline = ctx.calendar.add_working_days(a, limit)
            if b > deadline:
                bad.append(
                    f"{_label(anchors[place + 1])} was {length} working days after "
                    f"{_label(anchors[place])} "
                    f"(limit {limit}, deadline {fmt(deadline)})"
                )
    # The first of the longest (a period always has its start and its end).
    place = max(range(len(lengths)), key=lengths.__getitem__)
    length, a_label, b_label = lengths[place], _label(anchors[place]), _label(anchors[place + 1])
    units = "days" if unit == "days" else "working days"
    return bad, f"longest stretch {length} {units} (limit {limit}) from {a_label} to {b_label}"
