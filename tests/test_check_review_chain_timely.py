"""review-chain-timely: review-conferences-timely."""

from __future__ import annotations

import pytest
from timeliness_helpers import built, default_data, run, text

from cp_audit.checks import REGISTRY
from cp_audit.checks.review_chain_timely import Options
from cp_audit.results import Outcome
from cp_audit.standards.spec import StandardsError

RULE = "review-conferences-timely"


def rcpc(day: str) -> dict[str, str]:
    return {"type": "rcpc", "date": day}


def plan(start: str, end: str | None = None) -> dict[str, str | None]:
    return {"start": start, "end": end, "category": "emotional_abuse"}


def test_reviews_in_time_are_met() -> None:
    result = run(RULE, "2022-12-31", plans=[plan("2022-01-10")],
                 meetings=[rcpc("2022-04-07"), rcpc("2022-10-06")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "plan 2022-01-10: review conference 2022-04-07 on or before its deadline 2022-04-10 "
        "(3 months after the plan's start 2022-01-10)",
        "plan 2022-01-10: review conference 2022-10-06 on or before its deadline 2022-10-07 "
        "(6 months after the review conference 2022-04-07)",
        "plan 2022-01-10: next review conference not yet due: deadline 2023-04-06 (6 months "
        "after the review conference 2022-10-06) is after the as-of date 2022-12-31",
    )


def test_review_on_its_deadline_is_in_time() -> None:
    # 3 months after 30 November 2022 is 28 February 2023.
    result = run(RULE, "2023-03-31", plans=[plan("2022-11-30")], meetings=[rcpc("2023-02-28")])
    assert result.outcome == Outcome.MET
    assert "deadline 2023-02-28" in text(result)


def test_late_review_is_not_met_and_the_next_deadline_follows_from_it() -> None:
    # Deadline 2022-04-10; held 2022-04-20; the next deadline is 2022-10-20, not 2022-10-10.
    result = run(RULE, "2022-12-31", plans=[plan("2022-01-10")],
                 meetings=[rcpc("2022-04-20"), rcpc("2022-10-15")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2022-01-10: review conference 2022-04-20 was 10 days after its deadline "
        "2022-04-10 (3 months after the plan's start 2022-01-10)",
    )


def test_second_review_late_after_a_late_first_one() -> None:
    result = run(RULE, "2022-12-31", plans=[plan("2022-01-10")],
                 meetings=[rcpc("2022-04-20"), rcpc("2022-10-21")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[1] == (
        "plan 2022-01-10: review conference 2022-10-21 was 1 day after its deadline 2022-10-20 "
        "(6 months after the review conference 2022-04-20)"
    )


def test_review_not_held_by_a_deadline_inside_the_period() -> None:
    result = run(RULE, "2022-03-31", plans=[plan("2021-11-30")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan 2021-11-30: no review conference by its deadline 2022-02-28 (3 months after "
        "the plan's start 2021-11-30)",
    )


def test_second_review_not_held() -> None:
    result = run(RULE, "2022-12-31", plans=[plan("2022-01-10")], meetings=[rcpc("2022-04-07")])
    assert result.outcome == Outcome.NOT_MET
    assert "no review conference by its deadline 2022-10-07" in text(result)


def test_review_held_after_the_plan_ended_is_not_in_the_period() -> None:
    result = run(RULE, "2022-12-31", plans=[plan("2022-01-10", "2022-05-01")],
                 meetings=[rcpc("2022-05-02")])
    assert result.outcome == Outcome.NOT_MET
    assert "no review conference by its deadline 2022-04-10" in text(result)


def test_deadline_on_the_as_of_date_is_due() -> None:
    assert run(RULE, "2022-04-10", plans=[plan("2022-01-10")]).outcome == Outcome.NOT_MET
    assert run(RULE, "2022-04-09", plans=[plan("2022-01-10")]).outcome == Outcome.NOT_APPLICABLE


def test_as_of_before_the_first_deadline_is_not_applicable() -> None:
    result = run(RULE, "2022-10-31", plans=[plan("2022-09-01")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == (
        "plan 2022-09-01: next review conference not yet due: deadline 2022-12-01 (3 months "
        "after the plan's start 2022-09-01) is after the as-of date 2022-10-31",
    )


def test_plan_ended_before_its_first_deadline_is_not_applicable() -> None:
    result = run(RULE, "2022-12-31", plans=[plan("2022-01-10", "2022-03-01")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert "is after the plan's end 2022-03-01" in text(result)


def test_review_on_the_plans_start_is_not_after_it() -> None:
    result = run(RULE, "2022-05-31", plans=[plan("2022-01-10")], meetings=[rcpc("2022-01-10")])
    assert result.outcome == Outcome.NOT_MET


def test_no_plan_is_not_applicable() -> None:
    result = run(RULE, "2022-12-31", meetings=[rcpc("2022-04-07")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan by 2022-12-31",)


def test_several_plans_each_with_its_own_chain() -> None:
    plans = [plan("2021-01-04", "2021-08-31"), plan("2022-01-10")]
    met = run(RULE, "2022-06-30", plans=plans,
              meetings=[rcpc("2021-03-30"), rcpc("2022-04-07")])
    assert met.outcome == Outcome.MET
    assert met.evidence[0].startswith("plan 2021-01-04: review conference 2021-03-30")
    assert met.evidence[1].startswith("plan 2021-01-04: next review conference not yet due")
    assert "after the plan's end 2021-08-31" in met.evidence[1]
    late = run(RULE, "2022-06-30", plans=plans,
               meetings=[rcpc("2021-04-30"), rcpc("2022-04-07")])
    assert late.outcome == Outcome.NOT_MET
    assert late.evidence == (
        "plan 2021-01-04: review conference 2021-04-30 was 26 days after its deadline "
        "2021-04-04 (3 months after the plan's start 2021-01-04)",
    )


def test_changing_first_months_in_a_copy_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    rule["options"]["first_months"] = 4
    kwargs = {"plans": [plan("2022-01-10")], "meetings": [rcpc("2022-04-20")]}
    assert run(RULE, "2022-06-30", **kwargs).outcome == Outcome.NOT_MET
    assert run(RULE, "2022-06-30", built(data), **kwargs).outcome == Outcome.MET


def test_registered_and_defaults() -> None:
    assert REGISTRY["review-chain-timely"].Options is Options
    options = Options()
    assert (options.meeting_types, options.first_months, options.then_months) == (
        ("rcpc",), 3, 6)


def test_zero_months_is_rejected() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    rule["options"]["then_months"] = 0
    with pytest.raises(StandardsError, match='option "then_months"'):
        built(data)
