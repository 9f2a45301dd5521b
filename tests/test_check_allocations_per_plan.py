"""allocations-per-plan: consistent-social-worker."""

from __future__ import annotations

from datetime import date

from people_helpers import build, default_data, run, run_with

from cp_audit.results import Outcome

AS_OF = date(2022, 9, 30)
RULE = "consistent-social-worker"


def sw(start: str | None = None, end: str | None = None, **more: str) -> dict[str, object]:
    entry: dict[str, object] = {"role": "social_worker", **more}
    if start:
        entry["from"] = start
    if end:
        entry["to"] = end
    return entry


def test_met_one_change() -> None:
    result = run(RULE, AS_OF, plans=[{"start": "2021-11-26", "category": "emo"}],
                 professionals=[sw("2021-11-01", "2022-02-14", agency="social_care"),
                                sw("2022-02-15"),
                                {"role": "health_visitor", "from": "2021-01-01"}])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "plan period 2021-11-26 to 2022-09-30: 2 allocations (at most 2): "
        "social_worker (social_care) from 2021-11-01 to 2022-02-14; "
        "social_worker from 2022-02-15 onwards",
    )


def test_not_met_three_including_one_without_agency_or_dates() -> None:
    result = run(RULE, AS_OF, plans=[{"start": "2021-11-26", "category": "emo"}],
                 professionals=[sw("2021-11-01", "2022-01-14", agency="social_care"),
                                sw("2022-01-15", "2022-04-30", agency="social_care"),
                                sw()])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "plan period 2021-11-26 to 2022-09-30: 3 allocations (more than 2): "
        "social_worker (no dates); "
        "social_worker (social_care) from 2021-11-01 to 2022-01-14; "
        "social_worker (social_care) from 2022-01-15 to 2022-04-30",
    )


def test_two_plans_with_two_social_workers_each() -> None:
    plans = [{"start": "2020-01-06", "end": "2020-12-31", "category": "neglect"},
             {"start": "2021-11-26", "category": "emotional_abuse"}]
    workers = [sw("2020-01-01", "2020-06-30"), sw("2020-07-01", "2021-01-31"),
               sw("2021-11-01", "2022-02-14"), sw("2022-02-15")]
    result = run(RULE, AS_OF, plans=plans, professionals=workers)
    assert result.outcome == Outcome.MET
    assert [e.split(":")[0] for e in result.evidence] == [
        "plan period 2020-01-06 to 2020-12-31",
        "plan period 2021-11-26 to 2022-09-30",
    ]
    # a worker spanning both plans counts in each: three in the second plan
    spanning = [sw("2020-01-01", "2020-06-30"), sw("2020-07-01", "2022-01-31"),
                sw("2022-02-01", "2022-02-14"), sw("2022-02-15")]
    result = run(RULE, AS_OF, plans=plans, professionals=spanning)
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[0].startswith(
        "plan period 2021-11-26 to 2022-09-30: 3 allocations (more than 2)"
    )


def test_entry_from_after_as_of_is_ignored() -> None:
    record = {"plans": [{"start": "2021-11-26", "category": "emo"}],
              "professionals": [sw("2021-11-01", "2022-01-14"), sw("2022-01-15", "2022-09-30"),
                                sw("2022-10-01")]}
    assert run(RULE, AS_OF, **record).outcome == Outcome.MET
    assert run(RULE, date(2022, 10, 1), **record).outcome == Outcome.NOT_MET


def test_boundaries_of_overlap() -> None:
    plan = [{"start": "2021-11-26", "end": "2022-03-31", "category": "emo"}]
    # ends the day before the plan, starts the day after it ended: neither overlaps
    outside = run(RULE, AS_OF, plans=plan,
                  professionals=[sw("2021-01-01", "2021-11-25"), sw("2022-04-01")])
    assert outside.outcome == Outcome.NOT_APPLICABLE
    assert outside.evidence == ("no social_worker allocation during a plan period",)
    # ending on the start day and starting on the end day both overlap, as does an open one
    edges = run(RULE, AS_OF, plans=plan,
                professionals=[sw("2021-01-01", "2021-11-26"), sw("2022-03-31"), sw(None, None)])
    assert edges.outcome == Outcome.NOT_MET


def test_not_applicable_without_plan() -> None:
    result = run(RULE, AS_OF, professionals=[sw("2021-11-01")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no plan period by 2022-09-30",)


def test_options_change_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    assert rule["options"] == {"roles": ["social_worker"], "max_allocations": 2}
    record = {"plans": [{"start": "2021-11-26", "category": "emo"}],
              "professionals": [sw("2021-11-01", "2022-02-14"), sw("2022-02-15"),
                                {"role": "Health Visitor", "from": "2021-01-01",
                                 "to": "2022-01-01"},
                                {"role": "school_nurse", "from": "2022-01-02"}]}
    assert run(RULE, AS_OF, **record).outcome == Outcome.MET
    rule["options"]["max_allocations"] = 1
    assert run_with(build(data), RULE, AS_OF, **record).outcome == Outcome.NOT_MET
    rule["options"] = {"roles": ["@health"], "max_allocations": 2}
    health = run_with(build(data), RULE, AS_OF, **record)
    assert health.outcome == Outcome.MET
    assert "health_visitor from 2021-01-01 to 2022-01-01" in health.evidence[0]
