"""meeting-participation: health-at-core-groups, health-at-conferences, gp-report-to-conference,
multi-agency-core-groups, advocacy-at-conference, early-years-provider-linked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from meetings_helpers import STANDARDS, build, case, default_data, rule_data, run, text

from cp_audit.case.model import Participant
from cp_audit.checks import REGISTRY
from cp_audit.checks._participants import describe_participant
from cp_audit.checks.base import CaseView, Context
from cp_audit.checks.meeting_participation import Options, check
from cp_audit.results import CheckResult, Outcome
from cp_audit.standards.calendar import Calendar
from cp_audit.standards.spec import StandardsError

AS_OF = date(2022, 6, 30)
SW = {"role": "social_worker", "agency": "social_care"}
HV = {"role": "health_visitor", "agency": "community_health"}
EARLY_YEARS = ["childminder", "nursery_worker", "early_years_practitioner"]


def meeting(kind: str, day: str, *participants: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "date": day, "participants": list(participants)}


def core(day: str, *participants: dict[str, Any]) -> dict[str, Any]:
    return meeting("core_group", day, *participants)


def test_registered() -> None:
    assert REGISTRY["meeting-participation"].Options is Options
    assert REGISTRY["meeting-participation"].__doc__


def test_default_options_are_health_at_core_groups() -> None:
    options = Options()
    assert options.meeting_types == ("core_group",)
    assert options.roles == ("@health",)
    assert options.participation == "attended"
    assert (options.quantifier, options.min_share, options.min_agencies) == ("share", 1.0, 1)
    assert options.not_applicable_unless_professional is False


# ------------------------------------------------------------------ health-at-core-groups


def test_core_groups_met() -> None:
    result = run(
        "health-at-core-groups", AS_OF,
        meetings=[core("2022-02-01", SW, HV), core("2022-03-10", SW, {"role": "School Nurse"})],
    )
    assert result.outcome == Outcome.MET
    assert "2 of 2 meetings qualified (100%; at least 100% needed)" in result.evidence
    assert "core group 2022-02-01: health_visitor (community_health) attended" in result.evidence
    assert "core group 2022-03-10: school_nurse attended" in result.evidence


def test_core_group_apologies_from_health_is_not_attending() -> None:
    result = run(
        "health-at-core-groups", AS_OF,
        meetings=[
            core("2022-02-01", SW, HV),
            core("2022-03-10", SW, {**HV, "status": "apologies", "report": True}),
        ],
    )
    assert result.outcome == Outcome.NOT_MET
    assert "1 of 2 meetings qualified (50%; at least 100% needed)" in result.evidence
    assert (
        "core group 2022-03-10: no health professional attended "
        "(health_visitor (community_health) apologies with report); "
        "attended: social_worker (social_care)"
    ) in result.evidence


def test_core_group_with_no_health_professional_at_all() -> None:
    result = run("health-at-core-groups", AS_OF, meetings=[core("2022-02-01", SW)])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "0 of 1 meetings qualified (0%; at least 100% needed)",
        "core group 2022-02-01: no health professional attended; "
        "attended: social_worker (social_care)",
    )


def test_core_groups_not_applicable_without_a_core_group_by_the_as_of_date() -> None:
    result = run(
        "health-at-core-groups", date(2022, 1, 20),
        meetings=[meeting("icpc", "2022-01-10", HV), core("2022-01-24", SW)],
    )
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no meeting of type core_group by 2022-01-20",)


def test_core_group_after_the_as_of_date_is_not_read() -> None:
    result = run(
        "health-at-core-groups", date(2022, 3, 1),
        meetings=[core("2022-02-01", SW, HV), core("2022-03-10", SW)],
    )
    assert result.outcome == Outcome.MET
    assert "1 of 1 meetings qualified (100%; at least 100% needed)" in result.evidence


def test_family_member_participants_never_count() -> None:
    result = run(
        "health-at-core-groups", AS_OF,
        people=[{"id": "mum", "relationship": "mother", "name": "Jane Example"}],
        meetings=[core("2022-02-01", SW, {"person": "mum"})],
    )
    assert result.outcome == Outcome.NOT_MET
    # Shown by person id, never by name.
    assert "core group 2022-02-01: no health professional attended; " \
        "attended: social_worker (social_care), mum" in result.evidence
    assert "Jane" not in text(result)


def test_the_evidence_shows_who_took_part_instead() -> None:
    # The run: a misspelt school nurse is not a health professional, and the
    # evidence shows her among those who attended, in record order.
    result = run(
        "health-at-core-groups", AS_OF,
        people=[{"id": "mum", "relationship": "mother"}],
        meetings=[core("2022-02-01", HV),
                  core("2022-03-10", SW, {"role": "teacher", "agency": "school"},
                       {"role": "schol_nurse", "agency": "sirona"},
                       {"role": "gp", "status": "apologies"}, {"person": "mum"},
                       {"role": "family_support_worker", "status": "declined"})],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "1 of 2 meetings qualified (50%; at least 100% needed)",
        "core group 2022-03-10: no health professional attended (gp apologies); attended: "
        "social_worker (social_care), teacher (school), schol_nurse (sirona), mum",
    )


def test_the_evidence_of_a_meeting_nobody_attended() -> None:
    result = run(
        "health-at-core-groups", AS_OF,
        meetings=[core("2022-02-01", {**SW, "status": "apologies"}), core("2022-03-10")],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "0 of 2 meetings qualified (0%; at least 100% needed)",
        "core group 2022-02-01: no health professional attended; no one attended",
        "core group 2022-03-10: no health professional attended; no participants recorded",
    )


def test_met_evidence_names_only_who_counted() -> None:
    result = run("health-at-core-groups", AS_OF, meetings=[core("2022-02-01", SW, HV)])
    assert result.evidence == (
        "1 of 1 meetings qualified (100%; at least 100% needed)",
        "core group 2022-02-01: health_visitor (community_health) attended",
    )


def test_min_share_in_a_copy_of_the_yaml_changes_the_outcome() -> None:
    meetings = [core("2022-02-01", SW, HV), core("2022-03-10", SW)]
    assert run("health-at-core-groups", AS_OF, meetings=meetings).outcome == Outcome.NOT_MET
    data = default_data()
    rule_data(data, "health-at-core-groups")["options"]["min_share"] = 0.5
    copy = build(data)
    result = run("health-at-core-groups", AS_OF, copy, meetings=meetings)
    assert result.outcome == Outcome.MET
    assert "1 of 2 meetings qualified (50%; at least 50% needed)" in result.evidence


def test_roles_in_a_copy_of_the_yaml() -> None:
    meetings = [core("2022-02-01", SW, {"role": "school_nurse"})]
    data = default_data()
    rule_data(data, "health-at-core-groups")["options"]["roles"] = ["Health Visitor"]
    result = run("health-at-core-groups", AS_OF, build(data), meetings=meetings)
    assert result.outcome == Outcome.NOT_MET
    assert "no health visitor attended" in text(result)


# ------------------------------------------------------------------ health-at-conferences


def test_conferences_met_with_a_gp_report_sent_with_apologies() -> None:
    result = run(
        "health-at-conferences", AS_OF,
        meetings=[
            meeting("icpc", "2022-01-10", SW,
                    {"role": "gp", "agency": "gp", "status": "apologies", "report": True}),
            meeting("rcpc", "2022-04-08", {"role": "school_nurse", "agency": "sirona"}),
        ],
    )
    assert result.outcome == Outcome.MET
    assert "ICPC 2022-01-10: gp apologies with report took part" in result.evidence
    assert "review conference 2022-04-08: school_nurse (sirona) took part" in result.evidence


def test_conferences_not_met_when_one_conference_lacks_health() -> None:
    result = run(
        "health-at-conferences", AS_OF,
        meetings=[
            meeting("icpc", "2022-01-10", HV),
            meeting("transfer_in_conference", "2022-04-08", SW,
                    {"role": "gp", "agency": "gp", "status": "apologies"}),
        ],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "transfer-in conference 2022-04-08: no health professional took part "
        "(gp apologies); took part: social_worker (social_care)",
    )


def test_conferences_not_applicable_with_only_core_groups() -> None:
    result = run("health-at-conferences", AS_OF, meetings=[core("2022-02-01", HV)])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert "no meeting of type icpc, rcpc, transfer_in_conference by 2022-06-30" in text(result)


# ------------------------------------------------------------------ gp-report-to-conference


def test_gp_report_met_whatever_the_status() -> None:
    result = run(
        "gp-report-to-conference", AS_OF,
        meetings=[
            meeting("icpc", "2022-01-10", {"role": "gp", "status": "did_not_attend"}),
            meeting("rcpc", "2022-04-08", {"role": "gp", "status": "not_invited", "report": True}),
        ],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "review conference 2022-04-08: gp not_invited sent a report",
    )


def test_gp_report_not_met_when_the_gp_attended_without_a_report() -> None:
    result = run(
        "gp-report-to-conference", AS_OF,
        meetings=[meeting("icpc", "2022-01-10", {"role": "gp"},
                          {"role": "health_visitor", "report": True})],
    )
    assert result.outcome == Outcome.NOT_MET
    # A rule naming its roles does not list who else took part: the role sought is named.
    assert result.evidence == ("ICPC 2022-01-10: no gp sent a report (gp)",)


def test_gp_report_not_applicable_without_a_conference() -> None:
    result = run("gp-report-to-conference", date(2022, 1, 9),
                 meetings=[meeting("icpc", "2022-01-10", {"role": "gp", "report": True})])
    assert result.outcome == Outcome.NOT_APPLICABLE


# ------------------------------------------------------------------ advocacy-at-conference


def test_advocacy_met_by_a_report() -> None:
    result = run(
        "advocacy-at-conference", AS_OF,
        meetings=[
            meeting("icpc", "2022-01-10", {"role": "advocate", "status": "not_invited"}),
            meeting("rcpc", "2022-04-08",
                    {"role": "advocate", "agency": "advocacy_service", "status": "apologies",
                     "report": True}),
        ],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "review conference 2022-04-08: advocate (advocacy_service) apologies with report "
        "took part",
    )


def test_advocacy_not_met() -> None:
    result = run("advocacy-at-conference", AS_OF,
                 meetings=[meeting("icpc", "2022-01-10", {"role": "advocate",
                                                          "status": "declined"})])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "ICPC 2022-01-10: no advocate took part (advocate declined)",
    )


def test_advocacy_not_applicable_without_a_conference() -> None:
    result = run("advocacy-at-conference", AS_OF, meetings=[core("2022-01-20",
                                                                 {"role": "advocate"})])
    assert result.outcome == Outcome.NOT_APPLICABLE


# ------------------------------------------------------------------ multi-agency-core-groups


def test_multi_agency_met_with_an_agencyless_professional() -> None:
    result = run(
        "multi-agency-core-groups", AS_OF,
        meetings=[core("2022-02-01", SW, {"role": "teacher", "agency": "school"},
                       {"role": "health_visitor"})],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "core group 2022-02-01: 3 agencies attended: health_visitor, school, social_care "
        "(at least 3 needed)",
    )


def test_multi_agency_agencyless_professional_named_by_its_role() -> None:
    # A gp without agency is the agency "gp": the same as the gp practice below.
    result = run(
        "multi-agency-core-groups", AS_OF,
        meetings=[core("2022-02-01", SW, {"role": "gp"}, {"role": "practice_nurse",
                                                          "agency": "gp"})],
    )
    assert result.outcome == Outcome.NOT_MET
    assert "core group 2022-02-01: 2 agencies attended: gp, social_care (at least 3 needed)" \
        in result.evidence


def test_multi_agency_not_met_when_one_core_group_falls_short() -> None:
    people = [{"id": "mum", "relationship": "mother"}, {"id": "dad", "relationship": "father"}]
    result = run(
        "multi-agency-core-groups", AS_OF,
        people=people,
        meetings=[
            core("2022-02-01", SW, HV, {"role": "teacher", "agency": "school"}),
            core("2022-03-10", SW, {"role": "family_support_worker", "agency": "social_care"},
                 {"role": "teacher", "agency": "school"},
                 {"role": "school_nurse", "agency": "sirona", "status": "apologies"},
                 {"person": "mum"}, {"person": "dad"}),
        ],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "core group 2022-03-10: 2 agencies attended: school, social_care (at least 3 needed)",
    )


def test_multi_agency_not_applicable_without_core_group() -> None:
    result = run("multi-agency-core-groups", AS_OF, meetings=[meeting("icpc", "2022-01-10", SW)])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no meeting of type core_group by 2022-06-30",)


# ------------------------------------------------------------------ early-years-provider-linked


def test_early_years_met() -> None:
    result = run(
        "early-years-provider-linked", AS_OF,
        professionals=[{"role": "childminder", "from": "2021-01-01"}],
        meetings=[meeting("rcpc", "2022-04-08", {"role": "Childminder", "report": True,
                                                 "status": "apologies"})],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "professionals entry: childminder from 2021-01-01",
        "review conference 2022-04-08: childminder apologies with report took part",
    )


def test_early_years_not_met_without_any_meeting() -> None:
    result = run("early-years-provider-linked", AS_OF,
                 professionals=[{"role": "nursery_worker", "agency": "nursery"}])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "professionals entry: nursery_worker (nursery)",
        "no meeting of type core_group, icpc, rcpc, transfer_in_conference by 2022-06-30",
    )


def test_early_years_not_met_when_the_provider_did_not_attend() -> None:
    result = run(
        "early-years-provider-linked", AS_OF,
        professionals=[{"role": "nursery_worker", "agency": "nursery", "from": "2021-09-01",
                        "to": "2022-01-31"}],
        meetings=[core("2022-01-20", SW, {"role": "nursery_worker", "status": "did_not_attend"})],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[1:] == (
        "core group 2022-01-20: no childminder, nursery worker or early years "
        "practitioner took part (nursery_worker did_not_attend)",
    )


def test_early_years_not_applicable_without_a_professionals_entry() -> None:
    # A childminder at a meeting, but no `professionals` entry: the page's condition.
    result = run("early-years-provider-linked", AS_OF,
                 meetings=[core("2022-01-20", {"role": "childminder"})])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == (
        "no childminder, nursery worker or early years practitioner in the professionals "
        "list by 2022-06-30",
    )


def test_early_years_professional_counts_from_its_from() -> None:
    record: dict[str, Any] = {
        "professionals": [{"role": "nursery_worker", "from": "2022-09-01"},
                          {"role": "social_worker"}],
        "meetings": [core("2022-01-20", SW)],
    }
    assert run("early-years-provider-linked", AS_OF, **record).outcome == Outcome.NOT_APPLICABLE
    assert run("early-years-provider-linked", date(2022, 9, 1), **record).outcome == \
        Outcome.NOT_MET


# ------------------------------------------------------------------ options


def _ctx(as_of: date) -> Context:
    def evaluate(rule_id: str) -> CheckResult:
        raise AssertionError(rule_id)

    return Context(as_of, Calendar(), {"health": frozenset({"gp", "health_visitor"})},
                   frozenset({"father"}), evaluate)


def test_any_role_and_quantifier_some_called_directly() -> None:
    options = Options(meeting_types=("core_group",), roles=("*",), quantifier="some")
    subject = case(meetings=[core("2022-01-20", {"role": "teacher", "status": "apologies"}),
                             core("2022-02-20", {"role": "teacher"})])
    result = check(CaseView(subject, AS_OF), options, _ctx(AS_OF))
    assert result.outcome == Outcome.MET
    assert result.evidence == ("core group 2022-02-20: teacher attended",)


def test_any_role_lists_who_took_part_in_the_rules_sense() -> None:
    options = Options(meeting_types=("icpc",), roles=("*",), participation="report",
                      quantifier="every")
    subject = case(
        people=[{"id": "mum", "relationship": "mother"}],
        meetings=[meeting("icpc", "2022-01-20", {"person": "mum", "report": True},
                          {"role": "teacher"}),
                  meeting("icpc", "2022-02-20", {"person": "mum"})],
    )
    result = check(CaseView(subject, AS_OF), options, _ctx(AS_OF))
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "ICPC 2022-01-20: no professional sent a report (teacher); sent a report: mum",
        "ICPC 2022-02-20: no professional sent a report; no one sent a report",
    )


def test_role_group_resolved_from_the_context() -> None:
    subject = case(meetings=[core("2022-01-20", {"role": "school_nurse"})])
    result = check(CaseView(subject, AS_OF), Options(), _ctx(AS_OF))
    assert result.outcome == Outcome.NOT_MET  # school_nurse is not in this context's group


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"quantifier": "every", "min_share": 0.5}, 'option "min_share"'),
        ({"quantifier": "most"}, 'option "quantifier"'),
        ({"participation": "present"}, 'option "participation"'),
        ({"min_agencies": 0}, 'option "min_agencies"'),
        ({"roles": ["@nursing"]}, 'unknown role group "nursing"'),
        ({"min_shares": 0.5}, 'unknown option "min_shares" (did you mean "min_share"?)'),
    ],
)
def test_bad_options_are_reported(options: dict[str, Any], message: str) -> None:
    data = default_data()
    rule_data(data, "health-at-core-groups")["options"] = options
    with pytest.raises(StandardsError) as info:
        build(data)
    assert any(message in problem for problem in info.value.problems), info.value.problems


def test_default_standards_use_this_type() -> None:
    for rule_id in ("health-at-core-groups", "health-at-conferences", "gp-report-to-conference",
                    "multi-agency-core-groups", "advocacy-at-conference",
                    "early-years-provider-linked"):
        assert STANDARDS.rule(rule_id).check is REGISTRY["meeting-participation"]
    early = STANDARDS.rule("early-years-provider-linked").options
    assert isinstance(early, Options)
    assert early.roles == tuple(EARLY_YEARS)


@pytest.mark.parametrize(
    ("participant", "participation", "described"),
    [
        ({"role": "gp", "agency": "gp"}, "attended", "gp"),
        ({"role": "school_nurse", "agency": "sirona", "status": "apologies", "report": True},
         "attended", "school_nurse (sirona) apologies with report"),
        ({"role": "gp", "report": True}, "report", "gp"),
        ({"person": "dad", "status": "declined"}, "attended", "dad declined"),
    ],
)
def test_describe_participant(
    participant: dict[str, Any], participation: str, described: str
) -> None:
    assert describe_participant(Participant.model_validate(participant), participation) \
        == described


def test_describe_participant_marks_tokens_the_standards_do_not_know() -> None:
    nurse = Participant.model_validate({"role": "schol_nurse", "agency": "sirona"})
    assert describe_participant(nurse) == "schol_nurse (sirona)"
    assert describe_participant(nurse, unknown=frozenset({("roles", "schol_nurse")})) \
        == "schol_nurse (sirona) — unknown role"
    both = frozenset({("roles", "schol_nurse"), ("agencies", "sirona")})
    assert describe_participant(nurse, unknown=both) \
        == "schol_nurse (sirona) — unknown role and agency"
    # A token unknown in another category is not this participant's role.
    assert describe_participant(nurse, unknown=frozenset({("methods", "schol_nurse")})) \
        == "schol_nurse (sirona)"
