"""Every father is included in the work: invited, heard, assessed, part of parenting work.

A **father** is a person whose `relationship` is one of the standards'
`father_relationships` (default `[father]`) and whose `parental_responsibility`
is not `false` (absent counts as a father). Person ids are compared exactly,
case included: a participant `Dad` is not the person `dad`. Nothing dated after
the as-of date is read, and plans that start after it are ignored.

The option `where` says what every father must be included in:

- `conferences`: every father appears among every conference's participants
  (ICPC, review, transfer-in, held by the as-of date) with a status other than
  `not_invited`. Not applicable when there is no father or no conference.
- `assessments`: every father is among the `contributors` of at least one
  assessment (an assessment counts from its `start`; one without `start`
  always counts). Not applicable when there is no father or no assessment.
- `views`: every father's views appear in a `recording` entry during a plan
  (`views_of` names him), or he attended (status `attended`) a conference or a
  core group during a plan. Not applicable when there is no father or no plan.
- `actions`: every action of a plan whose `kind` is in `kinds` `involves`
  every father. Not applicable when there is no father or no such action.

Options:

- `where` (required): `conferences`, `assessments`, `views` or `actions`.
- `kinds` (default `[parenting]`): the action kinds that must involve every
  father; used only with `where: actions` (an error with any other `where`).

Passing (`where: actions`, `kinds: [parenting]`):

```yaml
people: [{id: mum, relationship: mother}, {id: dad, relationship: father}]
plans:
  - start: 2022-01-10
    category: emotional_abuse
    actions: [{id: A1, action: Parenting course, kind: parenting, involves: [mum, dad]}]
```

Failing (the father is not invited to the ICPC; `where: conferences`):

```yaml
people: [{id: dad, relationship: father, parental_responsibility: true}]
meetings:
  - type: icpc
    date: 2022-01-10
    participants: [{role: social_worker}, {person: dad, status: not_invited}]
```
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from cp_audit.case.model import Assessment, Person
from cp_audit.case.values import MeetingType, Status
from cp_audit.checks._participants import seen_meetings
from cp_audit.checks.base import (
    CaseView,
    CheckOptions,
    Context,
    Tokens,
    fmt,
    met_unless,
    plural,
)
from cp_audit.results import CheckResult

ID = "father-included"

Where = Literal["conferences", "assessments", "views", "actions"]


class Options(CheckOptions):
    where: Where
    kinds: Annotated[Tokens, Field(min_length=1)] = ("parenting",)

    @field_validator("kinds")
    @classmethod
    def _kinds_only_for_actions(cls, value: Tokens, info: ValidationInfo) -> Tokens:
        where = info.data.get("where")
        if where is not None and where != "actions":
            raise ValueError(f"is used only with where: actions (this rule has where: {where})")
        return value


_WHERE_PARTS: dict[str, tuple[str, ...]] = {
    "conferences": ("conferences", "participants"),
    "assessments": ("assessments",),
    "views": ("plans", "recording", "conferences", "core_groups", "participants"),
    "actions": ("plans", "actions"),
}


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the people, and what `where` looks at."""
    return frozenset({"people", *_WHERE_PARTS[options.where]})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    fathers = ctx.fathers(view)
    if not fathers:
        return CheckResult.not_applicable("no father in the case")
    if options.where == "conferences":
        return _conferences(view, fathers, ctx)
    if options.where == "assessments":
        return _assessments(view, fathers)
    if options.where == "views":
        return _views(view, fathers, ctx)
    return _actions(view, fathers, options.kinds)


def _conferences(view: CaseView, fathers: tuple[Person, ...], ctx: Context) -> CheckResult:
    conferences = view.conferences
    if not conferences:
        return CheckResult.not_applicable(f"no conference by {fmt(view.as_of)}")
    seen = seen_meetings(view, conferences, ctx.unknown)
    missing: list[str] = []
    found: list[str] = []
    for father in fathers:
        for meeting in seen:
            status = meeting.persons.get(father.id)  # his strongest status there
            if status is None:
                missing.append(f"father {father.id} not among the participants of {meeting.label}")
            elif status == Status.NOT_INVITED:
                missing.append(f"father {father.id} not invited to {meeting.label}")
            else:
                found.append(f"father {father.id} invited to {meeting.label} ({status.value})")
    return met_unless(missing, found)


def _assessment_label(assessment: Assessment) -> str:
    when = fmt(assessment.start) if assessment.start else "(no start date)"
    return f"{assessment.type} assessment {when}"


def _assessments(view: CaseView, fathers: tuple[Person, ...]) -> CheckResult:
    assessments: tuple[Assessment, ...] = view.assessments
    if not assessments:
        return CheckResult.not_applicable(f"no assessment by {fmt(view.as_of)}")
    missing: list[str] = []
    found: list[str] = []
    for father in fathers:
        his = [a for a in assessments if father.id in a.contributors]
        if his:
            found.append(
                f"father {father.id} contributed to "
                + ", ".join(_assessment_label(a) for a in his)
            )
        else:
            missing.append(
                f"father {father.id} not a contributor to any of "
                f"{plural(len(assessments), 'assessment')}: "
                + ", ".join(_assessment_label(a) for a in assessments)
            )
    return met_unless(missing, found)


_MEETINGS_FOR_VIEWS = frozenset(
    {
        MeetingType.ICPC,
        MeetingType.RCPC,
        MeetingType.TRANSFER_IN_CONFERENCE,
        MeetingType.CORE_GROUP,
    }
)


def _views(view: CaseView, fathers: tuple[Person, ...], ctx: Context) -> CheckResult:
    periods = view.periods
    if not periods:
        return CheckResult.not_applicable(f"no plan by {fmt(view.as_of)}")
    recording = view.recording_in_plan
    meetings = seen_meetings(view, [
        m for m in view.meetings if m.type in _MEETINGS_FOR_VIEWS and view.during_plan(m.date)
    ], ctx.unknown)
    spans = ", ".join(f"{fmt(p.start)} to {fmt(p.end)}" for p in periods)
    missing: list[str] = []
    found: list[str] = []
    for father in fathers:
        shown: list[str] = []
        for entry in recording:
            if father.id in entry.views_of:
                agency = f" ({entry.agency})" if entry.agency else ""
                shown.append(f"views recorded {fmt(entry.date)}{agency}")
        for meeting in meetings:
            if meeting.persons.get(father.id) == Status.ATTENDED:
                shown.append(f"attended {meeting.label}")
        if shown:
            found.append(f"father {father.id}: " + "; ".join(shown))
        else:
            missing.append(
                f"father {father.id}: no views recorded and no conference or core group "
                f"attended during the plan{'s' if len(periods) > 1 else ''} {spans}"
            )
    return met_unless(missing, found)


def _actions(view: CaseView, fathers: tuple[Person, ...], kinds: Tokens) -> CheckResult:
    wanted = set(kinds)
    actions = [
        (plan, action)
        for plan in view.plans
        for action in plan.actions
        if action.kind is not None and action.kind in wanted
    ]
    if not actions:
        return CheckResult.not_applicable(
            f"no plan action of kind {', '.join(kinds)} by {fmt(view.as_of)}"
        )
    missing: list[str] = []
    found: list[str] = []
    for plan, action in actions:
        label = f"action {action.id} ({action.kind}) of the plan from {fmt(plan.start)}"
        for father in fathers:
            if father.id in action.involves:
                found.append(f"{label} involves father {father.id}")
            else:
                missing.append(f"{label} does not involve father {father.id}")
    return met_unless(missing, found)
