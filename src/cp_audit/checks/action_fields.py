"""Every plan action is SMART enough: it has each required field, present and not empty.

Looks at every action of every plan that started on or before the as-of date
(a plan starting after it is ignored). An action fails when one of the fields
in `require` is absent, `null`, an empty list, or a string that is empty or
only blanks. A free-text `timescale` ("ongoing", "within 3 months") is not a
`due` date: with `require: [owner, due]` an action with a timescale and no
`due` fails. Not applicable when there is no plan action.

Options:

- `require` (default `[owner, due]`): the action fields each action must
  have; any of `owner`, `due`, `timescale`, `outcome`, `kind`, `involves`.

Passing:

```yaml
plans:
  - start: 2022-01-10
    category: neglect
    actions: [{id: A1, action: Home conditions plan, owner: mum, due: 2022-03-31}]
```

Failing (a free-text timescale and no `due`):

```yaml
plans:
  - start: 2022-01-10
    category: neglect
    actions: [{id: A2, action: Parenting programme, owner: family_support_worker,
               timescale: ongoing}]
```
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cp_audit.case.model import Action
from cp_audit.checks.base import CaseView, CheckOptions, Context, fmt, plural
from cp_audit.results import CheckResult

ID = "action-fields"

ActionField = Literal["owner", "due", "timescale", "outcome", "kind", "involves"]


class Options(CheckOptions):
    require: Annotated[tuple[ActionField, ...], Field(min_length=1)] = ("owner", "due")


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple | list):
        return not value
    return False


def _missing(action: Action, require: tuple[str, ...]) -> list[str]:
    return [name for name in require if _empty(getattr(action, name, None))]


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the plans and their actions."""
    return frozenset({"plans", "actions"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    plans = [plan for plan in view.plans if plan.actions]
    if not plans:
        return CheckResult.not_applicable(f"no plan action by {fmt(view.as_of)}")
    failures: list[str] = []
    count = 0
    for plan in plans:
        for action in plan.actions:
            count += 1
            missing = _missing(action, options.require)
            if not missing:
                continue
            note = ""
            if "due" in missing and not _empty(action.timescale):
                note = " (a free-text timescale only, not a due date)"
            failures.append(
                f"action {action.id} of the plan from {fmt(plan.start)}: "
                f"no {', no '.join(missing)}{note}"
            )
    fields = ", ".join(options.require)
    if failures:
        return CheckResult.not_met(
            *failures,
            f"{len(failures)} of {plural(count, 'action')} without every one of: {fields}",
        )
    return CheckResult.met(
        f"all {plural(count, 'action')} of {plural(len(plans), 'plan')} have {fields}: "
        + ", ".join(action.id for plan in plans for action in plan.actions)
    )
