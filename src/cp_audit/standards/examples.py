"""The examples written inside a standards file: small cases that must give an outcome.

`run_examples` runs them. When an example of the default standards fails in an
edited copy, `option_hints` says which of its rule's options now differ from
the defaults it was written for (a timescale changed from 10 to 20 working
days, say): the likely cause, shown under the failure by `standards test`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError

from cp_audit.case import errors
from cp_audit.case.model import CaseRecord, case_from_record
from cp_audit.run.engine import evaluate_rule
from cp_audit.standards.spec import Example, Rule, Standards, load


@dataclass(frozen=True)
class ExampleRun:
    rule: str
    name: str
    expected: str
    got: str | None  # None when the example's case is not a valid case record
    evidence: tuple[str, ...] = ()
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.got == self.expected


def run_example(standards: Standards, rule: Rule, example: Example) -> ExampleRun:
    data = {"case_id": f"example-{rule.id}", **example.case}
    try:
        record = CaseRecord.model_validate(data)
    except ValidationError as exc:
        first = errors.describe(exc, CaseRecord)[0]
        return ExampleRun(rule.id, example.name, example.outcome, None,
                          error=f"the example's case is not valid: {first}")
    result = evaluate_rule(rule.id, case_from_record(record), standards, example.as_of)
    return ExampleRun(rule.id, example.name, example.outcome, result.outcome.value,
                      result.evidence)


def run_examples(standards: Standards) -> Iterator[ExampleRun]:
    for rule in standards.rules:
        for example in rule.spec.examples:
            yield run_example(standards, rule, example)


def option_hints(rule: Rule, example: str, defaults: Standards | None = None) -> list[str]:
    """For each option of `rule` whose value differs from the same rule's in the default
    standards (`defaults`: the packaged ones), a sentence saying both values. Empty unless
    the defaults have the rule, of the same check type, with an example named `example`:
    only then was the example written for the defaults' values."""
    base = (defaults or _packaged_defaults()).by_id.get(rule.id)
    if base is None or base.spec.check != rule.spec.check:
        return []
    if all(written.name != example for written in base.spec.examples):
        return []
    theirs = dict(base.options)
    return [
        f'option "{name}" is {_shown(value)} here, {_shown(theirs.get(name))} '
        "in the default standards this example was written for"
        for name, value in rule.options
        if value != theirs.get(name)
    ]


@cache
def _packaged_defaults() -> Standards:
    """Read once, and only when an example has failed."""
    return load(None)


def _shown(value: Any) -> str:
    """An option's value as it is written in the YAML: 20, 0.5, true, [gp, nurse]."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, tuple | list):
        return f"[{', '.join(_shown(item) for item in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    return str(value)
