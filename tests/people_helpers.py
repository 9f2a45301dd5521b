"""Helpers for the tests of the father, long-term, tools, records and allocation check types."""

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
    return check_helpers.default_data(RULES)


STANDARDS = build(default_data())


def case(**record: Any) -> Case:
    return check_helpers.case_of({"case_id": "T1", "child": {"age_years": 8}}, record)


def run(rule_id: str, as_of: date, **record: Any) -> CheckResult:
    """The rule's result with the default standards' options."""
    return evaluate_rule(rule_id, case(**record), STANDARDS, as_of)


def run_with(
    standards: standards_module.Standards, rule_id: str, as_of: date, **record: Any
) -> CheckResult:
    """The rule's result with the options of `standards` (a modified copy)."""
    return evaluate_rule(rule_id, case(**record), standards, as_of)


__all__ = ["RULES", "STANDARDS", "build", "case", "default_data", "run", "run_with", "text"]
