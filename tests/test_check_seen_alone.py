"""seen-alone: child-seen-alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from meetings_helpers import STANDARDS, build, default_data, rule_data, run

from cp_audit.checks import REGISTRY
from cp_audit.checks.seen_alone import Options
from cp_audit.results import Outcome
from cp_audit.standards.spec import StandardsError

AS_OF = date(2022, 6, 30)
PLAN = {"start": "2022-01-10", "category": "emotional_abuse"}


def visit(day: str, seen: bool = True, alone: bool | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": day, "seen": seen}
    if alone is not None:
        entry["seen_alone"] = alone
    return entry


def test_registered_and_used() -> None:
    assert REGISTRY["seen-alone"].Options is Options
    assert STANDARDS.rule("child-seen-alone").check is REGISTRY["seen-alone"]
    assert Options().min_share == 0.5


def test_met_at_exactly_half() -> None:
    result = run("child-seen-alone", AS_OF, plans=[PLAN],
                 visits=[visit("2022-01-12", alone=True), visit("2022-01-24"),
                         visit("2022-02-07", seen=False, alone=False)])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "seen alone on 1 of 2 seen visits during a plan (50%; at least 50% needed)",
        "seen alone: 2022-01-12",
        "seen_alone not recorded: 2022-01-24",
    )


def test_not_met_and_visits_outside_plans_ignored() -> None:
    plan = {**PLAN, "end": "2022-05-31"}
    result = run("child-seen-alone", AS_OF, plans=[plan],
                 visits=[visit("2021-12-20", alone=True), visit("2022-01-12", alone=False),
                         visit("2022-03-01", alone=True), visit("2022-04-01", alone=False),
                         visit("2022-06-10", alone=True)])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "seen alone on 1 of 3 seen visits during a plan (33%; at least 50% needed)",
        "seen alone: 2022-03-01",
        "not seen alone: 2022-01-12, 2022-04-01",
    )


def test_visits_after_the_as_of_date_are_not_read() -> None:
    result = run("child-seen-alone", date(2022, 1, 20), plans=[PLAN],
                 visits=[visit("2022-01-12", alone=True), visit("2022-01-24", alone=False),
                         visit("2022-02-01", alone=False)])
    assert result.outcome == Outcome.MET
    assert result.evidence[0].startswith("seen alone on 1 of 1 seen visits")


def test_several_plans() -> None:
    first = {"start": "2020-01-06", "end": "2020-06-30", "category": "neglect"}
    result = run("child-seen-alone", AS_OF, plans=[first, PLAN],
                 visits=[visit("2020-02-01", alone=True), visit("2022-02-01", alone=False)])
    assert result.outcome == Outcome.MET
    assert "seen alone: 2020-02-01" in result.evidence


@pytest.mark.parametrize(
    "record",
    [
        {"visits": [visit("2022-01-12", alone=True)]},  # no plan
        {"plans": [PLAN], "visits": [visit("2022-01-12", seen=False)]},
        {"plans": [PLAN]},
    ],
)
def test_not_applicable(record: dict[str, Any]) -> None:
    result = run("child-seen-alone", AS_OF, **record)
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("no visit with the child seen during a plan by 2022-06-30",)


def test_min_share_in_a_copy_of_the_yaml() -> None:
    record: dict[str, Any] = {"plans": [PLAN], "visits": [visit("2022-01-12", alone=True),
                                                          visit("2022-01-24")]}
    data = default_data()
    rule_data(data, "child-seen-alone")["options"]["min_share"] = 0.75
    result = run("child-seen-alone", AS_OF, build(data), **record)
    assert result.outcome == Outcome.NOT_MET
    assert "(50%; at least 75% needed)" in result.evidence[0]


def test_bad_min_share() -> None:
    data = default_data()
    rule_data(data, "child-seen-alone")["options"]["min_share"] = 1.5
    with pytest.raises(StandardsError) as info:
        build(data)
    assert any('option "min_share"' in p for p in info.value.problems)
