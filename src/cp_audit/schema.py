"""JSON Schemas for editors: of a case record, of a standards file, of `meeting.yaml`.

The standards schema ties each rule's `options` to its check type's options,
so an editor completes and checks them (`cp-audit init` points at it).
"""

from __future__ import annotations

from typing import Any

from cp_audit.case.model import CaseRecord
from cp_audit.checks import REGISTRY
from cp_audit.standards.spec import StandardsSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def case_schema() -> dict[str, Any]:
    schema = CaseRecord.model_json_schema()
    return {"$schema": DRAFT, **schema}


def meeting_schema() -> dict[str, Any]:
    """The audit meeting's record (`meeting.model.Meeting`)."""
    from cp_audit.meeting.model import Meeting

    return {"$schema": DRAFT, **Meeting.model_json_schema(), "title": "cp-audit meeting record"}


def standards_schema() -> dict[str, Any]:
    schema = StandardsSpec.model_json_schema()
    defs = schema.setdefault("$defs", {})
    rule = defs["RuleSpec"]
    rule["properties"]["check"] = {"enum": sorted(REGISTRY), "title": "Check"}
    branches = []
    for type_id in sorted(REGISTRY):
        options = REGISTRY[type_id].Options.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(options.pop("$defs", {}))
        branches.append({
            "if": {"properties": {"check": {"const": type_id}}},
            "then": {"properties": {"options": options}},
        })
    if branches:
        rule["allOf"] = branches
    return {"$schema": DRAFT, "title": "cp-audit standards", **schema}
