"""Helpers for the tests of the father, long-term, tools, records and allocation check types."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from cp_audit import standards as standards_module
from cp_audit.engine import evaluate_rule
from cp_audit.model import Case, CaseRecord, case_from_record
from cp_audit.results import CheckResult

RULES = (
    "father-invited-to-conferences",
    "father-in-assessments",
    "father-views-recorded",
    "father-in-parenting-work",
    "smart-actions",
    "re-referral-cycles",
    "long-term-involvement",
    "tools-for-needs",
    "no-contradictory-flags",
    "plan-documents-available",
    "plan-visible-in-records",
    "minutes-in-agency-records",
    "consistent-social-worker",
)


def default_data() -> dict[str, Any]:
    """The default standards YAML as data, keeping only the rules these tests are about."""
    with open(standards_module.default_path(), encoding="utf-8") as file:
        data: dict[str, Any] = yaml.safe_load(file)
    data["rules"] = [rule for rule in data["rules"] if rule["id"] in RULES]
    return data


def build(data: dict[str, Any]) -> standards_module.Standards:
    return standards_module.build(data, "copy", "x")


STANDARDS = build(default_data())


def case(**record: Any) -> Case:
    record.setdefault("case_id", "T1")
    record.setdefault("child", {"age_years": 8})
    return case_from_record(CaseRecord.model_validate(record))


def run(rule_id: str, as_of: date, **record: Any) -> CheckResult:
    """The rule's result with the default standards' options."""
    return evaluate_rule(rule_id, case(**record), STANDARDS, as_of)


def run_with(
    standards: standards_module.Standards, rule_id: str, as_of: date, **record: Any
) -> CheckResult:
    """The rule's result with the options of `standards` (a modified copy)."""
    return evaluate_rule(rule_id, case(**record), standards, as_of)


def text(result: CheckResult) -> str:
    return "\n".join(result.evidence)
