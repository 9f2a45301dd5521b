"""The parts each default rule reads, as shared/default-standards.md "Parts each rule reads"
lists them (the table copied here as data), and every check type declares its parts."""

from __future__ import annotations

import pytest
from check_helpers import built, default_data

from cp_audit.case.coverage import PARTS
from cp_audit.checks import REGISTRY
from cp_audit.checks.all_of import DEFAULT_ALL_OF
from cp_audit.standards.spec import load

# rule: parts, from the contract's table (for timely-work-with-family: its all_of rules').
TABLE: dict[str, set[str]] = {
    "health-at-core-groups": {"core_groups", "participants"},
    "health-at-conferences": {"conferences", "participants"},
    "gp-report-to-conference": {"conferences", "participants"},
    "child-voice-regular": {"plans", "child_voice"},
    "child-seen-alone": {"plans", "visits"},
    "child-voice-in-recording": {"plans", "recording"},
    "father-invited-to-conferences": {"people", "conferences", "participants"},
    "father-in-assessments": {"people", "assessments"},
    "father-views-recorded": {"people", "plans", "recording", "conferences", "core_groups",
                              "participants"},
    "father-in-parenting-work": {"people", "plans", "actions"},
    "smart-actions": {"plans", "actions"},
    "re-referral-cycles": {"referrals", "step_downs"},
    "long-term-involvement": {"referrals", "plans"},
    "strategy-discussion-timely": {"referrals", "strategy_discussions"},
    "icpc-timely": {"strategy_discussions", "conferences"},
    "first-core-group-timely": {"plans", "core_groups"},
    "core-groups-regular": {"plans", "core_groups"},
    "review-conferences-timely": {"plans", "conferences"},
    "visits-timely": {"plans", "visits"},
    "tools-for-needs": {"needs", "tools"},
    "no-contradictory-flags": {"plans", "agency_records"},
    "plan-documents-available": {"agency_records"},
    "plan-visible-in-records": {"plans", "agency_records"},
    "minutes-in-agency-records": {"conferences", "agency_records"},
    "multi-agency-core-groups": {"core_groups", "participants"},
    "advocacy-at-conference": {"conferences", "participants"},
    "early-years-provider-linked": {"professionals", "conferences", "core_groups",
                                    "participants"},
    "consistent-social-worker": {"plans", "professionals"},
}
TABLE["timely-work-with-family"] = set().union(*(TABLE[r] for r in DEFAULT_ALL_OF))
PROVED_BY_EXAMPLE = {"gp-report-to-conference", "advocacy-at-conference",
                     "early-years-provider-linked"}

STANDARDS = load()


def test_the_table_names_every_default_rule() -> None:
    assert set(TABLE) == set(STANDARDS.by_id)


@pytest.mark.parametrize("rule_id", sorted(TABLE))
def test_each_default_rule_reads_the_parts_of_the_table(rule_id: str) -> None:
    assert STANDARDS.parts(rule_id) == TABLE[rule_id]


def test_the_three_rules_proved_by_one_example() -> None:
    proved = {rule.id for rule in STANDARDS.rules if rule.proved_by_example}
    assert proved == PROVED_BY_EXAMPLE


def test_every_check_type_declares_parts_of_the_closed_set() -> None:
    used = {rule.spec.check for rule in STANDARDS.rules}
    assert used == set(REGISTRY)  # so that the loop below reaches every type
    for rule in STANDARDS.rules:
        found = REGISTRY[rule.spec.check].parts(rule.options)
        assert isinstance(found, frozenset) and found <= set(PARTS), rule.id


def test_the_parts_follow_the_options() -> None:
    data = default_data(["health-at-core-groups", "core-groups-regular", "icpc-timely"])
    rules = {rule["id"]: rule["options"] for rule in data["rules"]}
    rules["health-at-core-groups"]["meeting_types"] = ["strategy_discussion", "icpc"]
    rules["core-groups-regular"]["entries"] = "child_voice"
    del rules["core-groups-regular"]["meeting_types"]
    rules["icpc-timely"]["since_types"] = ["core_group"]
    standards = built(data)
    assert standards.parts("health-at-core-groups") == {
        "strategy_discussions", "conferences", "participants"}
    assert standards.parts("core-groups-regular") == {"plans", "child_voice"}
    assert standards.parts("icpc-timely") == {"conferences", "core_groups"}
