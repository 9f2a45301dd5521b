"""Shared by the timeliness check tests: small cases, the default rules, a run of one rule."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from check_helpers import built, case_of, default_data, text

from cp_audit.case.model import Case
from cp_audit.results import CheckResult
from cp_audit.run.engine import evaluate_rule
from cp_audit.standards.spec import Standards, load


@cache
def defaults() -> Standards:
    return load()


def case(**record: Any) -> Case:
    return case_of({"case_id": "T-1", "child": {"age_years": 7}}, record)


def run(
    rule_id: str, as_of: str, standards: Standards | None = None, /, **record: Any
) -> CheckResult:
    return evaluate_rule(
        rule_id, case(**record), standards or defaults(), date.fromisoformat(as_of)
    )


__all__ = ["built", "case", "default_data", "defaults", "run", "text"]
