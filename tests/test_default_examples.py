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


def test_an_example_whose_case_is_not_valid_says_where_as_case_errors_do():
    rule = STANDARDS.rules[0]
    example = standards_module.Example(
        name="typo", as_of="2022-01-01", outcome="met", case={"chld": {"age_years": "x"}}
    )
    run = run_example(STANDARDS, rule, example)
    assert run.got is None and not run.passed
    assert run.error == (
        "the example's case is not valid: unknown field \"chld\" (did you mean \"child\"?)"
    )
