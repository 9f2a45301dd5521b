"""What the check-type tests share: the default standards as data, standards built from a
(modified) copy of it, small cases, and a result's evidence as text."""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any

import yaml

from cp_audit.case.model import Case, CaseRecord, case_from_record
from cp_audit.results import CheckResult
from cp_audit.standards.spec import Standards, build, default_path


def default_data(rules: Collection[str] | None = None) -> dict[str, Any]:
    """The default standards YAML as data; only `rules` when given."""
    data: dict[str, Any] = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    if rules is not None:
        data["rules"] = [rule for rule in data["rules"] if rule["id"] in rules]
    return data


def built(data: dict[str, Any]) -> Standards:
    """Standards from a (modified) copy of the default YAML."""
    return build(copy.deepcopy(data), "copy", "x")


def case_of(defaults: dict[str, Any], record: dict[str, Any]) -> Case:
    """A case from one record: `record`'s fields over `defaults`."""
    return case_from_record(CaseRecord.model_validate({**defaults, **record}))


def text(result: CheckResult) -> str:
    return "\n".join(result.evidence)
