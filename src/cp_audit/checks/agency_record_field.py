"""Every agency record that matters states a yes/no field the way the plan needs.

Looks at the case's `agency_records`. The records checked are those that match
every field/value pair in `among`; when `among` is empty, the records that
state `field` (true or false). A checked record fails when it states `field`
as the opposite of `expected`; a record that does not state `field` does not
fail (it is "not false"). Agency records are not dated: all of them are read.

Not applicable when no record is checked, or when `applies_when` does not
hold on the as-of date:

- `always`: no further condition;
- `active_plan`: a plan is active on the as-of date (started on or before it,
  no end or ending on or after it);
- `conference`: some conference (ICPC, review, transfer-in) was held on or
  before the as-of date.

Options:

- `field` (required): `shows_cp_plan`, `plan_documents_available` or
  `conference_minutes_on_file`.
- `expected` (default `true`): the value `field` must have where stated.
- `among` (default `{}`): e.g. `{shows_cp_plan: true}` to check only the
  records that show the plan; empty: the records that state `field`.
- `applies_when` (default `always`): `always`, `active_plan` or `conference`.

Passing (`field: plan_documents_available`, `among: {shows_cp_plan: true}`):

```yaml
agency_records:
  - {agency: gp, shows_cp_plan: true, plan_documents_available: true}
  - {agency: school, shows_cp_plan: false}
```

Failing (same options):

```yaml
agency_records:
  - {agency: gp, shows_cp_plan: true, plan_documents_available: false}
```
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cp_audit.case.model import AgencyRecord
from cp_audit.checks.agency_record_flags import record_label
from cp_audit.checks.base import CaseView, CheckOptions, Context, fmt, met_unless
from cp_audit.results import CheckResult

ID = "agency-record-field"

RecordField = Literal["shows_cp_plan", "plan_documents_available", "conference_minutes_on_file"]


class Options(CheckOptions):
    field: RecordField
    expected: bool = True
    among: dict[RecordField, bool] = Field(default_factory=dict)
    applies_when: Literal["always", "active_plan", "conference"] = "always"


def _word(value: bool) -> str:
    return "true" if value else "false"


def _matches(record: AgencyRecord, among: dict[RecordField, bool]) -> bool:
    return all(getattr(record, name) is value for name, value in among.items())


_WHEN_PARTS = {"always": (), "active_plan": ("plans",), "conference": ("conferences",)}


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the agency records, and what `applies_when`
    looks at."""
    return frozenset({"agency_records", *_WHEN_PARTS[options.applies_when]})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    context = ""
    if options.applies_when == "active_plan":
        active = view.active_plans()
        if not active:
            return CheckResult.not_applicable(f"no plan active on {fmt(view.as_of)}")
        context = (
            f" while the plan from {fmt(active[0].start)} is active on {fmt(view.as_of)}"
        )
    elif options.applies_when == "conference" and not view.conferences:
        return CheckResult.not_applicable(f"no conference by {fmt(view.as_of)}")

    field = options.field
    if options.among:
        wanted = ", ".join(f"{name} {_word(value)}" for name, value in options.among.items())
        records = [r for r in view.case.agency_records if _matches(r, options.among)]
        if not records:
            return CheckResult.not_applicable(f"no agency record with {wanted}")
    else:
        records = [r for r in view.case.agency_records if getattr(r, field) is not None]
        if not records:
            return CheckResult.not_applicable(f"no agency record states {field}")

    failing: list[str] = []
    passing: list[str] = []
    for record in records:
        value: bool | None = getattr(record, field)
        if value is None:
            passing.append(f"{record_label(record)}: {field} not stated (not "
                           f"{_word(not options.expected)})")
        elif value is options.expected:
            passing.append(f"{record_label(record)}: {field} {_word(value)}")
        else:
            failing.append(
                f"{record_label(record)}: {field} {_word(value)} "
                f"(expected {_word(options.expected)}){context}"
            )
    return met_unless(failing, passing)
