"""voice-in-recording: child-voice-in-recording."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from meetings_helpers import STANDARDS, build, default_data, rule_data, run

from cp_audit.checks import REGISTRY
from cp_audit.checks.voice_in_recording import Options
from cp_audit.results import Outcome
from cp_audit.standards.spec import StandardsError

AS_OF = date(2022, 6, 30)
PLAN = {"start": "2022-01-10", "category": "emotional_abuse"}
MUM = {"id": "mum", "relationship": "mother"}
DAD = {"id": "dad", "relationship": "father"}


def entry(day: str, *views_of: str) -> dict[str, Any]:
    return {"date": day, "agency": "social_care", "views_of": list(views_of)}


def test_registered_and_used() -> None:
    assert REGISTRY["voice-in-recording"].Options is Options
    assert STANDARDS.rule("child-voice-in-recording").check is REGISTRY["voice-in-recording"]
    options = Options()
    assert (options.min_ratio, options.min_entries, options.subject) == (0.5, 4, "child")


def test_met_at_exactly_the_ratio() -> None:
    result = run("child-voice-in-recording", AS_OF, people=[MUM, DAD], plans=[PLAN],
                 recording=[entry("2022-01-11", "mum", "child"), entry("2022-01-18", "mum", "dad"),
                            entry("2022-01-25", "mum"), entry("2022-02-01", "mum", "child")])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "child named in 2 of 4 recording entries during a plan; most-recorded other person mum "
        "in 4 (ratio 0.50; at least 0.5 needed)",
        "child named: 2022-01-11, 2022-02-01",
    )


def test_not_met_when_the_mother_dominates() -> None:
    result = run("child-voice-in-recording", AS_OF, people=[MUM], plans=[PLAN],
                 recording=[entry("2022-01-11", "mum"), entry("2022-01-18", "mum"),
                            entry("2022-01-25", "mum"), entry("2022-02-01", "mum")])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "child named in 0 of 4 recording entries during a plan; most-recorded other person mum "
        "in 4 (ratio 0.00; at least 0.5 needed)",
        "child named: never",
    )


def test_ids_differing_in_case_are_different_people() -> None:
    # `Mum` and `mum` are two people with 2 entries each: the child's 1 is half of 2.
    people = [MUM, {"id": "Mum", "relationship": "grandparent"}]
    record: dict[str, Any] = {
        "people": people,
        "plans": [PLAN],
        "recording": [entry("2022-01-11", "mum"), entry("2022-01-18", "Mum"),
                      entry("2022-01-25", "mum", "child"), entry("2022-02-01", "Mum")],
    }
    result = run("child-voice-in-recording", AS_OF, **record)
    assert result.outcome == Outcome.MET
    assert "most-recorded other person Mum in 2 (ratio 0.50" in result.evidence[0]


def test_an_id_twice_in_one_entry_counts_once() -> None:
    result = run("child-voice-in-recording", AS_OF, people=[MUM], plans=[PLAN],
                 recording=[entry("2022-01-11", "mum", "mum", "child"), entry("2022-01-18", "mum"),
                            entry("2022-01-25", "child"), entry("2022-02-01", "mum")])
    assert result.outcome == Outcome.MET
    assert "most-recorded other person mum in 3 (ratio 0.67" in result.evidence[0]


def test_met_when_nobody_else_is_named() -> None:
    result = run("child-voice-in-recording", AS_OF, plans=[PLAN],
                 recording=[entry(f"2022-02-0{n}", "child") for n in range(1, 5)])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "child named in 4 of 4 recording entries during a plan; no one else named",
    )


def test_entries_outside_plans_and_without_views_are_not_counted() -> None:
    plan = {**PLAN, "end": "2022-03-31"}
    result = run("child-voice-in-recording", AS_OF, people=[MUM], plans=[plan],
                 recording=[entry("2021-12-01", "mum"), entry("2022-01-11"),
                            entry("2022-01-18", "mum"), entry("2022-01-25", "mum"),
                            entry("2022-02-01", "mum"), entry("2022-04-10", "child")])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == (
        "3 recording entries with views during a plan by 2022-06-30 (fewer than 4)",
    )


def test_not_applicable_without_a_plan() -> None:
    result = run("child-voice-in-recording", AS_OF, people=[MUM],
                 recording=[entry(f"2022-02-0{n}", "mum") for n in range(1, 6)])
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_options_in_a_copy_of_the_yaml() -> None:
    record: dict[str, Any] = {
        "people": [MUM], "plans": [PLAN],
        "recording": [entry("2022-01-11", "mum", "child"), entry("2022-01-18", "mum"),
                      entry("2022-01-25", "mum")],
    }
    assert run("child-voice-in-recording", AS_OF, **record).outcome == Outcome.NOT_APPLICABLE
    data = default_data()
    rule_data(data, "child-voice-in-recording")["options"].update(min_entries=3, min_ratio=0.25)
    result = run("child-voice-in-recording", AS_OF, build(data), **record)
    assert result.outcome == Outcome.MET
    assert "(ratio 0.33; at least 0.25 needed)" in result.evidence[0]


def test_bad_option() -> None:
    data = default_data()
    rule_data(data, "child-voice-in-recording")["options"]["min_ratio"] = -1
    with pytest.raises(StandardsError) as info:
        build(data)
    assert any('option "min_ratio"' in p for p in info.value.problems)
