"""no-long-stretch: child-voice-regular, core-groups-regular, visits-timely."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from meetings_helpers import STANDARDS, build, case, default_data, rule_data, run, text

from cp_audit.checks import REGISTRY
from cp_audit.checks.base import CaseView, Context
from cp_audit.checks.no_long_stretch import Options, check
from cp_audit.results import CheckResult, Outcome
from cp_audit.standards.calendar import Calendar
from cp_audit.standards.spec import StandardsError

PLAN = {"start": "2022-03-01", "category": "emotional_abuse"}


def voice(day: str, method: str = "direct_work") -> dict[str, Any]:
    return {"date": day, "method": method, "by": "social_worker"}


def core(day: str) -> dict[str, Any]:
    return {"type": "core_group", "date": day, "participants": [{"role": "social_worker"}]}


def seen(day: str, **more: Any) -> dict[str, Any]:
    return {"date": day, "seen": True, **more}


def test_registered_and_used() -> None:
    assert REGISTRY["no-long-stretch"].Options is Options
    for rule_id in ("child-voice-regular", "core-groups-regular", "visits-timely"):
        assert STANDARDS.rule(rule_id).check is REGISTRY["no-long-stretch"]


def test_defaults_are_child_voice_regular() -> None:
    options = Options()
    assert options.entries == "child_voice"
    assert options.observation_methods == ("observation",)
    assert options.observation_for == ("pre_verbal", "non_verbal")
    assert options.observation_under_age == 3
    assert options.limit() == ("days", 42)


# ------------------------------------------------------------------ child-voice-regular


def test_child_voice_42_days_is_met() -> None:
    result = run("child-voice-regular", date(2022, 5, 20), plans=[PLAN],
                 child_voice=[voice("2022-04-12"), voice("2022-05-10", "wishes_and_feelings")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "plan 2022-03-01 to period end 2022-05-20 (as-of date): child voice entries: 2; "
        "longest stretch 42 days (limit 42) from plan start 2022-03-01 to child voice "
        "direct_work 2022-04-12",
    )


def test_child_voice_43_days_is_not_met() -> None:
    result = run("child-voice-regular", date(2022, 4, 20), plans=[PLAN],
                 child_voice=[voice("2022-04-13")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2022-03-01: gap of 43 days (more than 42) from plan start 2022-03-01 to child "
        "voice direct_work 2022-04-13",
    )


def test_child_voice_without_any_entry_is_one_stretch_to_the_as_of_date() -> None:
    assert run("child-voice-regular", date(2022, 4, 12), plans=[PLAN]).outcome == Outcome.MET
    result = run("child-voice-regular", date(2022, 4, 13), plans=[PLAN])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2022-03-01: gap of 43 days (more than 42) from plan start 2022-03-01 to period "
        "end 2022-04-13 (as-of date)",
    )


def test_child_voice_as_of_before_the_plan_end() -> None:
    # The period ends on the as-of date: the 60 days to the plan's end are not yet counted.
    plan = {**PLAN, "end": "2022-07-01"}
    record: dict[str, Any] = {"plans": [plan], "child_voice": [voice("2022-04-01")]}
    assert run("child-voice-regular", date(2022, 5, 13), **record).outcome == Outcome.MET
    late = run("child-voice-regular", date(2022, 5, 14), **record)
    assert late.outcome == Outcome.NOT_MET
    assert "gap of 43 days (more than 42) from child voice direct_work 2022-04-01 to period " \
        "end 2022-05-14 (as-of date)" in text(late)


def test_child_voice_plan_that_ended() -> None:
    plan = {**PLAN, "end": "2022-04-15"}
    result = run("child-voice-regular", date(2022, 9, 30), plans=[plan],
                 child_voice=[voice("2022-03-20"), voice("2022-08-01")])
    assert result.outcome == Outcome.MET  # the entry after the plan's end is ignored
    assert "period end 2022-04-15 (plan end)" in text(result)
    assert "child voice entries: 1" in text(result)


def test_child_voice_entries_outside_the_plan_are_ignored() -> None:
    result = run("child-voice-regular", date(2022, 4, 20), plans=[PLAN],
                 child_voice=[voice("2022-02-28"), voice("2022-04-15")])
    assert result.outcome == Outcome.NOT_MET
    assert "from plan start 2022-03-01 to child voice direct_work 2022-04-15" in text(result)


def test_child_voice_several_plans_each_checked() -> None:
    first = {"start": "2021-01-04", "end": "2021-03-01", "category": "neglect"}
    second = {"start": "2022-03-01", "category": "emotional_abuse"}
    record: dict[str, Any] = {
        "plans": [second, first],
        # The entry between the plans is in no plan period: it does not count.
        "child_voice": [voice("2021-01-20"), voice("2021-06-01"), voice("2022-03-15")],
    }
    met = run("child-voice-regular", date(2022, 4, 1), **record)
    assert met.outcome == Outcome.MET
    assert met.evidence == (
        "plan 2021-01-04 to period end 2021-03-01 (plan end): child voice entries: 1; "
        "longest stretch 40 days (limit 42) from child voice direct_work 2021-01-20 to period "
        "end 2021-03-01 (plan end)",
        "plan 2022-03-01 to period end 2022-04-01 (as-of date): child voice entries: 1; "
        "longest stretch 17 days (limit 42) from child voice direct_work 2022-03-15 to period "
        "end 2022-04-01 (as-of date)",
    )
    late = run("child-voice-regular", date(2022, 4, 27), **record)
    assert late.outcome == Outcome.NOT_MET
    assert late.evidence == (
        "plan 2022-03-01: gap of 43 days (more than 42) from child voice direct_work "
        "2022-03-15 to period end 2022-04-27 (as-of date)",
    )


def test_child_voice_several_plans_one_failing() -> None:
    first = {"start": "2021-01-04", "end": "2021-04-01", "category": "neglect"}
    second = {"start": "2022-03-01", "category": "emotional_abuse"}
    result = run("child-voice-regular", date(2022, 3, 31), plans=[first, second],
                 child_voice=[voice("2021-01-20"), voice("2022-03-15")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2021-01-04: gap of 71 days (more than 42) from child voice direct_work "
        "2021-01-20 to period end 2021-04-01 (plan end)",
    )


def test_child_voice_no_plan_period_is_not_applicable() -> None:
    result = run("child-voice-regular", date(2022, 2, 28), plans=[PLAN],
                 child_voice=[voice("2022-02-01")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan period by 2022-02-28",)


def test_observation_counts_for_an_unborn_child() -> None:
    result = run("child-voice-regular", date(2022, 4, 20),
                 child={"expected_date_of_birth": "2022-06-01"},
                 plans=[{"start": "2022-03-01", "category": "neglect"}],
                 child_voice=[voice("2022-03-20", "observation")])
    assert result.outcome == Outcome.MET


@pytest.mark.parametrize(
    ("child", "outcome", "why"),
    [
        ({"age_years": 2}, Outcome.MET, None),
        ({"age_years": 3}, Outcome.NOT_MET,
         "not counted: observation 2022-04-10 (age 3 on that date; observation counts under 3)"),
        ({"age_years": 8, "communication": "non_verbal"}, Outcome.MET, None),
        ({"age_years": 8, "communication": "Pre-Verbal"}, Outcome.MET, None),
        ({"age_years": 1, "communication": "verbal"}, Outcome.NOT_MET,
         "not counted: observation 2022-04-10 (communication verbal)"),
        # Born 2019-04-11: 2 years old on 2022-04-10, so the observation counts.
        ({"date_of_birth": "2019-04-11"}, Outcome.MET, None),
        ({"date_of_birth": "2019-04-10"}, Outcome.NOT_MET, "(age 3 on that date"),
        ({}, Outcome.NOT_MET, "(communication and age unknown)"),
    ],
)
def test_observation_rule(child: dict[str, Any], outcome: Outcome, why: str | None) -> None:
    result = run("child-voice-regular", date(2022, 5, 1), child=child, plans=[PLAN],
                 child_voice=[voice("2022-03-15"), voice("2022-04-10", "observation")])
    assert result.outcome == outcome
    if why:
        assert why in text(result)
        assert "gap of 47 days (more than 42) from child voice direct_work 2022-03-15" in text(
            result
        )


def test_other_methods_qualify_whatever_the_age() -> None:
    result = run("child-voice-regular", date(2022, 4, 20), child={"age_years": 0},
                 plans=[PLAN], child_voice=[voice("2022-03-20", "advocacy")])
    assert result.outcome == Outcome.MET


# ------------------------------------------------------------------ core-groups-regular


def test_core_groups_42_days_met_43_not() -> None:
    met = run("core-groups-regular", date(2022, 5, 20), plans=[PLAN],
              meetings=[core("2022-03-10"), core("2022-04-21")])
    assert met.outcome == Outcome.MET
    assert "longest stretch 42 days (limit 42) from core group 2022-03-10 to core group " \
        "2022-04-21" in text(met)
    late = run("core-groups-regular", date(2022, 5, 20), plans=[PLAN],
               meetings=[core("2022-03-10"), core("2022-04-22")])
    assert late.outcome == Outcome.NOT_MET
    assert late.evidence == (
        "plan 2022-03-01: gap of 43 days (more than 42) from core group 2022-03-10 to core "
        "group 2022-04-22",
    )


def test_core_groups_a_weekend_does_not_move_a_stretch_limit() -> None:
    # 42 days after Saturday 12 March is Saturday 23 April: Monday 25 April is late.
    result = run("core-groups-regular", date(2022, 5, 20), plans=[PLAN],
                 meetings=[core("2022-03-12"), core("2022-04-25")])
    assert result.outcome == Outcome.NOT_MET
    assert "gap of 44 days (more than 42)" in text(result)


def test_core_groups_only_core_groups_count() -> None:
    result = run("core-groups-regular", date(2022, 5, 20), plans=[PLAN],
                 meetings=[core("2022-03-10"),
                           {"type": "rcpc", "date": "2022-04-10", "participants": []}])
    assert result.outcome == Outcome.NOT_MET
    assert "gap of 71 days (more than 42) from core group 2022-03-10 to period end " \
        "2022-05-20 (as-of date)" in text(result)


def test_core_groups_not_applicable_without_plan() -> None:
    result = run("core-groups-regular", date(2022, 5, 20), meetings=[core("2022-03-10")])
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_max_gap_weeks_in_a_copy_of_the_yaml_changes_the_outcome() -> None:
    record: dict[str, Any] = {"plans": [PLAN], "meetings": [core("2022-03-10"),
                                                            core("2022-04-22")]}
    assert run("core-groups-regular", date(2022, 5, 20), **record).outcome == Outcome.NOT_MET
    data = default_data()
    rule_data(data, "core-groups-regular")["options"]["max_gap_weeks"] = 7
    result = run("core-groups-regular", date(2022, 5, 20), build(data), **record)
    assert result.outcome == Outcome.MET
    assert "(limit 49)" in text(result)


# ------------------------------------------------------------------ visits-timely


VISIT_PLAN = {"start": "2022-05-27", "category": "emotional_abuse"}  # a Friday


def test_visits_bank_holidays_extend_the_deadline() -> None:
    # 10 working days after Friday 27 May 2022 is 14 June (2 and 3 June were bank holidays).
    met = run("visits-timely", date(2022, 6, 20), plans=[VISIT_PLAN],
              visits=[seen("2022-06-14")])
    assert met.outcome == Outcome.MET
    assert "longest stretch 10 working days (limit 10) from plan start 2022-05-27 to seen " \
        "visit 2022-06-14" in text(met)
    late = run("visits-timely", date(2022, 6, 20), plans=[VISIT_PLAN],
               visits=[seen("2022-06-15")])
    assert late.outcome == Outcome.NOT_MET
    assert late.evidence == (
        "plan 2022-05-27: seen visit 2022-06-15 was 11 working days after plan start "
        "2022-05-27 (limit 10, deadline 2022-06-14)",
    )


def test_visits_state_funeral_and_weekend() -> None:
    # Friday 9 September 2022: 19 September was a bank holiday, so the 10th working day is
    # Monday 26 September; a visit on Saturday 24 September is in time.
    plan = {"start": "2022-09-09", "category": "neglect"}
    assert run("visits-timely", date(2022, 9, 26), plans=[plan],
               visits=[seen("2022-09-24")]).outcome == Outcome.MET
    assert run("visits-timely", date(2022, 9, 26), plans=[plan]).outcome == Outcome.MET
    result = run("visits-timely", date(2022, 9, 27), plans=[plan])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2022-09-09: period end 2022-09-27 (as-of date) was 11 working days after plan "
        "start 2022-09-09 (limit 10, deadline 2022-09-26)",
    )


def test_visits_not_seen_do_not_count() -> None:
    result = run("visits-timely", date(2022, 7, 1), plans=[VISIT_PLAN],
                 visits=[{"date": "2022-06-08", "seen": False}, seen("2022-06-15"),
                         seen("2022-06-24")])
    assert result.outcome == Outcome.NOT_MET
    assert "seen visit 2022-06-15 was 11 working days after plan start 2022-05-27" in text(result)


def test_visits_period_end_after_the_last_visit() -> None:
    plan = {**VISIT_PLAN, "end": "2022-07-29"}
    record: dict[str, Any] = {"plans": [plan], "visits": [seen("2022-06-10"),
                                                          seen("2022-06-20")]}
    # 10 working days after Monday 20 June is Monday 4 July.
    assert run("visits-timely", date(2022, 7, 4), **record).outcome == Outcome.MET
    result = run("visits-timely", date(2022, 7, 5), **record)
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2022-05-27: period end 2022-07-05 (as-of date) was 11 working days after seen "
        "visit 2022-06-20 (limit 10, deadline 2022-07-04)",
    )


def test_visits_extra_non_working_days_from_the_yaml() -> None:
    data = default_data()
    data["calendar"] = {"extra_non_working_days": ["2022-06-13"]}
    result = run("visits-timely", date(2022, 6, 20), build(data), plans=[VISIT_PLAN],
                 visits=[seen("2022-06-15")])
    assert result.outcome == Outcome.MET


def test_visits_not_applicable_without_plan_period() -> None:
    result = run("visits-timely", date(2022, 7, 1), visits=[seen("2022-06-14")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan period by 2022-07-01",)


# ------------------------------------------------------------------ options


def test_max_gap_days_called_directly() -> None:
    def evaluate(rule_id: str) -> CheckResult:
        raise AssertionError(rule_id)

    ctx = Context(date(2022, 4, 1), Calendar(), {}, frozenset({"father"}), evaluate)
    options = Options(entries="seen_visits", max_gap_days=14)
    subject = case(plans=[PLAN], visits=[seen("2022-03-15"), seen("2022-03-30")])
    result = check(CaseView(subject, date(2022, 4, 1)), options, ctx)
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2022-03-01: gap of 15 days (more than 14) from seen visit 2022-03-15 to seen "
        "visit 2022-03-30",
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"entries": "seen_visits", "max_working_days": 10, "max_gap_weeks": 6},
         'option "max_gap_weeks": give only one of'),
        ({"entries": "seen_visits", "max_working_days": 10, "max_gap_days": 6},
         'option "max_gap_days": give only one of'),
        ({"entries": "seen_visits", "max_gap_weeks": None},
         'option "max_gap_weeks": one of max_working_days, max_gap_days, max_gap_weeks'),
        ({"entries": "seen_visits", "meeting_types": ["core_group"]},
         'option "meeting_types": is used only with entries: meetings'),
        ({"entries": "meetings", "observation_under_age": 5},
         'option "observation_under_age": is used only with entries: child_voice'),
        ({"entries": "visits"}, 'option "entries"'),
    ],
)
def test_bad_options_are_reported(options: dict[str, Any], message: str) -> None:
    data = default_data()
    rule_data(data, "visits-timely")["options"] = options
    with pytest.raises(StandardsError) as info:
        build(data)
    assert any(message in problem for problem in info.value.problems), info.value.problems
