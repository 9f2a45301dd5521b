"""agency-record-flags: no-contradictory-flags."""

from __future__ import annotations

from datetime import date

from people_helpers import build, default_data, run, run_with

from cp_audit.results import Outcome

AS_OF = date(2022, 9, 30)
RULE = "no-contradictory-flags"
PLAN = {"start": "2021-11-26", "category": "emotional_abuse"}


def gp(*flags: dict[str, object], **fields: object) -> dict[str, object]:
    return {"agency": "gp", "flags": list(flags), **fields}


def flag(**dates: str) -> dict[str, object]:
    return {"flag": "no_safeguarding_concerns", **dates}


def test_flag_ending_before_the_plan_is_met() -> None:
    result = run(RULE, AS_OF, plans=[PLAN],
                 agency_records=[gp(flag(**{"from": "2018-05-01", "to": "2021-11-25"}))])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "no no_safeguarding_concerns flag on any agency record during plan period "
        "2021-11-26 to 2022-09-30",
        "flag no_safeguarding_concerns on the gp record (from 2018-05-01, to 2021-11-25) "
        "not set during any plan period",
    )


def test_flag_ending_on_the_plan_start_overlaps() -> None:
    result = run(RULE, AS_OF, plans=[PLAN],
                 agency_records=[gp(flag(**{"from": "2018-05-01", "to": "2021-11-26"}))])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "flag no_safeguarding_concerns on the gp record (from 2018-05-01, to 2021-11-26) "
        "set during plan period 2021-11-26 to 2022-09-30",
    )


def test_flag_without_dates_is_open_ended() -> None:
    result = run(RULE, AS_OF, plans=[PLAN],
                 agency_records=[gp({"flag": "No Safeguarding Concerns", "to": None},
                                    system="connecting_care")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "flag no_safeguarding_concerns on the gp record (connecting_care) "
        "(no start date, open-ended) set during plan period 2021-11-26 to 2022-09-30",
    )


def test_flag_set_after_the_plan_ended_or_after_as_of() -> None:
    ended = {**PLAN, "end": "2022-03-31"}
    after_end = run(RULE, AS_OF, plans=[ended], agency_records=[gp(flag(**{"from": "2022-04-01"}))])
    assert after_end.outcome == Outcome.MET
    after_as_of = run(RULE, AS_OF, plans=[PLAN],
                      agency_records=[gp(flag(**{"from": "2022-10-01"}))])
    assert after_as_of.outcome == Outcome.MET
    on_as_of = run(RULE, AS_OF, plans=[PLAN], agency_records=[gp(flag(**{"from": "2022-09-30"}))])
    assert on_as_of.outcome == Outcome.NOT_MET


def test_second_plan_period_and_other_flags() -> None:
    plans = [{**PLAN, "end": "2022-01-31"}, {"start": "2022-06-01", "category": "neglect"}]
    records = [
        {"agency": "police", "flags": [{"flag": "domestic_abuse_marker"}]},
        gp(flag(**{"from": "2022-05-01", "to": "2022-06-01"})),
    ]
    result = run(RULE, AS_OF, plans=plans, agency_records=records)
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "flag no_safeguarding_concerns on the gp record (from 2022-05-01, to 2022-06-01) "
        "set during plan period 2022-06-01 to 2022-09-30",
    )


def test_no_flags_at_all_is_met() -> None:
    result = run(RULE, AS_OF, plans=[PLAN], agency_records=[{"agency": "gp"}])
    assert result.outcome == Outcome.MET


def test_not_applicable_without_plan_period() -> None:
    result = run(RULE, date(2021, 11, 25), plans=[PLAN], agency_records=[gp(flag())])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan period by 2021-11-25",)


def test_flags_option_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    assert rule["options"] == {"flags": ["no_safeguarding_concerns"]}
    rule["options"]["flags"] = ["no_concerns"]
    record = {"plans": [PLAN], "agency_records": [gp(flag())]}
    assert run(RULE, AS_OF, **record).outcome == Outcome.NOT_MET
    assert run_with(build(data), RULE, AS_OF, **record).outcome == Outcome.MET
