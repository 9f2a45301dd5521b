"""father-included: father-invited-to-conferences, father-in-assessments,
father-views-recorded, father-in-parenting-work."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from people_helpers import build, case, default_data, run, run_with, text

from cp_audit.checks import REGISTRY
from cp_audit.checks.base import CaseView, Context
from cp_audit.checks.father_included import Options, check
from cp_audit.results import CheckResult, Outcome
from cp_audit.standards.calendar import Calendar
from cp_audit.standards.spec import StandardsError

AS_OF = date(2022, 9, 30)
MUM = {"id": "mum", "relationship": "mother"}
DAD = {"id": "dad", "relationship": "father"}
DAD2 = {"id": "dad2", "relationship": "father", "parental_responsibility": True}
PLAN = {"start": "2022-01-10", "category": "emotional_abuse"}


def icpc(*participants: Any, day: str = "2022-01-10") -> dict[str, Any]:
    return {"type": "icpc", "date": day, "participants": list(participants)}


def test_registered() -> None:
    assert REGISTRY["father-included"].Options is Options


# ------------------------------------------------------------------ conferences


def test_conferences_met_with_apologies() -> None:
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[MUM, DAD],
        meetings=[
            icpc({"person": "mum"}, {"person": "dad"}),
            {"type": "rcpc", "date": "2022-04-08",
             "participants": [{"person": "dad", "status": "apologies"}]},
        ],
    )
    assert result.outcome == Outcome.MET
    assert "father dad invited to ICPC 2022-01-10 (attended)" in result.evidence
    assert "father dad invited to review conference 2022-04-08 (apologies)" in result.evidence


def test_conferences_not_invited() -> None:
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[DAD], meetings=[icpc({"person": "dad", "status": "Not Invited"})],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == ("father dad not invited to ICPC 2022-01-10",)


def test_conferences_father_absent_from_participants_of_transfer_in() -> None:
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[DAD],
        meetings=[
            icpc({"person": "dad"}),
            {"type": "transfer_in_conference", "date": "2022-03-01",
             "participants": [{"role": "social_worker"}]},
        ],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "father dad not among the participants of transfer-in conference 2022-03-01",
    )


def test_conferences_two_fathers_both_must_be_invited() -> None:
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[DAD, DAD2], meetings=[icpc({"person": "dad"})],
    )
    assert result.outcome == Outcome.NOT_MET
    assert "father dad2 not among the participants of ICPC 2022-01-10" in text(result)
    assert "father dad not" not in text(result)
    both = run(
        "father-invited-to-conferences", AS_OF,
        people=[DAD, DAD2], meetings=[icpc({"person": "dad"}, {"person": "dad2"})],
    )
    assert both.outcome == Outcome.MET


def test_conferences_ids_differing_in_case_are_different_people() -> None:
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[DAD, {"id": "Dad", "relationship": "other"}],
        meetings=[icpc({"person": "Dad"})],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == ("father dad not among the participants of ICPC 2022-01-10",)


def test_conferences_not_applicable_without_conference() -> None:
    core_group = {"type": "core_group", "date": "2022-01-20", "participants": []}
    result = run(
        "father-invited-to-conferences", AS_OF, people=[DAD], meetings=[core_group]
    )
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no conference by 2022-09-30",)


def test_conference_after_the_as_of_date_is_not_read() -> None:
    result = run(
        "father-invited-to-conferences", date(2022, 1, 9),
        people=[DAD], meetings=[icpc({"person": "dad", "status": "not_invited"})],
    )
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_father_without_parental_responsibility_is_not_a_father() -> None:
    no_pr = {"id": "dad", "relationship": "father", "parental_responsibility": False}
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[MUM, no_pr], meetings=[icpc({"person": "dad", "status": "not_invited"})],
    )
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no father in the case",)


def test_father_with_parental_responsibility_absent_is_a_father() -> None:
    result = run(
        "father-invited-to-conferences", AS_OF,
        people=[DAD], meetings=[icpc({"person": "dad", "status": "not_invited"})],
    )
    assert result.outcome == Outcome.NOT_MET


def test_stepfather_is_a_father_only_when_the_standards_say_so() -> None:
    step = {"id": "sd", "relationship": "stepfather"}
    record = {"people": [step], "meetings": [icpc({"role": "social_worker"})]}
    default = run("father-invited-to-conferences", AS_OF, **record)
    assert default.outcome == Outcome.NOT_APPLICABLE
    data = default_data()
    data["father_relationships"] = ["father", "stepfather"]
    wider = run_with(build(data), "father-invited-to-conferences", AS_OF, **record)
    assert wider.outcome == Outcome.NOT_MET
    assert "father sd not among the participants of ICPC 2022-01-10" in wider.evidence


# ------------------------------------------------------------------ assessments


def test_assessments_met_and_not_met() -> None:
    met = run(
        "father-in-assessments", AS_OF, people=[MUM, DAD],
        assessments=[
            {"type": "child_and_family", "start": "2021-11-03", "contributors": ["mum"]},
            {"type": "parenting", "contributors": ["dad"]},
        ],
    )
    assert met.outcome == Outcome.MET
    assert met.evidence == ("father dad contributed to parenting assessment (no start date)",)
    not_met = run(
        "father-in-assessments", AS_OF, people=[MUM, DAD, DAD2],
        assessments=[{"type": "child_and_family", "start": "2021-11-03",
                      "contributors": ["mum", "dad", "child"]}],
    )
    assert not_met.outcome == Outcome.NOT_MET
    assert not_met.evidence == (
        "father dad2 not a contributor to any of 1 assessment: "
        "child_and_family assessment 2021-11-03",
    )


def test_assessments_not_applicable() -> None:
    none = run("father-in-assessments", AS_OF, people=[DAD])
    assert none.outcome == Outcome.NOT_APPLICABLE
    assert none.evidence == ("no assessment by 2022-09-30",)
    later = run(
        "father-in-assessments", AS_OF, people=[DAD],
        assessments=[{"type": "child_and_family", "start": "2022-10-01", "contributors": []}],
    )
    assert later.outcome == Outcome.NOT_APPLICABLE
    no_father = run(
        "father-in-assessments", AS_OF, people=[MUM],
        assessments=[{"type": "child_and_family", "contributors": ["mum"]}],
    )
    assert no_father.evidence == ("no father in the case",)


# ------------------------------------------------------------------ views


def test_views_recorded_during_plan() -> None:
    result = run(
        "father-views-recorded", AS_OF, people=[DAD], plans=[PLAN],
        recording=[{"date": "2022-02-01", "agency": "school", "views_of": ["dad", "child"]}],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence == ("father dad: views recorded 2022-02-01 (school)",)


def test_views_attended_conference_during_plan() -> None:
    result = run(
        "father-views-recorded", AS_OF, people=[DAD], plans=[PLAN],
        meetings=[{"type": "rcpc", "date": "2022-04-08", "participants": [{"person": "dad"}]}],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence == ("father dad: attended review conference 2022-04-08",)


def test_views_outside_plan_or_not_attended_do_not_count() -> None:
    result = run(
        "father-views-recorded", AS_OF, people=[DAD],
        plans=[{**PLAN, "end": "2022-06-30"}],
        recording=[
            {"date": "2022-01-09", "views_of": ["dad"]},  # the day before the plan
            {"date": "2022-07-01", "views_of": ["dad"]},  # the day after it ended
        ],
        meetings=[
            {"type": "core_group", "date": "2022-02-01",
             "participants": [{"person": "dad", "status": "apologies"}]},
            {"type": "strategy_discussion", "date": "2022-03-01",
             "participants": [{"person": "dad"}]},
        ],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "father dad: no views recorded and no conference or core group attended during "
        "the plan 2022-01-10 to 2022-06-30",
    )


def test_views_not_applicable_when_plan_starts_after_as_of() -> None:
    result = run("father-views-recorded", date(2022, 1, 9), people=[DAD], plans=[PLAN])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan by 2022-01-09",)


# ------------------------------------------------------------------ parenting actions


def _plan(*actions: Any, start: str = "2022-01-10") -> dict[str, Any]:
    return {"start": start, "category": "neglect", "actions": list(actions)}


def test_parenting_met_not_met_and_two_fathers() -> None:
    both = {"id": "A1", "action": "x", "kind": "parenting", "involves": ["mum", "dad"]}
    met = run("father-in-parenting-work", AS_OF, people=[MUM, DAD], plans=[_plan(both)])
    assert met.outcome == Outcome.MET
    assert met.evidence == (
        "action A1 (parenting) of the plan from 2022-01-10 involves father dad",
    )
    two = run("father-in-parenting-work", AS_OF, people=[MUM, DAD, DAD2], plans=[_plan(both)])
    assert two.outcome == Outcome.NOT_MET
    assert two.evidence == (
        "action A1 (parenting) of the plan from 2022-01-10 does not involve father dad2",
    )


def test_parenting_kind_is_a_token() -> None:
    action = {"id": "A1", "action": "x", "kind": "Parenting", "involves": ["mum"]}
    result = run("father-in-parenting-work", AS_OF, people=[MUM, DAD], plans=[_plan(action)])
    assert result.outcome == Outcome.NOT_MET


def test_parenting_not_applicable() -> None:
    other = {"id": "A1", "action": "x", "kind": "domestic_abuse", "involves": ["mum"]}
    no_kind = {"id": "A2", "action": "y", "involves": ["mum"]}
    result = run(
        "father-in-parenting-work", AS_OF, people=[MUM, DAD], plans=[_plan(other, no_kind)]
    )
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan action of kind parenting by 2022-09-30",)
    parenting = {"id": "A1", "action": "x", "kind": "parenting"}
    later = run(
        "father-in-parenting-work", date(2022, 1, 9), people=[DAD], plans=[_plan(parenting)]
    )
    assert later.outcome == Outcome.NOT_APPLICABLE


def test_kinds_option_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == "father-in-parenting-work")
    rule["options"]["kinds"] = ["parenting", "domestic_abuse"]
    action = {"id": "A1", "action": "x", "kind": "domestic_abuse", "involves": ["mum"]}
    record = {"people": [MUM, DAD], "plans": [_plan(action)]}
    assert run("father-in-parenting-work", AS_OF, **record).outcome == Outcome.NOT_APPLICABLE
    changed = run_with(build(data), "father-in-parenting-work", AS_OF, **record)
    assert changed.outcome == Outcome.NOT_MET


# ------------------------------------------------------------------ options


def test_options_where_required_and_kinds_only_for_actions() -> None:
    with pytest.raises(ValueError):
        Options.model_validate({})
    with pytest.raises(ValueError, match="where: actions"):
        Options.model_validate({"where": "conferences", "kinds": ["parenting"]})
    assert Options.model_validate({"where": "actions"}).kinds == ("parenting",)


def test_bad_where_in_yaml_is_a_standards_error() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == "father-in-assessments")
    rule["options"] = {"where": "assessment"}
    with pytest.raises(StandardsError, match='rule "father-in-assessments": option "where"'):
        build(data)


def test_check_function_directly() -> None:
    the_case = case(people=[DAD], assessments=[{"type": "x", "contributors": ["dad"]}])
    ctx = Context(
        as_of=AS_OF, calendar=Calendar(), role_groups={},
        father_relationships=frozenset({"father"}),
        evaluate=lambda rule_id: CheckResult.not_applicable(),
    )
    result = check(CaseView(the_case, AS_OF), Options(where="assessments"), ctx)
    assert result.outcome == Outcome.MET
