"""What a record covers (`source.covers`), what a case covers, and `not_covered` first.

shared/case-format.md "What a record covers"; shared/default-standards.md, the
outcome `not_covered` and "Parts each rule reads".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from check_helpers import built, default_data, text
from pydantic import ValidationError

from cp_audit.case import errors
from cp_audit.case.coverage import PARTS, case_coverage
from cp_audit.case.merging import merge_records
from cp_audit.case.model import Case, CaseRecord, Source, case_from_record
from cp_audit.inputs.interface import RawRecord
from cp_audit.results import Outcome
from cp_audit.run.engine import check_case, evaluate_rule
from cp_audit.standards.examples import run_example
from cp_audit.standards.spec import Example, load

AS_OF = date(2022, 6, 30)
STANDARDS = load()
CENSUS = {"agency": "social_care", "system": "cin_census"}
GP = {"agency": "gp"}
GP_REPORT = {"role": "gp", "agency": "gp", "status": "apologies", "report": True}


def record(covers: list[str] | None, source: dict[str, Any] | None = None,
           **parts: Any) -> dict[str, Any]:
    given = dict(source or CENSUS)
    if covers is not None:
        given["covers"] = covers
    return {"case_id": "C1", "source": given, "child": {"age_years": 7}, **parts}


def one(covers: list[str] | None, source: dict[str, Any] | None = None, **parts: Any) -> Case:
    return case_from_record(CaseRecord.model_validate(record(covers, source, **parts)))


def merged(*records: dict[str, Any]) -> Case:
    result = merge_records(RawRecord(f"r{i}.yaml", "", r) for i, r in enumerate(records))
    assert not result.problems, result.problems
    (case,) = result.cases
    return case


def messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        CaseRecord.model_validate(data)
    return [str(found) for found in errors.describe(caught.value, CaseRecord)]


# ------------------------------------------------------------------ source.covers


def test_covers_absent_is_every_part_and_an_empty_list_is_none() -> None:
    assert Source.model_validate({"agency": "gp"}).covers is None
    assert Source.model_validate({"agency": "gp", "covers": []}).covers == ()
    assert one(None).coverage is None  # the case covers everything: no coverage kept
    nothing = one([])
    assert nothing.coverage is not None and nothing.coverage.parts == frozenset()


def test_parts_are_read_as_tokens() -> None:
    source = Source.model_validate({"covers": ["Agency Records", "core-groups", "PLANS"]})
    assert source.covers == ("agency_records", "core_groups", "plans")


def test_an_unknown_part_is_an_error_with_a_did_you_mean() -> None:
    (found,) = messages(record(["plans", "visit"]))
    assert "source.covers[1]" in found
    assert "'visit' is not a part (did you mean 'visits'?)" in found
    assert "the parts are: needs, people" in found


def test_a_part_given_twice_is_an_error() -> None:
    (found,) = messages(record(["plans", "visits", "plans"]))
    assert "source.covers: lists plans more than once" in found


def test_an_entry_of_a_part_not_listed_is_an_error() -> None:
    visits = [{"date": f"2022-01-0{d}", "seen": True} for d in (3, 4, 5)]
    (found,) = messages(record(["plans"], visits=visits))
    assert "source.covers does not list visits, but the record has 3 visits" in found


def test_every_part_not_listed_is_named_once_in_the_parts_order() -> None:
    data = record(
        ["visits"],
        child={"age_years": 7, "needs": ["neglect"]},
        plans=[{"start": "2022-01-01", "category": "neglect",
                "actions": [{"id": "A1", "action": "x"}]}],
        meetings=[{"type": "core_group", "date": "2022-01-10",
                   "participants": [{"role": "gp"}, {"role": "teacher"}]}],
    )
    (found,) = messages(data)
    assert found.endswith(
        "source.covers does not list needs, but the record has 1 need; "
        "source.covers does not list plans, but the record has 1 plan; "
        "source.covers does not list actions, but the record has 1 plan action; "
        "source.covers does not list core_groups, but the record has 1 core group; "
        "source.covers does not list participants, but the record has 2 participants"
    )


def test_a_record_covering_participants_may_hold_meetings_of_a_kind_it_does_not_list() -> None:
    # A GP says the GP attended a core group without vouching for the list of core groups.
    data = record(["participants"], GP, meetings=[
        {"type": "core_group", "date": "2022-01-10", "participants": [{"role": "gp"}]},
        {"type": "icpc", "date": "2022-01-03", "participants": [GP_REPORT]},
    ])
    assert CaseRecord.model_validate(data).covers == ("participants",)


def test_meetings_of_a_listed_kind_need_participants_listed_to_carry_participants() -> None:
    data = record(["conferences"], meetings=[
        {"type": "icpc", "date": "2022-01-03", "participants": [{"role": "gp"}]},
    ])
    (found,) = messages(data)
    assert "source.covers does not list participants, but the record has 1 participant" in found
    bare = record(["conferences"], meetings=[{"type": "icpc", "date": "2022-01-03"}])
    assert CaseRecord.model_validate(bare).covers == ("conferences",)


def test_the_schema_lists_the_parts() -> None:
    schema = CaseRecord.model_json_schema(by_alias=True)
    covers = schema["$defs"]["Source"]["properties"]["covers"]
    (array,) = [option for option in covers["anyOf"] if option.get("type") == "array"]
    assert tuple(array["items"]["enum"]) == PARTS


# ------------------------------------------------------------------ what a case covers


def test_a_case_covers_a_part_when_one_record_does() -> None:
    coverage = case_coverage(
        [("plans", "conferences"), ("visits",)], [Source(**CENSUS), Source(**GP)]
    )
    assert coverage is not None
    assert coverage.missing(frozenset({"plans", "visits"})) == []
    assert coverage.missing(frozenset({"plans", "tools", "needs"})) == ["needs", "tools"]
    assert coverage.sources == ("social_care (cin_census)", "gp")


def test_one_record_covering_every_part_makes_the_case_cover_every_part() -> None:
    assert case_coverage([("plans",), None], [Source(**CENSUS)]) is None


def test_the_participants_of_a_kind_need_a_record_covering_both() -> None:
    # The census holds the conferences, the GP its own participation: nobody holds the list.
    split = case_coverage([("plans", "conferences"), ("participants", "agency_records")], [])
    assert split is not None
    reads = frozenset({"conferences", "participants"})
    assert split.missing(reads) == ["participants of conferences"]
    minutes = case_coverage([("conferences", "participants")], [])
    assert minutes is not None and minutes.missing(reads) == []
    # Minutes of conferences cover no core group's participants.
    both = frozenset({"conferences", "core_groups", "participants"})
    assert minutes.missing(both) == ["core_groups", "participants of core groups"]


def test_a_merged_case_keeps_its_sources_for_evidence() -> None:
    case = merged(
        record(["plans", "conferences"], plans=[{"start": "2022-01-03", "category": "neglect"}]),
        record(["participants", "agency_records"], GP),
    )
    assert case.coverage is not None
    assert case.coverage.sources == ("social_care (cin_census)", "gp")
    assert case.coverage is not None and case.agencies == ("gp", "social_care")
    assert case.coverage.parts == {"plans", "conferences", "participants", "agency_records"}


# ------------------------------------------------------------------ rules' outcomes


CENSUS_PLAN = {"plans": [{"start": "2022-01-03", "category": "neglect"}],
               "meetings": [{"type": "icpc", "date": "2022-01-03"},
                            {"type": "rcpc", "date": "2022-03-30"}]}


def test_health_at_conferences_is_not_covered_by_a_census_alone() -> None:
    case = one(["plans", "conferences"], **CENSUS_PLAN)
    result = evaluate_rule("health-at-conferences", case, STANDARDS, AS_OF)
    assert result.outcome == Outcome.NOT_COVERED
    assert result.evidence == (
        "not covered by this case's records: participants of conferences; "
        "sources: social_care (cin_census)",
    )


def test_not_covered_comes_before_not_applicable() -> None:
    case = one(["plans"], plans=CENSUS_PLAN["plans"])  # no conference at all
    result = evaluate_rule("health-at-conferences", case, STANDARDS, AS_OF)
    assert result.outcome == Outcome.NOT_COVERED
    assert "conferences, participants of conferences" in text(result)


def test_a_rule_whose_parts_are_covered_runs_as_before() -> None:
    case = one(["plans", "conferences"], **CENSUS_PLAN)
    result = evaluate_rule("review-conferences-timely", case, STANDARDS, AS_OF)
    assert result.outcome == Outcome.MET
    assert "not covered" not in text(result)


def gp_and_census(*participants: dict[str, Any]) -> Case:
    gp = record(["participants", "agency_records"], GP, meetings=[
        {"type": "icpc", "date": "2022-01-03", "participants": list(participants)},
    ])
    return merged(record(["plans", "conferences"], **CENSUS_PLAN), gp)


def test_gp_report_to_conference_is_met_by_one_gp_record_with_a_report() -> None:
    result = evaluate_rule("gp-report-to-conference", gp_and_census(GP_REPORT), STANDARDS, AS_OF)
    assert result.outcome == Outcome.MET
    assert "ICPC 2022-01-03: gp apologies sent a report" in text(result)


def test_gp_report_to_conference_is_met_on_the_gp_record_alone() -> None:
    gp = one(["participants", "agency_records"], GP, meetings=[
        {"type": "rcpc", "date": "2022-03-30", "participants": [GP_REPORT]},
    ])
    assert evaluate_rule("gp-report-to-conference", gp, STANDARDS, AS_OF).outcome == Outcome.MET


def test_gp_report_to_conference_is_not_covered_without_a_report() -> None:
    attended = {"role": "gp", "agency": "gp"}
    result = evaluate_rule("gp-report-to-conference", gp_and_census(attended), STANDARDS, AS_OF)
    assert result.outcome == Outcome.NOT_COVERED
    assert result.evidence == (
        "not covered by this case's records: participants of conferences; "
        "sources: social_care (cin_census), gp",
    )


def test_the_same_case_covered_in_full_is_not_met() -> None:
    attended = [{"role": "gp", "agency": "gp"}]
    full = one(None, meetings=[{"type": "icpc", "date": "2022-01-03", "participants": attended}])
    assert evaluate_rule("gp-report-to-conference", full, STANDARDS, AS_OF).outcome == (
        Outcome.NOT_MET
    )


def test_advocacy_and_early_years_are_proved_by_one_example() -> None:
    advocate = {"role": "advocate", "agency": "advocacy_service", "report": True}
    case = gp_and_census(advocate)
    assert evaluate_rule("advocacy-at-conference", case, STANDARDS, AS_OF).outcome == Outcome.MET
    childminder = one(["participants", "professionals"], {"agency": "childminder"},
                      professionals=[{"role": "childminder", "from": "2021-01-01"}],
                      meetings=[{"type": "core_group", "date": "2022-02-01",
                                 "participants": [{"role": "childminder"}]}])
    result = evaluate_rule("early-years-provider-linked", childminder, STANDARDS, AS_OF)
    assert result.outcome == Outcome.MET
    absent = one(["participants", "professionals"], {"agency": "childminder"},
                 professionals=[{"role": "childminder", "from": "2021-01-01"}])
    result = evaluate_rule("early-years-provider-linked", absent, STANDARDS, AS_OF)
    assert result.outcome == Outcome.NOT_COVERED


def test_a_rule_may_say_it_is_not_proved_by_example() -> None:
    data = default_data(["gp-report-to-conference"])
    data["rules"][0]["proved_by_example"] = False
    standards = built(data)
    result = evaluate_rule("gp-report-to-conference", gp_and_census(GP_REPORT), standards, AS_OF)
    assert result.outcome == Outcome.NOT_COVERED


def test_proved_by_example_is_a_boolean() -> None:
    data = default_data(["gp-report-to-conference"])
    data["rules"][0]["proved_by_example"] = "yes"
    with pytest.raises(Exception, match="proved_by_example"):
        built(data)


def test_the_rules_that_need_visits_are_not_covered_without_them() -> None:
    result = check_case(gp_and_census(GP_REPORT), STANDARDS, AS_OF)
    outcomes = {r.rule: r.outcome for r in result.results}
    for rule_id in ("child-seen-alone", "visits-timely"):
        assert outcomes[rule_id] == Outcome.NOT_COVERED
    assert outcomes["health-at-conferences"] == Outcome.NOT_COVERED
    assert outcomes["gp-report-to-conference"] == Outcome.MET


def test_an_all_of_rule_is_not_covered_when_one_of_its_rules_is() -> None:
    case = one(["referrals", "strategy_discussions", "plans", "conferences"],
               referrals=[{"date": "2022-06-01", "outcome": "s47"}],
               meetings=[{"type": "strategy_discussion", "date": "2022-06-07"}])
    result = evaluate_rule("timely-work-with-family", case, STANDARDS, AS_OF)
    assert result.outcome == Outcome.NOT_COVERED
    assert "first-core-group-timely: not covered by this case's records: core_groups" in text(
        result
    )
    assert "visits-timely: not covered by this case's records: visits" in text(result)


def test_an_all_of_rule_runs_when_its_rules_are_covered() -> None:
    data = default_data(["strategy-discussion-timely", "timely-work-with-family"])
    data["rules"][1]["options"]["all_of"] = ["strategy-discussion-timely"]
    standards = built(data)
    case = one(["referrals", "strategy_discussions"],
               referrals=[{"date": "2022-06-01", "outcome": "s47"}],
               meetings=[{"type": "strategy_discussion", "date": "2022-06-07"}])
    result = evaluate_rule("timely-work-with-family", case, standards, AS_OF)
    assert result.outcome == Outcome.MET


def test_a_rule_reading_what_agencies_hold_for_themselves_names_them() -> None:
    case = gp_and_census(GP_REPORT)
    gp = record(["participants", "agency_records"], GP, agency_records=[
        {"agency": "gp", "shows_cp_plan": True, "plan_documents_available": False},
    ])
    case = merged(record(["plans", "conferences"], **CENSUS_PLAN), gp)
    result = evaluate_rule("plan-documents-available", case, STANDARDS, AS_OF)
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[-1] == "judged over the records of: gp, social_care"


def test_without_covers_the_evidence_is_unchanged() -> None:
    case = one(None, agency_records=[
        {"agency": "gp", "shows_cp_plan": True, "plan_documents_available": False},
    ])
    result = evaluate_rule("plan-documents-available", case, STANDARDS, AS_OF)
    assert "judged over" not in text(result)


def test_the_score_rests_on_covered_rules_only() -> None:
    result = check_case(gp_and_census(GP_REPORT), STANDARDS, AS_OF)
    decided = [r for r in result.results if r.outcome.decided and r.weight > 0]
    met = [r for r in decided if r.outcome == Outcome.MET]
    assert result.score == pytest.approx(100 * len(met) / len(decided))


# ------------------------------------------------------------------ standards examples


def test_an_example_may_expect_not_covered_and_carry_covers() -> None:
    rule = STANDARDS.rule("health-at-conferences")
    example = Example(
        name="the census holds the conferences, not who took part",
        as_of=AS_OF,
        outcome="not_covered",
        case={"source": {"agency": "social_care", "covers": ["plans", "conferences"]},
              "child": {"age_years": 3},
              "meetings": [{"type": "icpc", "date": "2022-01-03"}]},
    )
    run = run_example(STANDARDS, rule, example)
    assert run.passed, run
    assert "participants of conferences" in run.evidence[0]


# ------------------------------------------------------------------ evidence notes


def test_a_note_of_an_unknown_token_follows_the_parts_the_rule_reads() -> None:
    from cp_audit.case.warnings import CaseWarnings, Unknown

    case = one(None,
               plans=[{"start": "2022-01-03", "category": "neglect"}],
               professionals=[{"role": "social_worker", "agency": "socal_care",
                               "from": "2022-01-03"}],
               meetings=[{"type": "core_group", "date": "2022-01-10",
                          "participants": [{"role": "health_visitor"}]}],
               agency_records=[{"agency": "gp", "flags": [{"flag": "no_concern"}]}])
    unknown = (
        Unknown("professionals", "agencies", "agency", "socal_care", "professionals[0].agency"),
        Unknown("agency_records", "flags", "flag", "no_concern",
                "agency_records[0].flags[0].flag"),
    )
    result = check_case(case, STANDARDS, AS_OF, warnings=CaseWarnings((), unknown))
    notes = {r.rule: [e for e in r.evidence if e.startswith("note:")] for r in result.results}
    assert notes["no-contradictory-flags"] == [
        'note: the records read here hold an unknown flag "no_concern" '
        "(agency_records[0].flags[0].flag): see Data problems"
    ]
    assert len(notes["consistent-social-worker"]) == 1
    assert notes["health-at-core-groups"] == []  # it reads no allocation
