"""Shared by the timeliness check tests: small cases, the default rules, a run of one rule."""

from __future__ import annotations

import copy
from datetime import date
from functools import cache
from typing import Any

import yaml

from cp_audit.engine import evaluate_rule
from cp_audit.model import Case, CaseRecord, case_from_record
from cp_audit.results import CheckResult
from cp_audit.standards import Standards, build, default_path, load

DEFAULT_YAML = default_path()


def default_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_YAML.read_text(encoding="utf-8"))
    return data


def built(data: dict[str, Any]) -> Standards:
    """Standards from a (modified) copy of the default YAML."""
    return build(copy.deepcopy(data), "copy", "x")


@cache
def defaults() -> Standards:
    return load()


def case(**record: Any) -> Case:
    data = {"case_id": "T-1", "child": {"age_years": 7}, **record}
    return case_from_record(CaseRecord.model_validate(data))


def run(
    rule_id: str, as_of: str, standards: Standards | None = None, /, **record: Any
) -> CheckResult:
    return evaluate_rule(
        rule_id, case(**record), standards or defaults(), date.fromisoformat(as_of)
    )


def text(result: CheckResult) -> str:
    return "\n".join(result.evidence)
