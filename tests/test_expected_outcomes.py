"""The samples give, for every default rule, the outcome worked out by hand.

`samples/expected-outcomes.csv` (case_id, rule, outcome, reason) was worked
out from the standards page (shared/default-standards.md), not from the
engine. Checking `samples/` with the default standards as of 2022-09-30 must
give exactly that outcome for every (case, rule); the table must name every
sample case and every default rule, once each. Between them the samples must
show every worry rule as a worry and every good-practice rule as good practice,
so that each rule's words are seen in a report at least once.
"""

from __future__ import annotations

import csv
import gc
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from load_helpers import load

from cp_audit.results import Kind, Outcome, RuleResult
from cp_audit.run.engine import check_case
from cp_audit.standards.spec import Standards
from cp_audit.standards.spec import load as load_standards

SAMPLES = Path(__file__).parents[1] / "samples"
OWN_FILES = frozenset({SAMPLES / "cp-audit.yaml", SAMPLES / "meeting.yaml"})  # not cases
TABLE = SAMPLES / "expected-outcomes.csv"
AS_OF = date(2022, 9, 30)


@dataclass(frozen=True)
class Expected:
    case_id: str
    rule: str
    outcome: str
    reason: str


def read_table() -> list[Expected]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return [
            Expected(row["case_id"], row["rule"], row["outcome"], row["reason"])
            for row in csv.DictReader(handle)
        ]


ROWS = read_table()
CASE_IDS = sorted({row.case_id for row in ROWS})


@pytest.fixture(scope="module")
def standards() -> Standards:
    return load_standards()


@pytest.fixture(scope="module")
def results(standards: Standards) -> dict[tuple[str, str], RuleResult]:
    """(case id, rule) -> the engine's result, for every sample case and default rule."""
    loaded = load([str(SAMPLES)], exclude=[*OWN_FILES])
    assert loaded.problems == [], [str(p) for p in loaded.problems]
    return {
        (case.case_id, result.rule): result
        for case in loaded.cases
        for result in check_case(case, standards, AS_OF).results
    }


def listed(keys: Iterable[tuple[str, str]]) -> str:
    return "".join(f"\n  {case_id} {rule}" for case_id, rule in sorted(keys))


def test_the_table_names_each_case_and_rule_once(
    standards: Standards, results: dict[tuple[str, str], RuleResult]
) -> None:
    keys = [(row.case_id, row.rule) for row in ROWS]
    repeated = {key for key in keys if keys.count(key) > 1}
    assert not repeated, f"rows given more than once:{listed(repeated)}"
    case_ids = {case_id for case_id, _ in results}
    assert case_ids == set(CASE_IDS), (
        f"sample cases not in the table: {sorted(case_ids - set(CASE_IDS))}; "
        f"cases in the table not in the samples: {sorted(set(CASE_IDS) - case_ids)}"
    )
    wanted = {(case_id, rule.id) for case_id in case_ids for rule in standards.rules}
    missing, extra = wanted - set(keys), set(keys) - wanted
    assert not missing, f"(case, rule) pairs the table does not give:{listed(missing)}"
    assert not extra, f"rows for no sample case or no default rule:{listed(extra)}"


def test_the_table_gives_only_known_outcomes() -> None:
    known = {outcome.value for outcome in Outcome}
    unknown = [row for row in ROWS if row.outcome not in known]
    assert not unknown, f"outcomes that are not {sorted(known)}: {unknown}"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_the_engine_gives_the_expected_outcome_for_every_rule(
    case_id: str, results: dict[tuple[str, str], RuleResult]
) -> None:
    disagreements = []
    for row in ROWS:
        if row.case_id != case_id:
            continue
        got = results.get((row.case_id, row.rule))
        if got is None:
            disagreements.append(f"{row.case_id} {row.rule}: no result from the engine")
        elif got.outcome != row.outcome:
            evidence = "".join(f"\n      - {item}" for item in got.evidence) or " (none)"
            disagreements.append(
                f"{row.case_id} {row.rule}: expected {row.outcome}, got {got.outcome.value}"
                f"\n    the table's reason: {row.reason}"
                f"\n    the engine's evidence:{evidence}"
            )
    if disagreements:
        pytest.fail("\n".join(disagreements), pytrace=False)


def test_the_samples_show_every_worry_and_every_good_practice(
    standards: Standards, results: dict[tuple[str, str], RuleResult]
) -> None:
    shown = {Kind.WORRY: Outcome.NOT_MET, Kind.GOOD_PRACTICE: Outcome.MET}
    for kind, outcome in shown.items():
        rules = {rule.id for rule in standards.rules if rule.kind == kind}
        seen = {rule for (_, rule), result in results.items() if result.outcome == outcome}
        assert rules <= seen, (
            f"{kind.value} rules never {outcome.value} in the samples: {sorted(rules - seen)}"
        )
        in_table = {row.rule for row in ROWS if row.outcome == outcome.value}
        assert rules <= in_table, (
            f"{kind.value} rules never {outcome.value} in the table: {sorted(rules - in_table)}"
        )


def test_a_threshold_changed_in_a_copy_of_the_yaml_changes_a_sample_outcome(
    tmp_path: Path,
) -> None:
    """Users change a parameter by editing YAML: `max_gap_weeks` of child-voice-regular."""
    import yaml

    from cp_audit.run.engine import evaluate_rule
    from cp_audit.standards.spec import default_path

    config = SAMPLES / "cp-audit.yaml"
    cases = {c.case_id: c for c in load([str(SAMPLES)], exclude=[config]).cases}
    case = cases["NS-2022-05"]
    default = load_standards()
    assert evaluate_rule("child-voice-regular", case, default, AS_OF).outcome == Outcome.NOT_MET

    data = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "child-voice-regular")
    rule["options"]["max_gap_weeks"] = 52
    copy = tmp_path / "standards.yaml"
    copy.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    edited = load_standards(copy)
    assert evaluate_rule("child-voice-regular", case, edited, AS_OF).outcome == Outcome.MET


def test_checking_a_case_leaves_nothing_for_the_garbage_collector(standards: Standards) -> None:
    # A national run checks 50,000 cases: each case's objects must be freed as soon as it
    # is done, not left in reference loops for the (then slow and frequent) collector.
    cases = load([str(SAMPLES)], exclude=[*OWN_FILES]).cases
    for case in cases:  # the first run fills the run-wide caches
        check_case(case, standards, AS_OF)
    gc.collect()
    gc.disable()
    try:
        for case in cases:
            check_case(case, standards, AS_OF)
        assert gc.collect() == 0
    finally:
        gc.enable()
