"""follow-up-timely: strategy-discussion-timely and first-core-group-timely."""

from __future__ import annotations

import pytest
from timeliness_helpers import built, default_data, run, text

from cp_audit.checks import REGISTRY
from cp_audit.checks.follow_up_timely import Options
from cp_audit.results import Outcome
from cp_audit.standards.spec import StandardsError

SD = "strategy-discussion-timely"
CG = "first-core-group-timely"


def sd(day: str) -> dict[str, str]:
    return {"type": "strategy_discussion", "date": day}


def cg(day: str) -> dict[str, str]:
    return {"type": "core_group", "date": day}


def referral(day: str, outcome: str = "s47") -> dict[str, str]:
    return {"date": day, "source": "police", "outcome": outcome}


def plan(start: str, end: str | None = None) -> dict[str, str | None]:
    return {"start": start, "end": end, "category": "emotional_abuse"}


# ------------------------------------------------------------- strategy-discussion-timely


def test_strategy_discussion_in_time_is_met() -> None:
    result = run(SD, "2022-09-30", referrals=[referral("2022-03-01")], meetings=[sd("2022-03-03")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "strategy discussion 2022-03-03 was 2 working days after the referral 2022-03-01 "
        "with outcome s47 (limit 2, deadline 2022-03-03)",
    )


def test_strategy_discussion_late_is_not_met() -> None:
    result = run(
        SD, "2022-09-30",
        referrals=[referral("2022-04-26", "strategy_discussion")], meetings=[sd("2022-04-29")],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "strategy discussion 2022-04-29 was 3 working days after the referral 2022-04-26 "
        "with outcome strategy_discussion (limit 2, deadline 2022-04-28)",
    )


def test_no_strategy_discussion_after_the_deadline_is_not_met() -> None:
    result = run(SD, "2022-09-30", referrals=[referral("2022-04-26")])
    assert result.outcome == Outcome.NOT_MET
    assert "no strategy discussion on or after the referral 2022-04-26" in text(result)
    assert "deadline 2022-04-28" in text(result)


def test_no_referral_is_not_applicable() -> None:
    result = run(SD, "2022-09-30")
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no referral with outcome strategy_discussion or s47 by 2022-09-30",)


def test_referral_with_another_outcome_is_not_applicable() -> None:
    result = run(SD, "2022-09-30", referrals=[referral("2022-04-26", "Early Help")])
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_discussion_due_on_the_as_of_date_counts_and_is_not_met_without_one() -> None:
    result = run(SD, "2022-06-07", referrals=[referral("2022-06-01")])
    assert result.outcome == Outcome.NOT_MET
    assert "deadline 2022-06-07" in text(result)


def test_discussion_due_on_the_as_of_date_held_that_day_is_met() -> None:
    result = run(SD, "2022-06-07", referrals=[referral("2022-06-01")], meetings=[sd("2022-06-07")])
    assert result.outcome == Outcome.MET


def test_deadline_after_the_as_of_date_is_not_yet_due() -> None:
    result = run(SD, "2022-06-06", referrals=[referral("2022-06-01")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == (
        "strategy discussion after the referral 2022-06-01 with outcome s47 not yet due "
        "(deadline 2022-06-07 is after the as-of date 2022-06-06)",
    )


def test_discussion_after_the_as_of_date_is_not_read() -> None:
    result = run(SD, "2022-06-06", referrals=[referral("2022-06-01")], meetings=[sd("2022-06-07")])
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_as_of_before_the_deadline_with_the_discussion_already_held_is_met() -> None:
    result = run(SD, "2022-06-06", referrals=[referral("2022-06-01")], meetings=[sd("2022-06-06")])
    assert result.outcome == Outcome.MET


def test_deadline_over_the_june_2022_bank_holidays() -> None:
    # 2 working days after Wednesday 1 June 2022 is Tuesday 7 June (2 and 3 June off).
    met = run(SD, "2022-09-30", referrals=[referral("2022-06-01")], meetings=[sd("2022-06-07")])
    assert met.outcome == Outcome.MET
    assert met.evidence == (
        "strategy discussion 2022-06-07 was 2 working days after the referral 2022-06-01 "
        "with outcome s47 (limit 2, deadline 2022-06-07; not working days: 2022-06-02, "
        "2022-06-03)",
    )
    late = run(SD, "2022-09-30", referrals=[referral("2022-06-01")], meetings=[sd("2022-06-08")])
    assert late.outcome == Outcome.NOT_MET
    assert "was 3 working days after" in text(late)


def test_deadline_over_christmas_2021_substitute_days() -> None:
    # Thursday 23 December 2021: Friday 24th, then 27 and 28 December are substitute days.
    met = run(SD, "2022-01-31", referrals=[referral("2021-12-23")], meetings=[sd("2021-12-29")])
    assert met.outcome == Outcome.MET
    assert "deadline 2021-12-29; not working days: 2021-12-27, 2021-12-28" in text(met)
    late = run(SD, "2022-01-31", referrals=[referral("2021-12-23")], meetings=[sd("2021-12-30")])
    assert late.outcome == Outcome.NOT_MET


def test_discussion_before_the_referral_does_not_follow_it() -> None:
    result = run(SD, "2022-09-30", referrals=[referral("2022-03-01")], meetings=[sd("2022-02-28")])
    assert result.outcome == Outcome.NOT_MET
    assert "no strategy discussion on or after the referral 2022-03-01" in text(result)


def test_same_day_discussion_is_met() -> None:
    result = run(SD, "2022-09-30", referrals=[referral("2022-03-01")], meetings=[sd("2022-03-01")])
    assert result.outcome == Outcome.MET
    assert "was 0 working days after" in text(result)


def test_several_referrals_name_only_the_one_late() -> None:
    result = run(
        SD, "2022-09-30",
        referrals=[referral("2022-03-01"), referral("2022-04-26"), referral("2022-05-03", "nfa")],
        meetings=[sd("2022-03-02"), sd("2022-05-04")],
    )
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "strategy discussion 2022-05-04 was 5 working days after the referral 2022-04-26 "
        "with outcome s47 (limit 2, deadline 2022-04-28)",
    )


def test_met_names_the_referral_not_yet_due_too() -> None:
    result = run(
        SD, "2022-09-30",
        referrals=[referral("2022-03-01"), referral("2022-09-29")], meetings=[sd("2022-03-02")],
    )
    assert result.outcome == Outcome.MET
    assert result.evidence[0].startswith("strategy discussion 2022-03-02 was 1 working day after")
    assert "not yet due (deadline 2022-10-03" in result.evidence[1]


def test_extra_non_working_day_moves_the_deadline() -> None:
    data = default_data()
    data["calendar"] = {"extra_non_working_days": ["2022-03-02"]}
    standards = built(data)
    kwargs = {"referrals": [referral("2022-03-01")], "meetings": [sd("2022-03-04")]}
    assert run(SD, "2022-09-30", **kwargs).outcome == Outcome.NOT_MET
    assert run(SD, "2022-09-30", standards, **kwargs).outcome == Outcome.MET


def test_changing_max_working_days_in_a_copy_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == SD)
    rule["options"]["max_working_days"] = 3
    standards = built(data)
    kwargs = {"referrals": [referral("2022-04-26")], "meetings": [sd("2022-04-29")]}
    assert run(SD, "2022-09-30", **kwargs).outcome == Outcome.NOT_MET
    result = run(SD, "2022-09-30", standards, **kwargs)
    assert result.outcome == Outcome.MET
    assert "(limit 3, deadline 2022-04-29)" in text(result)


def test_changing_outcomes_in_a_copy_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == SD)
    rule["options"]["outcomes"] = ["s47"]
    standards = built(data)
    kwargs = {"referrals": [referral("2022-04-26", "strategy_discussion")]}
    assert run(SD, "2022-09-30", **kwargs).outcome == Outcome.NOT_MET
    assert run(SD, "2022-09-30", standards, **kwargs).outcome == Outcome.NOT_APPLICABLE


# ------------------------------------------------------------- first-core-group-timely


def test_first_core_group_on_the_tenth_working_day_is_met() -> None:
    result = run(CG, "2022-03-31", plans=[plan("2022-01-10")], meetings=[cg("2022-01-24")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "core group 2022-01-24 was 10 working days after the plan's start 2022-01-10 "
        "(limit 10, deadline 2022-01-24)",
    )


def test_first_core_group_late_is_not_met() -> None:
    result = run(CG, "2022-03-31", plans=[plan("2022-01-10")], meetings=[cg("2022-01-26")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "core group 2022-01-26 was 12 working days after the plan's start 2022-01-10 "
        "(limit 10, deadline 2022-01-24)",
    )


def test_no_core_group_over_christmas_2021_is_not_met_on_the_deadline() -> None:
    # 10 working days after Friday 17 December 2021 is Wednesday 5 January 2022.
    result = run(CG, "2022-01-05", plans=[plan("2021-12-17")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "no core group on or after the plan's start 2021-12-17 by its deadline (limit 10, "
        "deadline 2022-01-05; not working days: 2021-12-27, 2021-12-28, 2022-01-03)",
    )
    assert run(CG, "2022-01-04", plans=[plan("2021-12-17")]).outcome == Outcome.NOT_APPLICABLE


def test_no_plan_is_not_applicable() -> None:
    result = run(CG, "2022-03-31", meetings=[cg("2022-01-24")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan by 2022-03-31",)


def test_plan_ended_before_its_first_core_group_was_due_does_not_count() -> None:
    result = run(CG, "2022-03-31", plans=[plan("2022-01-10", "2022-01-14")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == (
        "the plan 2022-01-10 ended 2022-01-14 before its core group was due "
        "(deadline 2022-01-24)",
    )


def test_late_core_group_does_not_make_an_early_ended_plan_count() -> None:
    # "such a core group" is one within the limit: a late one after the plan's end is not.
    result = run(
        CG, "2022-03-31", plans=[plan("2022-01-10", "2022-01-14")], meetings=[cg("2022-02-01")]
    )
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_core_group_in_time_after_an_early_end_makes_the_plan_count() -> None:
    result = run(
        CG, "2022-03-31", plans=[plan("2022-01-10", "2022-01-14")], meetings=[cg("2022-01-20")]
    )
    assert result.outcome == Outcome.MET


def test_plan_ending_on_its_deadline_counts() -> None:
    result = run(CG, "2022-03-31", plans=[plan("2022-01-10", "2022-01-24")])
    assert result.outcome == Outcome.NOT_MET


def test_core_group_before_the_plan_does_not_count() -> None:
    result = run(CG, "2022-03-31", plans=[plan("2022-01-10")], meetings=[cg("2022-01-07")])
    assert result.outcome == Outcome.NOT_MET
    assert "no core group on or after the plan's start 2022-01-10" in text(result)


def test_first_core_group_not_yet_due() -> None:
    result = run(CG, "2022-09-30", plans=[plan("2022-09-26")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert "not yet due (deadline 2022-10-10 is after the as-of date 2022-09-30)" in text(result)


def test_several_plans_each_checked() -> None:
    plans = [plan("2021-03-01", "2021-09-30"), plan("2022-01-10")]
    met = run(CG, "2022-03-31", plans=plans, meetings=[cg("2021-03-10"), cg("2022-01-20")])
    assert met.outcome == Outcome.MET
    assert len(met.evidence) == 2
    late = run(CG, "2022-03-31", plans=plans, meetings=[cg("2021-03-10"), cg("2022-01-26")])
    assert late.outcome == Outcome.NOT_MET
    assert late.evidence == (
        "core group 2022-01-26 was 12 working days after the plan's start 2022-01-10 "
        "(limit 10, deadline 2022-01-24)",
    )


def test_plan_ended_early_beside_a_plan_that_counts() -> None:
    plans = [plan("2021-03-01", "2021-03-03"), plan("2022-01-10")]
    result = run(CG, "2022-03-31", plans=plans, meetings=[cg("2022-01-20")])
    assert result.outcome == Outcome.MET
    assert "the plan 2021-03-01 ended 2021-03-03 before its core group was due" in text(result)


# ------------------------------------------------------------- options


def test_registered() -> None:
    assert REGISTRY["follow-up-timely"].Options is Options


def test_option_defaults_are_the_strategy_discussion_rule() -> None:
    options = Options()
    assert options.after == "referral"
    assert options.outcomes == ("strategy_discussion", "s47")
    assert options.meeting_types == ("strategy_discussion",)
    assert options.max_working_days == 2


def test_outcomes_with_plan_start_is_rejected() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == CG)
    rule["options"]["outcomes"] = ["s47"]
    with pytest.raises(StandardsError, match='"outcomes" applies only with "after: referral"'):
        built(data)


def test_unknown_meeting_type_is_rejected() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == CG)
    rule["options"]["meeting_types"] = ["core_grup"]
    with pytest.raises(StandardsError, match='unknown meeting type "core_grup"'):
        built(data)


def test_tokens_in_options_are_normalised() -> None:
    assert Options(outcomes=("S47",), meeting_types=("Strategy Discussion",)).outcomes == ("s47",)
