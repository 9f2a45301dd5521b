"""The CSV report: a row per case and rule, RFC 4180, never a formula in Excel."""

from __future__ import annotations

import csv
import io

import pytest
from test_report_data import (
    REPORTED,
    SCRIPT,
    case_result,
    content,
    hostile_case,
    hostile_run,
    make_run,
)

from cp_audit.report import REPORTERS
from cp_audit.report.csv import cell

CSV = REPORTERS["csv"]
HEADER = ["case_id", "rule", "theme", "kind", "outcome", "score", "grade", "evidence"]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_row_per_case_and_rule() -> None:
    text = CSV.render_string(content())
    rows = _rows(text)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 3 * len(REPORTED)
    assert rows[1] == [
        "NS-01", "health-at-core-groups", "health", "worry", "not_met", "25.0", "inadequate",
        "health-at-core-groups: evidence",
    ]
    assert rows[7][:7] == [
        "NS-02", "health-at-core-groups", "health", "worry", "met", "66.7", "requires_improvement",
    ]
    na = [row for row in rows if row[4] == "not_applicable"]
    assert na and all(row[7] == "" for row in na)
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows)


def test_no_score_is_an_empty_cell() -> None:
    run = make_run(cases=(case_result(0, score=None, grade="not_graded"),))
    rows = _rows(CSV.render_string(content(run)))
    assert {row[5] for row in rows[1:]} == {""}
    assert {row[6] for row in rows[1:]} == {"not_graded"}


def test_evidence_items_are_joined_and_quoted() -> None:
    rows = _rows(CSV.render_string(content(hostile_run())))
    evidence = next(row[7] for row in rows if row[1] == "child-voice-regular")
    items = evidence.split(" | ")
    assert items[0] == SCRIPT
    assert "a | b c d" in evidence  # a line break in an item is a space: one line a row
    assert '=HYPERLINK("http://evil.example/","click")' in evidence  # quotes round-trip
    assert "\x1b" not in evidence and "\x00" not in evidence


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "' =1"),
        ("\rcmd", "' cmd"),
        ("  =1", "'  =1"),
        ("NS-01", "NS-01"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_injection_is_neutralised(value: str, expected: str) -> None:
    assert cell(value) == expected


def test_no_cell_starts_a_formula() -> None:
    case = hostile_case()
    results = tuple(
        r.__class__(r.rule, r.theme, r.kind, r.outcome, ("=cmd|' /C calc'!A0", "x"), r.weight)
        for r in case.results
    )
    case = case.__class__(
        case_id="=HYPERLINK(\"http://evil.example\")",
        files=case.files,
        agencies=case.agencies,
        age=case.age,
        needs=case.needs,
        score=case.score,
        grade="@grade",
        results=results,
        name="-Amy",
    )
    rows = _rows(CSV.render_string(content(make_run(cases=(case,)))))
    assert rows[0] == ["case_id", "name", *HEADER[1:]]
    for row in rows[1:]:
        for value in row:
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[1][1] == "'-Amy"
    assert rows[1][8] == "'=cmd|' /C calc'!A0 | x"
