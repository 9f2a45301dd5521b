"""Helpers for the tests of the meeting-participation, no-long-stretch, seen-alone and
voice-in-recording check types."""

from __future__ import annotations

from datetime import date
from typing import Any

import check_helpers
from check_helpers import built as build
from check_helpers import text

from cp_audit.case.model import Case
from cp_audit.results import CheckResult
from cp_audit.run.engine import evaluate_rule
from cp_audit.standards import spec as standards_module

RULES = (
    "health-at-core-groups",
    "health-at-conferences",
    "gp-report-to-conference",
    "child-voice-regular",
    "child-seen-alone",
    "child-voice-in-recording",
    "core-groups-regular",
    "visits-timely",
    "multi-agency-core-groups",
    "advocacy-at-conference",
    "early-years-provider-linked",
)


def default_data() -> dict[str, Any]:
    """The default standards YAML as data, keeping only the rules these tests are about."""
    return check_helpers.default_data(RULES)


def rule_data(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(rule for rule in data["rules"] if rule["id"] == rule_id)
    return found


STANDARDS = build(default_data())


def case(**record: Any) -> Case:
    return check_helpers.case_of({"case_id": "T1", "child": {"age_years": 8}}, record)


def run(
    rule_id: str,
    as_of: date,
    standards: standards_module.Standards | None = None,
    **record: Any,
) -> CheckResult:
    return evaluate_rule(rule_id, case(**record), standards or STANDARDS, as_of)


__all__ = ["RULES", "STANDARDS", "build", "case", "default_data", "rule_data", "run", "text"]
