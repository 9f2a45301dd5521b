"""follow-up-timely: a meeting within N working days of each referral, or of each plan's start.

Used by `strategy-discussion-timely` (a strategy discussion after each referral
whose outcome calls for one) and `first-core-group-timely` (a first core group
after each plan's start).

Each trigger (a referral whose `outcome` is in `outcomes`, or a plan's start)
has a deadline: the `max_working_days`th working day after its date (the date
itself not counted; weekends, bank holidays of England and Wales and the
standards' `extra_non_working_days` are not working days). The trigger is
followed up in time when a meeting of one of `meeting_types` is dated on or
after the trigger and on or before the deadline.

A trigger counts when it was followed up in time, or when its deadline is on
or before the as-of date (a deadline after it is not yet due) and, for a plan,
on or before the plan's end (a plan that ended before its meeting was due is
not counted). A late meeting on its own does not make a trigger count: for a
referral this changes nothing (a meeting after the deadline and on or before
the as-of date means the deadline is due), for a plan it means that a plan
ended before its deadline is not counted even when a core group was held late
after its end. A meeting held in time counts even if it falls after a plan's end.

Met when every trigger that counts was followed up in time; not met when one
was not (the first meeting on or after it came after the deadline, or there was
none); not applicable when no trigger counts.

Options:

- `after` (default `referral`): `referral` or `plan_start`.
- `outcomes` (default `[strategy_discussion, s47]`): with `after: referral`,
  the referral outcomes that call for the meeting (not allowed with
  `after: plan_start`).
- `meeting_types` (default `[strategy_discussion]`): the meetings that follow
  the trigger up.
- `max_working_days` (default `2`): the limit in working days.

Passing (`after: referral`, defaults): a referral on Wednesday 1 June 2022 and
a strategy discussion on Tuesday 7 June 2022 (2 and 3 June were bank holidays):

    referrals: [{date: 2022-06-01, outcome: s47}]
    meetings: [{type: strategy_discussion, date: 2022-06-07}]

Failing: the same referral with the discussion on Wednesday 8 June 2022:

    referrals: [{date: 2022-06-01, outcome: s47}]
    meetings: [{type: strategy_discussion, date: 2022-06-08}]

With `after: plan_start`, `meeting_types: [core_group]`, `max_working_days: 10`:

    plans: [{start: 2022-01-10, category: neglect}]
    meetings: [{type: core_group, date: 2022-01-24}]     # met (deadline 2022-01-24)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from cp_audit.case.coverage import meeting_parts
from cp_audit.checks._timing import (
    days_off_note,
    known_meeting_types,
    type_names,
    working_days,
)
from cp_audit.checks.base import CaseView, CheckOptions, Context, Tokens, fmt, meeting_label
from cp_audit.results import CheckResult

ID = "follow-up-timely"


class Options(CheckOptions):
    after: Literal["referral", "plan_start"] = "referral"
    outcomes: Tokens = ("strategy_discussion", "s47")
    meeting_types: Tokens = Field(default=("strategy_discussion",), min_length=1)
    max_working_days: int = Field(default=2, ge=0)

    @field_validator("meeting_types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_meeting_types(value)

    @model_validator(mode="after")
    def _outcomes_with_referral(self) -> Options:
        if self.after != "referral" and "outcomes" in self.model_fields_set:
            raise ValueError('"outcomes" applies only with "after: referral"')
        return self


@dataclass(frozen=True)
class _Trigger:
    label: str  # "the referral 2022-06-01 with outcome s47", "the plan's start 2022-01-10"
    day: date
    end: date | None  # a plan's end


def _triggers(view: CaseView, options: Options) -> list[_Trigger]:
    if options.after == "referral":
        wanted = set(options.outcomes)
        return [
            _Trigger(f"the referral {fmt(r.date)} with outcome {r.outcome}", r.date, None)
            for r in view.referrals
            if r.outcome in wanted
        ]
    return [_Trigger(f"the plan's start {fmt(p.start)}", p.start, p.end) for p in view.plans]


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the trigger's, and the meetings it times."""
    trigger = "referrals" if options.after == "referral" else "plans"
    return frozenset({trigger}) | meeting_parts(options.meeting_types)


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    calendar = ctx.calendar
    limit = options.max_working_days
    meetings = view.meetings_of(*options.meeting_types)
    wanted = type_names(options.meeting_types)
    triggers = _triggers(view, options)
    if not triggers:
        what = (
            "no referral with outcome " + " or ".join(options.outcomes)
            if options.after == "referral"
            else "no plan"
        )
        return CheckResult.not_applicable(f"{what} by {fmt(ctx.as_of)}")

    timely: list[str] = []
    late: list[str] = []
    not_counted: list[str] = []
    for trigger in triggers:
        deadline = calendar.add_working_days(trigger.day, limit)
        terms = f"(limit {limit}, deadline {fmt(deadline)}"
        terms += days_off_note(calendar, trigger.day, deadline) + ")"
        first = next((m for m in meetings if m.date >= trigger.day), None)
        if first is not None and first.date <= deadline:
            held = calendar.working_days_between(trigger.day, first.date)
            timely.append(
                f"{meeting_label(first)} was {working_days(held)} after {trigger.label} {terms}"
            )
        elif deadline > ctx.as_of:
            not_counted.append(
                f"{wanted} after {trigger.label} not yet due "
                f"(deadline {fmt(deadline)} is after the as-of date {fmt(ctx.as_of)})"
            )
        elif trigger.end is not None and deadline > trigger.end:
            not_counted.append(
                f"the plan {fmt(trigger.day)} ended {fmt(trigger.end)} before its "
                f"{wanted} was due (deadline {fmt(deadline)})"
            )
        elif first is not None:
            held = calendar.working_days_between(trigger.day, first.date)
            late.append(
                f"{meeting_label(first)} was {working_days(held)} after {trigger.label} {terms}"
            )
        else:
            late.append(f"no {wanted} on or after {trigger.label} by its deadline {terms}")

    if late:
        return CheckResult.not_met(*late)
    if timely:
        return CheckResult.met(*timely, *not_counted)
    return CheckResult.not_applicable(*not_counted)
