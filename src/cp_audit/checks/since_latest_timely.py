"""since-latest-timely: each meeting within N working days of the latest earlier meeting it follows.

Used by `icpc-timely`: every initial child protection conference within 15
working days of the latest strategy discussion on or before its date.

For every meeting of one of `meeting_types` (on or before the as-of date), the
latest meeting of one of `since_types` dated on or before it is found; a
meeting with none is not counted. The meeting is in time when it is on or
before the `max_working_days`th working day after that one (the day itself not
counted; weekends, bank holidays of England and Wales and the standards'
`extra_non_working_days` are not working days): an ICPC held on the day of the
strategy discussion is 0 working days after it, in time. Only the latest
discussion counts: an earlier one does not make a conference late.

Met when every counted meeting is in time; not met when one is not; not
applicable when no meeting of `meeting_types` has one of `since_types` on or
before its date.

Options:

- `meeting_types` (default `[icpc]`): the meetings that must be in time.
- `since_types` (default `[strategy_discussion]`): the meetings they follow.
- `max_working_days` (default `15`): the limit in working days.

Passing (defaults):

    meetings:
      - {type: strategy_discussion, date: 2022-09-05}
      - {type: icpc, date: 2022-09-27}     # 15 working days: 19 September was a bank holiday

Failing:

    meetings:
      - {type: strategy_discussion, date: 2022-04-26}
      - {type: icpc, date: 2022-05-20}     # 17 working days (deadline 2022-05-18; 2 May off)
"""

from __future__ import annotations

from pydantic import Field, field_validator

from cp_audit.case.coverage import meeting_parts
from cp_audit.checks._timing import (
    days_off_note,
    known_meeting_types,
    type_names,
    working_days,
)
from cp_audit.checks.base import CaseView, CheckOptions, Context, Tokens, fmt, meeting_label
from cp_audit.results import CheckResult

ID = "since-latest-timely"


class Options(CheckOptions):
    meeting_types: Tokens = Field(default=("icpc",), min_length=1)
    since_types: Tokens = Field(default=("strategy_discussion",), min_length=1)
    max_working_days: int = Field(default=15, ge=0)

    @field_validator("meeting_types", "since_types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_meeting_types(value)


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the meetings it times and those it times
    them from."""
    return meeting_parts((*options.meeting_types, *options.since_types))


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    calendar = ctx.calendar
    limit = options.max_working_days
    meetings = view.meetings_of(*options.meeting_types)
    earlier = view.meetings_of(*options.since_types)
    wanted = type_names(options.meeting_types)
    before = type_names(options.since_types)
    if not meetings:
        return CheckResult.not_applicable(f"no {wanted} by {fmt(ctx.as_of)}")

    timely: list[str] = []
    late: list[str] = []
    not_counted: list[str] = []
    for meeting in meetings:
        latest = None
        for candidate in earlier:
            if candidate.date > meeting.date:
                break
            if candidate is not meeting:
                latest = candidate
        if latest is None:
            not_counted.append(f"no {before} on or before {meeting_label(meeting)}")
            continue
        deadline = calendar.add_working_days(latest.date, limit)
        held = calendar.working_days_between(latest.date, meeting.date)
        text = (
            f"{meeting_label(meeting)} was {working_days(held)} after the "
            f"{meeting_label(latest)} (limit {limit}, deadline {fmt(deadline)}"
            f"{days_off_note(calendar, latest.date, deadline)})"
        )
        (timely if meeting.date <= deadline else late).append(text)

    if late:
        return CheckResult.not_met(*late)
    if timely:
        return CheckResult.met(*timely)
    return CheckResult.not_applicable(*not_counted)
