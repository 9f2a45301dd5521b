"""since-latest-timely: icpc-timely."""

from __future__ import annotations

from datetime import date

import pytest
from timeliness_helpers import built, case, default_data, defaults, run, text

from cp_audit.checks import REGISTRY
from cp_audit.checks.base import CaseView, Context
from cp_audit.checks.since_latest_timely import Options, check
from cp_audit.results import Outcome
from cp_audit.standards.spec import StandardsError

ICPC = "icpc-timely"


def meeting(kind: str, day: str) -> dict[str, str]:
    return {"type": kind, "date": day}


def test_icpc_within_15_working_days_is_met_over_the_state_funeral() -> None:
    result = run(ICPC, "2022-09-30", meetings=[
        meeting("strategy_discussion", "2022-09-05"), meeting("icpc", "2022-09-27")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "ICPC 2022-09-27 was 15 working days after the strategy discussion 2022-09-05 "
        "(limit 15, deadline 2022-09-27; not working days: 2022-09-19)",
    )


def test_icpc_late_is_not_met() -> None:
    result = run(ICPC, "2022-09-30", meetings=[
        meeting("strategy_discussion", "2022-04-26"), meeting("icpc", "2022-05-20")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "ICPC 2022-05-20 was 17 working days after the strategy discussion 2022-04-26 "
        "(limit 15, deadline 2022-05-18; not working days: 2022-05-02)",
    )


def test_no_icpc_is_not_applicable() -> None:
    result = run(ICPC, "2022-09-30", meetings=[meeting("strategy_discussion", "2022-04-26")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no ICPC by 2022-09-30",)


def test_icpc_without_a_discussion_before_it_is_not_counted() -> None:
    result = run(ICPC, "2022-09-30", meetings=[
        meeting("icpc", "2022-05-20"), meeting("strategy_discussion", "2022-05-23")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no strategy discussion on or before ICPC 2022-05-20",)


def test_icpc_on_the_day_of_its_discussion_is_met() -> None:
    result = run(ICPC, "2022-09-30", meetings=[
        meeting("strategy_discussion", "2022-05-03"), meeting("icpc", "2022-05-03")])
    assert result.outcome == Outcome.MET
    assert "ICPC 2022-05-03 was 0 working days after the strategy discussion 2022-05-03" in text(
        result
    )


def test_two_discussions_before_the_icpc_the_latest_counts() -> None:
    meetings = [
        meeting("strategy_discussion", "2022-03-01"),
        meeting("strategy_discussion", "2022-04-26"),
        meeting("icpc", "2022-05-18"),
    ]
    result = run(ICPC, "2022-09-30", meetings=meetings)
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "ICPC 2022-05-18 was 15 working days after the strategy discussion 2022-04-26 "
        "(limit 15, deadline 2022-05-18; not working days: 2022-05-02)",
    )


def test_a_later_discussion_does_not_rescue_a_late_icpc_after_it() -> None:
    meetings = [
        meeting("strategy_discussion", "2022-04-26"),
        meeting("icpc", "2022-05-20"),
        meeting("strategy_discussion", "2022-05-23"),
    ]
    assert run(ICPC, "2022-09-30", meetings=meetings).outcome == Outcome.NOT_MET


def test_icpc_after_the_as_of_date_is_not_read() -> None:
    result = run(ICPC, "2022-05-19", meetings=[
        meeting("strategy_discussion", "2022-04-26"), meeting("icpc", "2022-05-20")])
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_several_icpcs_name_the_late_one() -> None:
    meetings = [
        meeting("strategy_discussion", "2021-01-05"),
        meeting("icpc", "2021-01-20"),
        meeting("strategy_discussion", "2022-04-26"),
        meeting("icpc", "2022-05-20"),
    ]
    result = run(ICPC, "2022-09-30", meetings=meetings)
    assert result.outcome == Outcome.NOT_MET
    assert len(result.evidence) == 1
    assert result.evidence[0].startswith("ICPC 2022-05-20 was 17 working days")


def test_changing_max_working_days_in_a_copy_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == ICPC)
    rule["options"]["max_working_days"] = 20
    meetings = [meeting("strategy_discussion", "2022-04-26"), meeting("icpc", "2022-05-20")]
    assert run(ICPC, "2022-09-30", built(data), meetings=meetings).outcome == Outcome.MET


def test_the_check_function_directly() -> None:
    standards = defaults()
    view = CaseView(case(meetings=[
        meeting("strategy_discussion", "2022-04-26"), meeting("rcpc", "2022-05-20")]),
        date(2022, 9, 30))
    ctx = Context(date(2022, 9, 30), standards.calendar, {}, frozenset({"father"}),
                  evaluate=lambda rule_id: pytest.fail("not used"))
    result = check(view, Options(meeting_types=("rcpc",), max_working_days=18), ctx)
    assert result.outcome == Outcome.MET
    assert result.evidence[0].startswith("review conference 2022-05-20 was 17 working days")


def test_registered_and_defaults() -> None:
    assert REGISTRY["since-latest-timely"].Options is Options
    options = Options()
    assert (options.meeting_types, options.since_types, options.max_working_days) == (
        ("icpc",), ("strategy_discussion",), 15)


def test_unknown_meeting_type_is_rejected() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == ICPC)
    rule["options"]["since_types"] = ["strategy"]
    with pytest.raises(StandardsError, match='option "since_types": unknown meeting type'):
        built(data)
