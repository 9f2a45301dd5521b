"""review-chain-timely: reviews within N months of the plan's start, then every M months.

Used by `review-conferences-timely`: the first review conference within 3 months
of the plan's start, each later one within 6 months of the one before.

In each plan period (from the plan's start to the earlier of its end and the
as-of date) the deadlines form a chain. The first deadline is `first_months`
months after the plan's start; each later deadline is `then_months` months after
the review actually held before it ("within N months of D": on or before the
same day N months later, or that month's last day). For every deadline that
falls inside the plan period, the next meeting of one of `meeting_types` after
the previous link (the start, then the last review held) and inside the period
must be on or before the deadline:

- held in time: the chain goes on from it;
- held late (after the deadline, still inside the period): not met, and the
  chain goes on from the late review actually held;
- not held inside the period: not met, and the chain stops.

A deadline after the period's end (not yet due, or after the plan ended) ends
the chain without a finding.

Met when every deadline inside every plan period was kept; not met when one was
not; not applicable when no plan has a deadline inside its period.

Options:

- `meeting_types` (default `[rcpc]`): the review meetings.
- `first_months` (default `3`): months from the plan's start to the first review.
- `then_months` (default `6`): months from one review to the next.

Passing (defaults, as of 2022-12-31):

    plans: [{start: 2022-01-10, category: emotional_abuse}]
    meetings: [{type: rcpc, date: 2022-04-07}, {type: rcpc, date: 2022-10-06}]

Failing (the first review is late; the next deadline, 2022-10-20, follows from it):

    plans: [{start: 2022-01-10, category: emotional_abuse}]
    meetings: [{type: rcpc, date: 2022-04-20}, {type: rcpc, date: 2022-10-06}]
"""

from __future__ import annotations

from pydantic import Field, field_validator

from cp_audit.case.coverage import meeting_parts
from cp_audit.checks._timing import known_meeting_types, type_names
from cp_audit.checks.base import (
    CaseView,
    CheckOptions,
    Context,
    Tokens,
    fmt,
    meeting_label,
    type_name,
)
from cp_audit.results import CheckResult
from cp_audit.standards.calendar import add_months

ID = "review-chain-timely"


class Options(CheckOptions):
    meeting_types: Tokens = Field(default=("rcpc",), min_length=1)
    first_months: int = Field(default=3, ge=1)
    then_months: int = Field(default=6, ge=1)

    @field_validator("meeting_types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_meeting_types(value)


def _months(count: int) -> str:
    return f"{count} month" + ("" if count == 1 else "s")


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans and the reviews it times."""
    return frozenset({"plans"}) | meeting_parts(options.meeting_types)


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    reviews = view.meetings_of(*options.meeting_types)
    wanted = type_names(options.meeting_types)
    if not view.periods:
        return CheckResult.not_applicable(f"no plan by {fmt(ctx.as_of)}")

    kept: list[str] = []  # reviews in time, and deadlines not yet due, plan by plan
    missed: list[str] = []
    any_due = False
    for period in view.periods:
        plan = f"plan {fmt(period.start)}"
        previous, previous_label, months = period.start, "the plan's start", options.first_months
        while True:
            deadline = add_months(previous, months)
            terms = f"{fmt(deadline)} ({_months(months)} after {previous_label} {fmt(previous)})"
            if deadline > period.end:
                if period.end == ctx.as_of:
                    why = f"after the as-of date {fmt(ctx.as_of)}"
                else:
                    why = f"after the plan's end {fmt(period.end)}"
                kept.append(f"{plan}: next {wanted} not yet due: deadline {terms} is {why}")
                break
            any_due = True
            held = next((r for r in reviews if previous < r.date <= period.end), None)
            if held is None:
                missed.append(f"{plan}: no {wanted} by its deadline {terms}")
                break
            if held.date <= deadline:
                kept.append(f"{plan}: {meeting_label(held)} on or before its deadline {terms}")
            else:
                late_by = (held.date - deadline).days
                missed.append(
                    f"{plan}: {meeting_label(held)} was {late_by} day{'' if late_by == 1 else 's'}"
                    f" after its deadline {terms}"
                )
            previous, months = held.date, options.then_months
            previous_label = f"the {type_name(held.type)}"

    if missed:
        return CheckResult.not_met(*missed)
    if any_due:
        return CheckResult.met(*kept)
    return CheckResult.not_applicable(*kept)
