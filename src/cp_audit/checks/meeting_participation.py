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

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from cp_audit.case.coverage import meeting_parts
from cp_audit.case.model import Meeting, Participant
from cp_audit.case.values import Status
from cp_audit.checks.base import (
    GROUP_PREFIX,
    CaseView,
    CheckOptions,
    Context,
    Roles,
    Tokens,
    at_least,
    fmt,
    meeting_label,
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


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    roles = ctx.roles(r for r in options.roles if r != ANY_ROLE)
    any_role = ANY_ROLE in options.roles
    wanted = roles_phrase(options.roles)
    meetings = view.meetings_of(*options.meeting_types)
    types = ", ".join(options.meeting_types)

    if options.not_applicable_unless_professional:
        allocated = [p for p in view.professionals if any_role or p.role in roles]
        if not allocated:
            return CheckResult.not_applicable(
                f"no {wanted} in the professionals list by {fmt(view.as_of)}"
            )
        first = allocated[0]
        since = f" from {fmt(first.from_)}" if first.from_ else ""
        context = [f"professionals entry: {first.role}{_agency(first.agency)}{since}"]
        if not meetings:
            return CheckResult.not_met(
                *context, f"no meeting of type {types} by {fmt(view.as_of)}"
            )
    else:
        context = []
        if not meetings:
            return CheckResult.not_applicable(f"no meeting of type {types} by {fmt(view.as_of)}")

    findings = [_finding(view, m, options, roles, any_role, wanted, ctx.unknown) for m in meetings]
    passed = [text for ok, text in findings if ok]
    failed = [text for ok, text in findings if not ok]
    total = len(findings)

    if options.quantifier == "some":
        if passed:
            return CheckResult.met(*context, *passed)
        return CheckResult.not_met(*context, *failed)
    if options.quantifier == "every":
        if failed:
            return CheckResult.not_met(*context, *failed)
        return CheckResult.met(*context, *passed)
    share = len(passed) / total
    summary = (
        f"{len(passed)} of {total} meetings qualified ({share:.0%}; "
        f"at least {options.min_share:.0%} needed)"
    )
    if at_least(len(passed), total, options.min_share):
        return CheckResult.met(*context, summary, *passed)
    return CheckResult.not_met(*context, summary, *failed)


def _agency(agency: str | None, role: str | None = None) -> str:
    return f" ({agency})" if agency and agency != role else ""


def describe_participant(
    participant: Participant,
    participation: str = "attended",
    unknown: frozenset[tuple[str, str]] = frozenset(),
) -> str:
    """How evidence shows one participant: the role and agency of a professional, the
    person id of a family member (never a name), then its status and report where they
    matter, and " — unknown role" (or agency) for a token in `unknown` (the case's tokens
    that neither the rules nor the vocabulary know: `Context.unknown`)."""
    if participant.person is not None:
        text = participant.person
    else:
        text = f"{participant.role}{_agency(participant.agency, participant.role)}"
    if participant.status != Status.ATTENDED:
        text += f" {participant.status}"
    if participant.report and participation != "report":
        text += " with report"
    if not unknown:  # the usual case: every token known
        return text
    doubtful = [
        word
        for word, category, token in (
            ("role", "roles", participant.role), ("agency", "agencies", participant.agency)
        )
        if token is not None and (category, token) in unknown
    ]
    return text + (f" — unknown {' and '.join(doubtful)}" if doubtful else "")


def _a_kind(options: Options) -> bool:
    """Whether the rule asks for a kind of professional (a role group, or any): whether a
    participant counts then rests on the group's list, which a reader cannot see, so the
    evidence shows who came instead. A rule naming its roles names them already."""
    return any(r == ANY_ROLE or r.startswith(GROUP_PREFIX) for r in options.roles)


# A participant's flags, by `participation`: attended, took part, sent a report.
_FLAG = {"attended": 0, "took_part": 1, "report": 2}
Classified = tuple[tuple[Participant, tuple[bool, bool, bool]], ...]


def _classified(view: CaseView, meeting: Meeting) -> Classified:
    """The meeting's participants with their flags (`_FLAG`): worked out once per case,
    for every rule of this type that looks at the meeting."""
    key = ("participants", id(meeting))
    found: Classified | None = view.memo.get(key)
    if found is None:
        found = view.memo[key] = tuple(
            (p, (p.status == Status.ATTENDED, p.took_part, p.report)) for p in meeting.participants
        )
    return found


def _described(
    view: CaseView, participant: Participant, participation: str,
    unknown: frozenset[tuple[str, str]],
) -> str:
    """`describe_participant`, once per participant and case (a report shows the same
    words whatever the participation, but for `report`)."""
    key = ("described", id(participant), participation == "report")
    text: str | None = view.memo.get(key)
    if text is None:
        text = view.memo[key] = describe_participant(participant, participation, unknown)
    return text


def _who_did(
    view: CaseView, meeting: Meeting, participation: str, unknown: frozenset[tuple[str, str]]
) -> str:
    """Everyone else who took part in the rule's sense, in record order: the cause of a
    failure is seen in who was there instead (a `schol_nurse`, a teacher)."""
    done, flag = _DONE[participation], _FLAG[participation]
    present = [
        _described(view, p, participation, unknown)
        for p, flags in _classified(view, meeting)
        if flags[flag]
    ]
    if present:
        return f"{done}: {', '.join(present)}"
    return f"no one {done}" if meeting.participants else "no participants recorded"


def _finding(
    view: CaseView, meeting: Meeting, options: Options, roles: frozenset[str], any_role: bool,
    wanted: str, unknown: frozenset[tuple[str, str]],
) -> tuple[bool, str]:
    """Whether the meeting qualifies, and the evidence line saying why."""
    label = meeting_label(meeting)
    participation = options.participation
    done, flag = _DONE[participation], _FLAG[participation]
    matching = [
        (p, flags[flag])
        for p, flags in _classified(view, meeting)
        if p.role is not None and (any_role or p.role in roles)
    ]
    counted = [p for p, took_part in matching if took_part]
    if options.min_agencies == 1:
        if counted:
            described = ", ".join(_described(view, p, participation, unknown) for p in counted)
            return True, f"{label}: {described} {done}"
        # Nobody counted: every matching participant is one who did not take part.
        shown = "; ".join(_described(view, p, "attended", unknown) for p, _ in matching)
        seen = f" ({shown})" if matching else ""
        who = _who_did(view, meeting, participation, unknown)
        instead = f"; {who}" if _a_kind(options) else ""
        return False, f"{label}: no {wanted} {done}{seen}{instead}"
    agencies = sorted({p.agency or str(p.role) for p in counted})
    ok = len(agencies) >= options.min_agencies
    listed = f": {', '.join(agencies)}" if agencies else ""
    return ok, (
        f"{label}: {plural(len(agencies), 'agency', 'agencies')} {done}{listed} "
        f"(at least {options.min_agencies} needed)"
    )
