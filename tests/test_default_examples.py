"""Every example in the default standards gives its outcome."""

from __future__ import annotations

import pytest

from cp_audit.standards import spec as standards_module
from cp_audit.standards.examples import run_example

STANDARDS = standards_module.load()
CASES = [
    pytest.param(rule, example, id=f"{rule.id}:{example.name}")
    for rule in STANDARDS.rules
    for example in rule.spec.examples
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_gives_its_outcome(rule, example):
    run = run_example(STANDARDS, rule, example)
    assert run.error is None
    assert run.got == run.expected, run.evidence


@pytest.mark.parametrize("rule", STANDARDS.rules, ids=lambda r: r.id)
def test_every_rule_has_examples_of_each_outcome_it_can_give(rule):
    outcomes = {example.outcome for example in rule.spec.examples}
    assert {"met", "not_met", "not_applicable"} <= outcomes
