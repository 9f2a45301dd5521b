"""The examples written inside a standards file: small cases that must give an outcome."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from cp_audit.case import errors
from cp_audit.case.model import CaseRecord, case_from_record
from cp_audit.run.engine import evaluate_rule
from cp_audit.standards.spec import Example, Rule, Standards


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
