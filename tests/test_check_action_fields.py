"""action-fields: smart-actions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from people_helpers import build, case, default_data, run, run_with
from pydantic import ValidationError

from cp_audit.case.model import Action, CaseRecord, Plan
from cp_audit.checks.action_fields import Options, check
from cp_audit.checks.base import CaseView, Context
from cp_audit.results import CheckResult, Outcome
from cp_audit.standards.calendar import Calendar

AS_OF = date(2022, 9, 30)


def plan(*actions: Any, start: str = "2022-01-10") -> dict[str, Any]:
    return {"start": start, "category": "neglect", "actions": list(actions)}


GOOD = {"id": "A1", "action": "x", "owner": "mum", "due": "2022-03-31"}


def test_met() -> None:
    second = {"id": "A2", "action": "y", "owner": "health_visitor", "due": "2022-02-28",
              "timescale": "end of February"}
    result = run("smart-actions", AS_OF, plans=[plan(GOOD), plan(second, start="2021-01-04")])
    assert result.outcome == Outcome.MET
    assert result.evidence == ("all 2 actions of 2 plans have owner, due: A2, A1",)


def test_timescale_without_due_is_not_met() -> None:
    vague = {"id": "A2", "action": "y", "owner": "fsw", "timescale": "ongoing"}
    result = run("smart-actions", AS_OF, plans=[plan(GOOD, vague)])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "action A2 of the plan from 2022-01-10: no due (a free-text timescale only, "
        "not a due date)",
        "1 of 2 actions without every one of: owner, due",
    )


def test_missing_owner_and_due() -> None:
    bare = {"id": "A3", "action": "z"}
    result = run("smart-actions", AS_OF, plans=[plan(bare)])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[0] == "action A3 of the plan from 2022-01-10: no owner, no due"


def test_not_applicable_without_actions() -> None:
    result = run("smart-actions", AS_OF, plans=[plan()])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan action by 2022-09-30",)
    assert run("smart-actions", AS_OF).outcome == Outcome.NOT_APPLICABLE


def test_plan_starting_after_as_of_is_ignored() -> None:
    vague = {"id": "A9", "action": "y", "timescale": "ongoing"}
    record = {"plans": [plan(GOOD), plan(vague, start="2022-10-03")]}
    assert run("smart-actions", AS_OF, **record).outcome == Outcome.MET
    assert run("smart-actions", date(2022, 10, 3), **record).outcome == Outcome.NOT_MET
    only_later = run("smart-actions", AS_OF, plans=[plan(vague, start="2022-10-03")])
    assert only_later.outcome == Outcome.NOT_APPLICABLE


def test_empty_owner_string() -> None:
    # The record format rejects an empty id, so an exporter must leave `owner` out ...
    with pytest.raises(ValidationError, match="must not be empty"):
        CaseRecord.model_validate(
            {"case_id": "T", "plans": [plan({**GOOD, "owner": ""})]}
        )
    # ... and the check reads an empty or blank owner as missing wherever it comes from.
    for owner in ("", "   "):
        action = Action.model_construct(id="A1", action="x", owner=owner, due=date(2022, 3, 31))
        the_plan = Plan.model_construct(
            start=date(2022, 1, 10), end=None, category="neglect", actions=(action,)
        )
        the_case = case().model_copy(update={"plans": (the_plan,)})
        ctx = Context(AS_OF, Calendar(), {}, frozenset({"father"}),
                      lambda rule_id: CheckResult.not_applicable())
        result = check(CaseView(the_case, AS_OF), Options(), ctx)
        assert result.outcome == Outcome.NOT_MET
        assert result.evidence[0] == "action A1 of the plan from 2022-01-10: no owner"


def test_require_option_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == "smart-actions")
    assert rule["options"] == {"require": ["owner", "due"]}
    rule["options"]["require"] = ["owner", "due", "outcome"]
    standards = build(data)
    result = run_with(standards, "smart-actions", AS_OF, plans=[plan(GOOD)])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[0] == "action A1 of the plan from 2022-01-10: no outcome"
    with_outcome = {**GOOD, "outcome": "home conditions good enough"}
    assert run_with(standards, "smart-actions", AS_OF,
               plans=[plan(with_outcome)]).outcome == Outcome.MET
    # an empty list of people involved is empty
    rule["options"]["require"] = ["involves"]
    empty = run_with(build(data), "smart-actions", AS_OF,
                plans=[plan({**GOOD, "involves": []})])
    assert empty.outcome == Outcome.NOT_MET


def test_options_validation() -> None:
    assert Options().require == ("owner", "due")
    with pytest.raises(ValidationError):
        Options.model_validate({"require": ["owner", "deadline"]})
    with pytest.raises(ValidationError):
        Options.model_validate({"require": []})
