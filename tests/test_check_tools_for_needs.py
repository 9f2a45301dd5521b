"""tools-for-needs: tools-for-needs."""

from __future__ import annotations

from datetime import date

import pytest
from people_helpers import build, default_data, run, run_with
from pydantic import ValidationError

from cp_audit.checks.tools_for_needs import Options
from cp_audit.results import Outcome

AS_OF = date(2022, 9, 30)
RULE = "tools-for-needs"


def child(*needs: str) -> dict[str, object]:
    return {"age_years": 6, "needs": list(needs)}


def test_met() -> None:
    result = run(RULE, AS_OF, child=child("Domestic Abuse", "neglect", "adhd"),
                 tools=[{"name": "dash", "date": "2021-11-10", "by": "police_officer"},
                        {"name": "GCP2"}])
    assert result.outcome == Outcome.MET
    assert result.evidence == (
        "neglect: gcp2 (undated)",
        "domestic_abuse: dash 2021-11-10 by police_officer",
    )


def test_not_met() -> None:
    result = run(RULE, AS_OF, child=child("neglect", "domestic_abuse"),
                 tools=[{"name": "dash_ric", "date": "2021-11-10"}])
    assert result.outcome == Outcome.NOT_MET
    assert result.evidence == (
        "neglect: no graded_care_profile_2 or gcp2 tool by 2022-09-30",
        "domestic_abuse: dash_ric 2021-11-10",
    )


def test_tool_dated_after_as_of_does_not_count_but_on_it_does() -> None:
    record = {"child": child("neglect"),
              "tools": [{"name": "graded_care_profile_2", "date": "2022-09-30"}]}
    assert run(RULE, AS_OF, **record).outcome == Outcome.MET
    assert run(RULE, date(2022, 9, 29), **record).outcome == Outcome.NOT_MET


def test_not_applicable() -> None:
    result = run(RULE, AS_OF, child=child("adhd"), tools=[{"name": "dash"}])
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.evidence == ("the child has none of the needs neglect, domestic_abuse",)
    no_needs = run(RULE, AS_OF, child={"date_of_birth": "2015-06-14"})
    assert no_needs.outcome == Outcome.NOT_APPLICABLE


def test_mapping_option_changes_the_outcome() -> None:
    data = default_data()
    rule = next(r for r in data["rules"] if r["id"] == RULE)
    rule["options"]["needs_to_tools"]["parental_mental_health"] = ["Family Star"]
    record = {"child": child("parental_mental_health")}
    assert run(RULE, AS_OF, **record).outcome == Outcome.NOT_APPLICABLE
    changed = run_with(build(data), RULE, AS_OF, **record)
    assert changed.outcome == Outcome.NOT_MET
    assert changed.evidence == (
        "parental_mental_health: no family_star tool by 2022-09-30",
    )


def test_options_validation() -> None:
    assert Options().needs_to_tools == {
        "neglect": ("graded_care_profile_2", "gcp2"),
        "domestic_abuse": ("dash", "dash_ric"),
    }
    with pytest.raises(ValidationError):
        Options.model_validate({"needs_to_tools": {"neglect": []}})
