"""Professionals of given roles take part in meetings of given types.

Looks at the meetings of the types in `meeting_types` held by the as-of date
(all of them, whether or not during a plan). A meeting **qualifies** when its
professional participants (participants with a `role`; family members, given
by `person`, never count) whose role is in `roles` and who took part in the
sense of `participation` come from at least `min_agencies` different agencies.
A professional without an `agency` counts as an agency of its own, named by
its role token (so a `gp` without agency and a participant of agency `gp` are
one agency). With the default `min_agencies: 1` a meeting qualifies when one
such professional took part.

The rule is met when `quantifier` holds over the meetings:

- `share`: at least `min_share` of the meetings qualify;
- `every`: every meeting qualifies;
- `some`: at least one meeting qualifies.

It reads the meetings of `meeting_types` and their participants (with
`not_applicable_unless_professional`, the `professionals` too): a case whose
records do not cover them is `not_covered`. With `quantifier: some`, one
qualifying meeting proves the rule (`gp-report-to-conference`): it is `met`
wherever the records present show one, whatever the case covers.

Not applicable when there is no such meeting by the as-of date; or, with
`not_applicable_unless_professional: true`, when no `professionals` entry
(counting from its `from`; one without `from` always counts) has a role in
`roles` -- a meeting is then not needed for the rule to apply, and no
qualifying meeting is `not_met`.

Evidence names each meeting by type and date. For a meeting that fails for
want of a professional of `roles`, it lists the participants of those roles
who did not count, with their status. Where `roles` asks for a kind of
professional (a role group such as `"@health"`, or `"*"`), whether someone
counts rests on the group's list, so the evidence then also lists everyone
who did take part in the sense of `participation`, in record order, and the
cause can be seen (a misspelt role, a nurse of a role not in the group):
"core group 2022-01-24: no health professional attended (health_visitor
apologies); attended: social_worker (social_care), mum" ("no one attended"
when nobody did). Professionals are shown by role and agency, family
members by their person id, never by name. With `min_agencies` above 1 the
evidence lists the agencies that counted.

Options (defaults are those of `health-at-core-groups`):

- `meeting_types` (default `[core_group]`): meeting types looked at; a
  conference is `[icpc, rcpc, transfer_in_conference]`.
- `roles` (default `["@health"]`): role tokens; `"@name"` stands for the
  standards' role group `name`; `"*"` stands for any professional.
- `participation` (default `attended`): `attended` (status `attended`),
  `took_part` (status `attended`, or `report: true` whatever the status) or
  `report` (`report: true` whatever the status).
- `quantifier` (default `share`): `share`, `every` or `some`.
- `min_share` (default `1.0`, 0 to 1): used only with `quantifier: share`
  (an error with any other quantifier).
- `min_agencies` (default `1`): distinct agencies needed for a meeting to
  qualify.
- `not_applicable_unless_professional` (default `false`): see above.

Passing (`health-at-conferences`: `meeting_types: [icpc, rcpc,
transfer_in_conference]`, `participation: took_part`, `quantifier: every`; the
GP sent apologies and a report):

```yaml
meetings:
  - {type: icpc, date: 2022-01-10,
     participants: [{role: gp, agency: gp, status: apologies, report: true}]}
```

Failing (`health-at-core-groups` with its defaults: the health visitor sent
apologies, so no health professional attended):

```yaml
meetings:
  - {type: core_group, date: 2022-01-24,
     participants: [{role: social_worker}, {role: health_visitor, status: apologies}]}
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from cp_audit.case.coverage import meeting_parts
from cp_audit.checks._participants import (
    FLAG,
    Attendee,
    SeenMeeting,
    agency_note,
    seen_of,
)
from cp_audit.checks.base import (
    GROUP_PREFIX,
    CaseView,
    CheckOptions,
    Context,
    PerObject,
    Roles,
    Tokens,
    at_least,
    fmt,
    plural,
    roles_phrase,
)
from cp_audit.results import CheckResult

ID = "meeting-participation"

ANY_ROLE = "*"

Participation = Literal["attended", "took_part", "report"]
Quantifier = Literal["share", "every", "some"]

_DONE = {"attended": "attended", "took_part": "took part", "report": "sent a report"}


class Options(CheckOptions):
    meeting_types: Annotated[Tokens, Field(min_length=1)] = ("core_group",)
    roles: Annotated[Roles, Field(min_length=1)] = ("@health",)
    participation: Participation = "attended"
    quantifier: Quantifier = "share"
    min_share: Annotated[float, Field(ge=0, le=1)] = 1.0
    min_agencies: Annotated[int, Field(ge=1)] = 1
    not_applicable_unless_professional: bool = False

    @field_validator("min_share")
    @classmethod
    def _share_only_for_share(cls, value: float, info: ValidationInfo) -> float:
        quantifier = info.data.get("quantifier")
        if quantifier is not None and quantifier != "share":
            raise ValueError(
                f"is used only with quantifier: share (this rule has quantifier: {quantifier})"
            )
        return value

    def proved_by_example(self) -> bool:
        return self.quantifier == "some"


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the kinds of meeting of `meeting_types` and
    their participants; the allocations with `not_applicable_unless_professional`."""
    found = meeting_parts(options.meeting_types) | {"participants"}
    return found | {"professionals"} if options.not_applicable_unless_professional else found


@dataclass(frozen=True, slots=True)
class _Asks:
    """What a rule's options ask, in the terms `check` uses: worked out once per rule."""

    options: Options
    named: tuple[str, ...]  # `roles` but "*"
    any_role: bool
    wanted: str  # `roles_phrase`
    types: str  # the meeting types, for evidence
    done: str  # what a counted participant did, in words
    flag: int  # the `FLAG` a counted participant has
    a_kind: bool  # `_a_kind`


def _asks_of(options: Options) -> _Asks:
    return _Asks(
        options,
        tuple(r for r in options.roles if r != ANY_ROLE),
        ANY_ROLE in options.roles,
        roles_phrase(options.roles),
        ", ".join(options.meeting_types),
        _DONE[options.participation],
        FLAG[options.participation],
        _a_kind(options),
    )


_asks = PerObject(_asks_of, most=256)  # a run uses a few rules of this type


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    asks = _asks(options)
    roles = ctx.roles(asks.named)
    meetings = view.meetings_of(*options.meeting_types)

    if options.not_applicable_unless_professional:
        allocated = [p for p in view.professionals if asks.any_role or p.role in roles]
        if not allocated:
            return CheckResult.not_applicable(
                f"no {asks.wanted} in the professionals list by {fmt(view.as_of)}"
            )
        first = allocated[0]
        since = f" from {fmt(first.from_)}" if first.from_ else ""
        context = [f"professionals entry: {first.role}{agency_note(first.agency)}{since}"]
        if not meetings:
            return CheckResult.not_met(
                *context, f"no meeting of type {asks.types} by {fmt(view.as_of)}"
            )
    else:
        context = []
        if not meetings:
            return CheckResult.not_applicable(
                f"no meeting of type {asks.types} by {fmt(view.as_of)}"
            )

    seen = seen_of(view, options.meeting_types, ctx.unknown)
    judged = [_judge(meeting, asks, roles) for meeting in seen]
    passed = [found for found in judged if found[1]]
    failed = [found for found in judged if not found[1]]
    total = len(judged)

    # Evidence lists the meetings of one side only (those that qualified when the rule
    # is met, else those that did not): only that side's lines are worded.
    head: list[str] = []  # with `share`, the count
    if options.quantifier == "some":
        met = bool(passed)
    elif options.quantifier == "every":
        met = not failed
    else:
        met = at_least(len(passed), total, options.min_share)
        head = [
            f"{len(passed)} of {total} meetings qualified ({len(passed) / total:.0%}; "
            f"at least {options.min_share:.0%} needed)"
        ]
    lines = [_finding(found, asks) for found in (passed if met else failed)]
    if met:
        return CheckResult.met(*context, *head, *lines)
    return CheckResult.not_met(*context, *head, *lines)


def _a_kind(options: Options) -> bool:
    """Whether the rule asks for a kind of professional (a role group, or any): whether a
    participant counts then rests on the group's list, which a reader cannot see, so the
    evidence shows who came instead. A rule naming its roles names them already."""
    return any(r == ANY_ROLE or r.startswith(GROUP_PREFIX) for r in options.roles)


# Whether a meeting qualifies for a rule, with the participants that decided it: (the
# meeting, whether it qualifies, the professionals of the rule's roles, those of them who
# took part in the rule's sense, their agencies with `min_agencies` above 1). A tuple:
# the six default rules judge about twenty meetings a case.
_Judged = tuple[SeenMeeting, bool, list[Attendee], list[Attendee], list[str]]


def _judge(seen: SeenMeeting, asks: _Asks, roles: frozenset[str]) -> _Judged:
    flag = asks.flag
    if asks.any_role:
        matching = seen.professionals
    else:
        matching = [found for found in seen.professionals if found[0] in roles]
    counted = [found for found in matching if found[1][flag]]
    min_agencies = asks.options.min_agencies
    if min_agencies == 1:
        return seen, bool(counted), matching, counted, []
    agencies = sorted({agency for _, _, agency, _ in counted})
    return seen, len(agencies) >= min_agencies, matching, counted, agencies


def _finding(judged: _Judged, asks: _Asks) -> str:
    """The evidence line saying why the meeting qualifies or does not."""
    seen, _, matching, counted, agencies = judged
    min_agencies = asks.options.min_agencies
    if min_agencies == 1:
        if counted:
            described = seen.texts(counted, asks.flag == FLAG["report"], ", ")
            return f"{seen.label}: {described} {asks.done}"
        # Nobody counted: every matching participant is one who did not take part.
        shown = f" ({seen.texts(matching, False, '; ')})" if matching else ""
        instead = f"; {seen.who_did(asks.flag, asks.done)}" if asks.a_kind else ""
        return f"{seen.label}: no {asks.wanted} {asks.done}{shown}{instead}"
    listed = f": {', '.join(agencies)}" if agencies else ""
    return (
        f"{seen.label}: {plural(len(agencies), 'agency', 'agencies')} {asks.done}{listed} "
        f"(at least {min_agencies} needed)"
    )
