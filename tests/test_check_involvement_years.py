"""involvement-years: long-term-involvement."""

from __future__ import annotations

from datetime import date

from people_helpers import build, default_data, run, run_with

from cp_audit.results import Outcome

AS_OF = date(2022, 9, 30)
RULE = "long-term-involvement"


def test_met() -> None:
    result = run(RULE, AS_OF, referrals=[{"date": "2021-11-01"}],
                 plans=[{"start": "2021-11-26", "category": "emo"}])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "earliest involvement 2021-11-01 (referral) is no more than 3 years before "
        "2022-09-30 (on or after 2019-09-30)",
    )


def test_not_met_from_involvement_start() -> None:
    result = run(RULE, AS_OF, involvement_start="2014-02-01",
                 plans=[{"start": "2021-11-26", "category": "emotional_abuse"}])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "earliest involvement 2014-02-01 (involvement_start) is more than 3 years before "
        "2022-09-30 (before 2019-09-30)",
    )


def test_plan_start_counts() -> None:
    result = run(RULE, AS_OF, plans=[{"start": "2019-09-29", "category": "neglect"}])
    assert result.outcome == Outcome.NOT_MET
    assert "2019-09-29 (plan start)" in result.evidence[0]


def test_exactly_max_years_is_met() -> None:
    assert run(RULE, AS_OF, referrals=[{"date": "2019-09-30"}]).outcome == Outcome.MET
    assert run(RULE, AS_OF, referrals=[{"date": "2019-09-29"}]).outcome == Outcome.NOT_MET


def test_29_february() -> None:
    leap = date(2024, 2, 29)
    assert run(RULE, leap, referrals=[{"date": "2021-02-28"}]).outcome == Outcome.MET
    late = run(RULE, leap, referrals=[{"date": "2021-02-27"}])
    assert late.outcome == Outcome.NOT_MET
    assert "(before 2021-02-28)" in late.evidence[0]
    # involvement from 29 February: three years later, 28 February is the last day met
    since = {"involvement_start": "2020-02-29"}
    assert run(RULE, date(2023, 2, 28), **since).outcome == Outcome.MET
    assert run(RULE, date(2023, 3, 1), **since).outcome == Outcome.NOT_MET


def test_dates_after_as_of_are_not_read() -> None:
    record = {"involvement_start": "2022-10-01", "referrals": [{"date": "2022-10-02"}],
              "plans": [{"start": "2022-10-03", "category": "neglect"}]}
    result = run(RULE, AS_OF, **record)
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no involvement_start, referral or plan by 2022-09-30",)


def test_not_applicable() -> None:
    result = run(RULE, AS_OF, step_downs=[{"date": "2010-01-01"}])
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_max_years_option_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    assert rule["options"] == {"max_years": 3}
    rule["options"]["max_years"] = 10
    record = {"involvement_start": "2014-02-01"}
    assert run(RULE, AS_OF, **record).outcome == Outcome.NOT_MET
    assert run_with(build(data), RULE, AS_OF, **record).outcome == Outcome.MET
