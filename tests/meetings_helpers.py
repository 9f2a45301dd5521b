"""Helpers for the tests of the meeting-participation, no-long-stretch, seen-alone and
voice-in-recording check types."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from cp_audit import standards as standards_module
from cp_audit.engine import evaluate_rule
from cp_audit.model import Case, CaseRecord, case_from_record
from cp_audit.results import CheckResult

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
    with open(standards_module.default_path(), encoding="utf-8") as file:
        data: dict[str, Any] = yaml.safe_load(file)
    data["rules"] = [rule for rule in data["rules"] if rule["id"] in RULES]
    return data


def build(data: dict[str, Any]) -> standards_module.Standards:
    return standards_module.build(data, "copy", "x")


def rule_data(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(rule for rule in data["rules"] if rule["id"] == rule_id)
    return found


STANDARDS = build(default_data())


def case(**record: Any) -> Case:
    record.setdefault("case_id", "T1")
    record.setdefault("child", {"age_years": 8})
    return case_from_record(CaseRecord.model_validate(record))


def run(
    rule_id: str,
    as_of: date,
    standards: standards_module.Standards | None = None,
    **record: Any,
) -> CheckResult:
    return evaluate_rule(rule_id, case(**record), standards or STANDARDS, as_of)


def text(result: CheckResult) -> str:
    return "\n".join(result.evidence)
