"""all-of: timely-work-with-family."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from timeliness_helpers import built, case, default_data, defaults, run, text

from cp_audit.checks import REGISTRY
from cp_audit.checks.all_of import DEFAULT_ALL_OF, Options
from cp_audit.results import Outcome
from cp_audit.run.engine import check_case, select_rules
from cp_audit.standards.spec import StandardsError

RULE = "timely-work-with-family"
OTHERS = (
    "icpc-timely, first-core-group-timely, core-groups-regular, review-conferences-timely, "
    "visits-timely"
)


def referral_case(discussion: str) -> dict[str, Any]:
    return {
        "referrals": [{"date": "2022-06-01", "source": "police", "outcome": "s47"}],
        "meetings": [{"type": "strategy_discussion", "date": discussion}],
    }


def plan_case() -> dict[str, Any]:
    return {
        "plans": [{"start": "2022-01-10", "category": "emotional_abuse"}],
        "meetings": [
            {"type": "strategy_discussion", "date": "2022-01-04"},
            {"type": "icpc", "date": "2022-01-10"},
            {"type": "core_group", "date": "2022-01-20"},
        ],
        "visits": [{"date": "2022-01-14", "seen": True}],
    }


def with_rule(data: dict[str, Any], rule_id: str, **changes: Any) -> dict[str, Any]:
    rule = next(r for r in data["rules"] if r["id"] == rule_id)
    rule.update(changes)
    return data


def test_met_when_the_only_rule_that_applies_is_met() -> None:
    result = run(RULE, "2022-09-30", **referral_case("2022-06-07"))
    assert result.outcome == Outcome.MET
    assert result.evidence == ("met: strategy-discussion-timely", f"not applicable: {OTHERS}")


def test_met_when_several_apply() -> None:
    result = run(RULE, "2022-01-24", **plan_case())
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "met: icpc-timely, first-core-group-timely, core-groups-regular, visits-timely",
        "not applicable: strategy-discussion-timely, review-conferences-timely",
    )


def test_not_met_names_the_rule_and_repeats_its_evidence() -> None:
    result = run(RULE, "2022-09-30", **referral_case("2022-06-08"))
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[0] == "not met: strategy-discussion-timely"
    assert result.evidence[1].startswith(
        "strategy-discussion-timely: strategy discussion 2022-06-08 was 3 working days after"
    )


def test_one_rule_not_met_among_several_met() -> None:
    record = plan_case()
    record["meetings"][2] = {"type": "core_group", "date": "2022-01-26"}  # 12 working days
    result = run(RULE, "2022-01-26", **record)
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[0] == "not met: first-core-group-timely"
    assert "first-core-group-timely: core group 2022-01-26 was 12 working days" in text(result)


def test_not_applicable_when_none_applies() -> None:
    result = run(RULE, "2022-09-30")
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == (f"none applies: strategy-discussion-timely, {OTHERS}",)


def test_rules_are_evaluated_whatever_the_selection() -> None:
    standards = defaults()
    the_case = case(**referral_case("2022-06-08"))
    rules = select_rules(standards, select=[RULE])
    result = check_case(the_case, standards, date(2022, 9, 30), rules)
    assert [r.rule for r in result.results] == [RULE]
    assert result.results[0].outcome == Outcome.NOT_MET
    ignoring = select_rules(standards, ignore=["strategy-discussion-timely"])
    result = check_case(the_case, standards, date(2022, 9, 30), ignoring)
    by_id = {r.rule: r for r in result.results}
    assert "strategy-discussion-timely" not in by_id
    assert by_id[RULE].outcome == Outcome.NOT_MET


def test_a_small_copy_with_rules_of_its_own() -> None:
    # A copy whose all_of names a rule of its own: reviews of a plan within a month.
    data = default_data()
    data["rules"].append({
        "id": "monthly-reviews", "theme": "timeliness", "kind": "worry", "title": "t",
        "check": "review-chain-timely",
        "options": {"meeting_types": ["core_group"], "first_months": 1, "then_months": 1},
    })
    with_rule(data, RULE, options={"all_of": ["first-core-group-timely", "monthly-reviews"]})
    standards = built(data)
    result = run(RULE, "2022-03-31", standards, **plan_case())
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence[0] == "not met: monthly-reviews"
    assert "no core group by its deadline 2022-02-20" in text(result)


def test_changing_all_of_in_a_copy_changes_the_outcome() -> None:
    data = with_rule(default_data(), RULE, options={"all_of": ["icpc-timely"]})
    result = run(RULE, "2022-09-30", built(data), **referral_case("2022-06-08"))
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("none applies: icpc-timely",)


def test_defaults_and_registry() -> None:
    assert REGISTRY["all-of"].Options is Options
    assert Options().all_of == DEFAULT_ALL_OF
    assert defaults().rule(RULE).options == Options()


@pytest.mark.parametrize(
    ("all_of", "message"),
    [
        (["icpc-timely", "visits-timly"],
         'rule "timely-work-with-family": option "all_of": no such rule "visits-timly" '
         '(did you mean "visits-timely"?)'),
        (["icpc-timely", RULE],
         'option "all_of": a rule must not list itself ("timely-work-with-family")'),
        ([], 'option "all_of"'),
    ],
    ids=["unknown rule", "itself", "empty"],
)
def test_bad_all_of_is_rejected(all_of: list[str], message: str) -> None:
    data = with_rule(default_data(), RULE, options={"all_of": all_of})
    with pytest.raises(StandardsError) as info:
        built(data)
    assert any(message in problem for problem in info.value.problems), info.value.problems


def test_a_loop_through_another_rule_is_rejected() -> None:
    data = default_data()
    data["rules"].append({
        "id": "timely-and-more", "theme": "timeliness", "kind": "good_practice", "title": "t",
        "check": "all-of", "options": {"all_of": [RULE, "icpc-timely"]},
    })
    with_rule(data, RULE, options={"all_of": ["icpc-timely", "timely-and-more"]})
    with pytest.raises(StandardsError) as info:
        built(data)
    assert (
        'rule "timely-work-with-family": option "all_of": "timely-and-more" leads back to '
        '"timely-work-with-family" through its own all_of'
    ) in info.value.problems


def test_another_all_of_rule_without_a_loop_is_fine() -> None:
    data = default_data()
    data["rules"].append({
        "id": "timely-and-more", "theme": "timeliness", "kind": "good_practice", "title": "t",
        "check": "all-of", "options": {"all_of": [RULE, "icpc-timely"]},
    })
    standards = built(data)
    result = run("timely-and-more", "2022-09-30", standards, **referral_case("2022-06-07"))
    assert result.outcome == Outcome.MET
    assert result.evidence == ("met: timely-work-with-family", "not applicable: icpc-timely")
