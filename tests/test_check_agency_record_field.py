"""agency-record-field: plan-documents-available, plan-visible-in-records,
minutes-in-agency-records."""

from __future__ import annotations

from datetime import date

import pytest
from people_helpers import build, default_data, run, run_with
from pydantic import ValidationError

from cp_audit.checks.agency_record_field import Options
from cp_audit.results import Outcome

AS_OF = date(2022, 9, 30)
PLAN = {"start": "2021-11-26", "category": "emotional_abuse"}
ICPC = {"type": "icpc", "date": "2021-11-26"}

# ------------------------------------------------------------ plan-documents-available
DOCS = "plan-documents-available"


def test_documents_met_including_not_stated() -> None:
    result = run(DOCS, AS_OF, agency_records=[
        {"agency": "gp", "shows_cp_plan": True, "plan_documents_available": True},
        {"agency": "school", "shows_cp_plan": True},
        {"agency": "police", "shows_cp_plan": False, "plan_documents_available": False},
    ])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "gp record: plan_documents_available true",
        "school record: plan_documents_available not stated (not false)",
    )


def test_documents_not_met() -> None:
    result = run(DOCS, AS_OF, agency_records=[
        {"agency": "gp", "system": "emis", "shows_cp_plan": True,
         "plan_documents_available": False},
    ])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "gp record (emis): plan_documents_available false (expected true)",
    )


def test_documents_not_applicable() -> None:
    result = run(DOCS, AS_OF, agency_records=[
        {"agency": "gp", "plan_documents_available": False},
        {"agency": "school", "shows_cp_plan": False},
    ])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no agency record with shows_cp_plan true",)
    assert run(DOCS, AS_OF).outcome == Outcome.NOT_APPLICABLE


# ------------------------------------------------------------ plan-visible-in-records
VISIBLE = "plan-visible-in-records"


def test_visible_met() -> None:
    result = run(VISIBLE, AS_OF, plans=[PLAN],
                 agency_records=[{"agency": "gp", "shows_cp_plan": True}, {"agency": "police"}])
    assert result.outcome == Outcome.MET
    assert result.evidence == ("gp record: shows_cp_plan true",)


def test_visible_not_met_while_plan_active() -> None:
    result = run(VISIBLE, AS_OF, plans=[{**PLAN, "end": "2022-09-30"}],
                 agency_records=[{"agency": "gp", "shows_cp_plan": True},
                                 {"agency": "police", "shows_cp_plan": False}])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "police record: shows_cp_plan false (expected true) while the plan from 2021-11-26 "
        "is active on 2022-09-30",
    )


def test_visible_not_applicable() -> None:
    ended = run(VISIBLE, AS_OF, plans=[{**PLAN, "end": "2022-09-29"}],
                agency_records=[{"agency": "police", "shows_cp_plan": False}])
    assert ended.outcome == Outcome.NOT_APPLICABLE
    assert ended.evidence == ("no plan active on 2022-09-30",)
    not_started = run(VISIBLE, date(2021, 11, 25), plans=[PLAN],
                      agency_records=[{"agency": "police", "shows_cp_plan": False}])
    assert not_started.outcome == Outcome.NOT_APPLICABLE
    unstated = run(VISIBLE, AS_OF, plans=[PLAN], agency_records=[{"agency": "police"}])
    assert unstated.outcome == Outcome.NOT_APPLICABLE
    assert unstated.evidence == ("no agency record states shows_cp_plan",)


# ------------------------------------------------------------ minutes-in-agency-records
MINUTES = "minutes-in-agency-records"


def test_minutes_met() -> None:
    result = run(MINUTES, AS_OF, meetings=[ICPC], agency_records=[
        {"agency": "gp", "conference_minutes_on_file": True},
        {"agency": "police"},
    ])
    assert result.outcome == Outcome.MET
    assert result.evidence == ("gp record: conference_minutes_on_file true",)


def test_minutes_not_met() -> None:
    result = run(MINUTES, AS_OF, meetings=[{"type": "rcpc", "date": "2022-02-20"}],
                 agency_records=[{"agency": "school", "conference_minutes_on_file": False}])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "school record: conference_minutes_on_file false (expected true)",
    )


def test_minutes_not_applicable() -> None:
    records = [{"agency": "gp", "conference_minutes_on_file": False}]
    no_conference = run(MINUTES, AS_OF, agency_records=records,
                        meetings=[{"type": "core_group", "date": "2022-01-10"}])
    assert no_conference.outcome == Outcome.NOT_APPLICABLE
    assert no_conference.evidence == ("no conference by 2022-09-30",)
    later = run(MINUTES, date(2021, 11, 25), agency_records=records, meetings=[ICPC])
    assert later.outcome == Outcome.NOT_APPLICABLE
    unstated = run(MINUTES, AS_OF, meetings=[ICPC], agency_records=[{"agency": "gp"}])
    assert unstated.outcome == Outcome.NOT_APPLICABLE
    assert unstated.evidence == ("no agency record states conference_minutes_on_file",)


# ------------------------------------------------------------ options


def test_among_option_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == DOCS)
    assert rule["options"] == {"field": "plan_documents_available", "expected": True,
                               "among": {"shows_cp_plan": True}, "applies_when": "always"}
    rule["options"]["among"] = {}
    records = [{"agency": "school", "shows_cp_plan": False, "plan_documents_available": False}]
    assert run(DOCS, AS_OF, agency_records=records).outcome == Outcome.NOT_APPLICABLE
    changed = run_with(build(data), DOCS, AS_OF, agency_records=records)
    assert changed.outcome == Outcome.NOT_MET


def test_options_validation() -> None:
    with pytest.raises(ValidationError):
        Options.model_validate({})
    with pytest.raises(ValidationError):
        Options.model_validate({"field": "shows_plan"})
    with pytest.raises(ValidationError):
        Options.model_validate({"field": "shows_cp_plan", "among": {"flags": True}})
    with pytest.raises(ValidationError):
        Options.model_validate({"field": "shows_cp_plan", "applies_when": "plan"})
    options = Options.model_validate({"field": "shows_cp_plan"})
    assert (options.expected, options.among, options.applies_when) == (True, {}, "always")
