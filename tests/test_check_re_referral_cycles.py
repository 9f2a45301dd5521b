"""re-referral-cycles: re-referral-cycles."""

from __future__ import annotations

from datetime import date

import pytest
from people_helpers import build, default_data, run, run_with
from pydantic import ValidationError

from cp_audit.checks.re_referral_cycles import Options
from cp_audit.results import Outcome

AS_OF = date(2022, 9, 30)
RULE = "re-referral-cycles"


def sd(day: str) -> dict[str, str]:
    return {"date": day, "to": "early_help"}


def ref(day: str) -> dict[str, str]:
    return {"date": day, "outcome": "cin"}


def test_one_cycle_is_met() -> None:
    result = run(RULE, AS_OF, step_downs=[sd("2019-09-30")],
                 referrals=[ref("2019-03-02"), ref("2020-03-02")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "1 cycle of re-referral after 1 step-down (fewer than 2)",
        "cycle: step-down 2019-09-30 followed by referral 2020-03-02 "
        "(within 12 months, by 2020-09-30)",
    )


def test_two_cycles_exactly_twelve_months_is_within() -> None:
    result = run(RULE, AS_OF, step_downs=[sd("2020-10-01"), sd("2019-09-30")],
                 referrals=[ref("2021-10-01"), ref("2020-09-30")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "2 cycles of re-referral after 2 step-downs (at least 2)",
        "cycle: step-down 2019-09-30 followed by referral 2020-09-30 "
        "(within 12 months, by 2020-09-30)",
        "cycle: step-down 2020-10-01 followed by referral 2021-10-01 "
        "(within 12 months, by 2021-10-01)",
    )


def test_twelve_months_and_a_day_is_not_a_cycle() -> None:
    result = run(RULE, AS_OF, step_downs=[sd("2019-09-30"), sd("2020-10-01")],
                 referrals=[ref("2020-03-02"), ref("2021-10-02")])
    assert result.outcome == Outcome.MET
    assert ("step-down 2020-10-01: no referral after it within 12 months (by 2021-10-01)"
            in result.evidence)


def test_referral_on_the_step_down_day_is_not_after_it() -> None:
    result = run(RULE, AS_OF, step_downs=[sd("2019-09-30"), sd("2020-10-01")],
                 referrals=[ref("2019-09-30"), ref("2020-10-01"), ref("2021-01-05")])
    # 2019-09-30 is on the first step-down's day; 2020-10-01 is on the second one's
    # (so not before it, and not after it): one cycle only, from the second step-down.
    assert result.outcome == Outcome.MET
    assert result.evidence[0] == "1 cycle of re-referral after 2 step-downs (fewer than 2)"
    assert ("step-down 2019-09-30: no referral after it within 12 months (by 2020-09-30) "
            "or before the next step-down 2020-10-01") in result.evidence


def test_referral_must_come_before_the_next_step_down() -> None:
    # Both referrals fall after the second step-down: each step-down makes at most one cycle.
    result = run(RULE, AS_OF, step_downs=[sd("2020-01-10"), sd("2020-02-10")],
                 referrals=[ref("2020-03-01"), ref("2020-04-01")])
    assert result.outcome == Outcome.MET
    assert result.evidence[0] == "1 cycle of re-referral after 2 step-downs (fewer than 2)"


def test_month_end_limit() -> None:
    # 12 months after 29 February 2020 is 28 February 2021.
    inside = run(RULE, AS_OF, step_downs=[sd("2020-02-29"), sd("2021-06-01")],
                 referrals=[ref("2021-02-28"), ref("2021-07-01")])
    assert inside.outcome == Outcome.NOT_MET
    outside = run(RULE, AS_OF, step_downs=[sd("2020-02-29"), sd("2021-06-01")],
                  referrals=[ref("2021-03-01"), ref("2021-07-01")])
    assert outside.outcome == Outcome.MET


def test_items_after_as_of_are_not_read() -> None:
    record = {"step_downs": [sd("2019-09-30"), sd("2020-10-01")],
              "referrals": [ref("2020-03-02"), ref("2021-01-05")]}
    assert run(RULE, date(2021, 1, 4), **record).outcome == Outcome.MET
    assert run(RULE, date(2021, 1, 5), **record).outcome == Outcome.NOT_MET
    before = run(RULE, date(2019, 9, 29), **record)
    assert before.outcome == Outcome.NOT_APPLICABLE


def test_not_applicable_without_step_down() -> None:
    result = run(RULE, AS_OF, referrals=[ref("2021-11-01")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no step-down by 2022-09-30",)


def test_options_change_the_outcome() -> None:
    record = {"step_downs": [sd("2019-09-30")], "referrals": [ref("2020-03-02")]}
    assert run(RULE, AS_OF, **record).outcome == Outcome.MET
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    assert rule["options"] == {"min_cycles": 2, "within_months": 12}
    rule["options"]["min_cycles"] = 1
    assert run_with(build(data), RULE, AS_OF, **record).outcome == Outcome.NOT_MET
    rule["options"]["within_months"] = 3
    assert run_with(build(data), RULE, AS_OF, **record).outcome == Outcome.MET


def test_options_validation() -> None:
    assert Options() == Options(min_cycles=2, within_months=12)
    with pytest.raises(ValidationError):
        Options(min_cycles=0)
